"""The password rule (ASVS 6.2): a length, a list of common passwords, no composition rules."""

import unicodedata

import pytest
from sqlalchemy import select, text

from extensions import db
from models import Member, OutboxMessage
from services.passwords import (
    COMMON_PASSWORDS,
    MIN_LENGTH,
    check_password,
    common_passwords,
    password_problem,
)
from tests.conftest import MEMBER_PASSWORD

TOO_COMMON = {
    "en": "This password is too common. Choose a longer phrase only you would think of.",
    "ko": "너무 흔한 비밀번호입니다. 나만 떠올릴 수 있는 더 긴 문구를 정해 주세요.",
}
KOREAN_64 = "우리 가족 제주 바다 사진 찍던 날 " * 3 + "바람불던"  # 64 characters, 150 bytes
PASSPHRASE = "correct horse battery staple on the jeju ferry"  # lower case only, no digit or symbol


def test_the_shipped_list_is_large_and_loaded_once_with_only_what_the_length_rule_lets_through():
    with COMMON_PASSWORDS.open(encoding="utf-8") as lines:
        shipped = [line.rstrip("\n") for line in lines]
    assert len(shipped) >= 10_000 and len(set(shipped)) == len(shipped)
    loaded = common_passwords()
    assert loaded is common_passwords() and isinstance(loaded, frozenset)
    assert all(len(entry) >= MIN_LENGTH for entry in loaded)
    assert loaded == {entry for entry in shipped if len(entry) >= MIN_LENGTH}
    assert len(loaded) >= 2_000


@pytest.mark.parametrize(
    "password", ["1234567890", "qwertyuiop", "password123", "Password123", "QWERTYUIOP", "IloveYou12"]
)
def test_common_passwords_are_refused_whatever_their_case(password):
    assert password_problem(password) == "too_common"


def test_the_comparison_is_made_after_nfc_normalisation_and_case_folding():
    # A listed entry with a composed letter (Cyrillic ї), typed in capitals and sent decomposed.
    composed = next(entry for entry in common_passwords() if unicodedata.normalize("NFD", entry) != entry)
    sent = unicodedata.normalize("NFD", composed.upper())
    assert sent != composed and password_problem(sent) == "too_common"


@pytest.mark.parametrize(
    "password", ["usnaper2024!", "USNAPER 12345", "Jeju-2024-!!", "사진1234567890", "제주 2024 !!!!"]
)
def test_a_word_about_this_site_padded_with_digits_or_symbols_is_refused(password):
    assert password_problem(password) == "too_common"


@pytest.mark.parametrize("password", ["usnaper snaps of jeju weddings", "제주 바다에서 찍은 가족 사진"])
def test_a_phrase_using_words_about_this_site_among_others_is_fine(password):
    assert password_problem(password) is None


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("nine char", "too_short"),
        ("x" * 257, "too_long"),
        (PASSPHRASE, None),
        (KOREAN_64, None),
        ("사진" * 128, None),  # 256 syllables: the longest allowed
        # Nine syllables sent as 23 jamo are still nine characters.
        (unicodedata.normalize("NFD", "사진찍는날이좋아요"), "too_short"),
    ],
)
def test_length_is_counted_in_characters_and_nothing_else_is_required(password, problem):
    assert password_problem(password) == problem


def test_the_korean_sample_is_sixty_four_characters():
    assert len(KOREAN_64) == 64 and len(KOREAN_64.encode()) > 72


def signup_form(password: str, email: str = "new.member@example.com") -> dict:
    return {
        "email": email,
        "password": password,
        "password_confirm": password,
        "name": "홍길동",
        "birth_date": "1990-05-17",
        "privacy_notice": "y",
        "terms": "y",
    }


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_signup_refuses_a_common_password_in_both_languages_and_stores_nothing(app, client, lang):
    response = client.post(f"/{lang}/signup", data=signup_form("Password123"))
    assert response.status_code == 400
    assert TOO_COMMON[lang] in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(text("SELECT COUNT(*) FROM members")) == 0


@pytest.mark.parametrize("password", [KOREAN_64, PASSPHRASE])
def test_signup_takes_a_64_character_korean_password_or_a_plain_lower_case_passphrase(app, client, password):
    response = client.post("/ko/signup", data=signup_form(password))
    assert response.status_code == 302
    with app.app_context():
        member = db.session.scalars(select(Member)).one()
        assert check_password(password, member.password_hash)
        assert not check_password(password[:-1], member.password_hash)


@pytest.fixture
def signed_in(app, make_member, sign_in):
    make_member(email="me@example.com")
    return sign_in("me@example.com")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_changing_to_a_common_password_is_refused_in_both_languages(app, signed_in, lang):
    response = signed_in.post(
        f"/{lang}/me/password",
        data={
            "current_password": MEMBER_PASSWORD,
            "password": "qwertyuiop",
            "password_confirm": "qwertyuiop",
        },
    )
    assert response.status_code == 400
    assert TOO_COMMON[lang] in response.get_data(as_text=True)
    with app.app_context():
        assert check_password(MEMBER_PASSWORD, db.session.scalars(select(Member)).one().password_hash)


def test_changing_to_a_64_character_korean_password_works(app, signed_in):
    response = signed_in.post(
        "/ko/me/password",
        data={"current_password": MEMBER_PASSWORD, "password": KOREAN_64, "password_confirm": KOREAN_64},
    )
    assert response.status_code == 302
    with app.app_context():
        assert check_password(KOREAN_64, db.session.scalars(select(Member)).one().password_hash)


def reset_link(app, client) -> str:
    client.post("/ko/password/forgot", data={"email": "me@example.com"})
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "password_reset")
        ).one()
        return message.context["token"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_reset_to_a_common_password_is_refused_on_the_form_and_the_link_still_works(
    app, client, make_member, lang
):
    make_member(email="me@example.com")
    token = reset_link(app, client)
    refused = client.post(
        f"/{lang}/password/reset/{token}", data={"password": "1234567890", "password_confirm": "1234567890"}
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert TOO_COMMON[lang] in html and 'name="password"' in html  # the form again, not a dead link
    accepted = client.post(
        f"/{lang}/password/reset/{token}", data={"password": PASSPHRASE, "password_confirm": PASSPHRASE}
    )
    assert accepted.status_code == 302
    with app.app_context():
        assert check_password(PASSPHRASE, db.session.scalars(select(Member)).one().password_hash)
