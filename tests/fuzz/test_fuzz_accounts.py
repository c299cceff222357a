"""Signup, sign-in, links, restore, sign-out and My info, fed odd input: never a 500, never half-written."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.profile import CORRECTABLE

from .case import Case
from .profile import FUZZ
from .runner import fuzz_form
from .strategies import odd_url_text, valid_or_odd
from .world import FUZZER, PASSWORD

CONSENT = valid_or_odd("y")
NEW_PASSWORD = valid_or_odd("a new long passphrase", PASSWORD)
# Where sign-in may send the member next: our own pages only.
NEXT = st.one_of(
    st.sampled_from(["/en/me/", "//evil.example/", "https://evil.example/", "/\\evil"]), odd_url_text
)
SIGNUP = {
    "email": valid_or_odd("new@example.com", FUZZER),
    "password": NEW_PASSWORD,
    "password_confirm": NEW_PASSWORD,
    "name": None,
    "birth_date": valid_or_odd("1990-01-01", "2020-01-01"),
    "phone": valid_or_odd("010-1234-5678"),
    "preferred_region": valid_or_odd("jeju", ""),
    "privacy_notice": CONSENT,
    "terms": CONSENT,
    "optional_profile": CONSENT,
    "marketing_email": CONSENT,
    "marketing_sms": CONSENT,
    "marketing_night": CONSENT,
}
# A form of one button still gets fields it never asked for.
JUNK = {"confirm": None, "csrf_token": None}
PERSON = {"name": "새회원", "birth_date": "1990-01-01"}
NEW = {"password": "a new long passphrase", "password_confirm": "a new long passphrase"}

CASES = [
    Case(
        "/ko/signup",
        SIGNUP,
        who="visitor",
        valid={"email": "new@example.com", **NEW, **PERSON, "privacy_notice": "y", "terms": "y"},
    ),
    Case(
        "/en/signin",
        {"email": valid_or_odd(FUZZER), "password": valid_or_odd(PASSWORD)},
        who="visitor",
        valid={"email": FUZZER, "password": PASSWORD},
        query={"next": NEXT},
    ),
    Case(
        "/ko/password/forgot",
        {"email": valid_or_odd(FUZZER, "subject@example.com")},
        who="visitor",
        valid={"email": "subject@example.com"},
    ),
    # The links world gives a real reset token (for another member) among odd ones.
    Case(
        "/en/password/reset/{reset_token}",
        {"password": None, "password_confirm": None},
        world="links",
        who="visitor",
        valid=NEW,
    ),
    Case("/ko/unsubscribe/{unsubscribe_token}", JUNK, world="links", who="visitor"),
    Case("/ko/signin/restore", JUNK, world="dormant", who="visitor"),
    Case("/en/signout", JUNK),
    # The code step with no password given just now: always back to sign-in, whatever is sent.
    Case("/en/signin/code", {"code": valid_or_odd("123456", "ABCD-EFGH-JKMN-PQRS")}, who="visitor"),
    # The fuzzer has only this session: ending "every other" ends none, and a number is nobody's.
    Case(
        "/en/me/sessions",
        {"target": valid_or_odd("others", "1", "0"), "password": valid_or_odd(PASSWORD)},
        valid={"target": "others", "password": PASSWORD},
    ),
    # The fuzzer has two-step on (tests/fuzz/world.py): starting again is refused, confirming has
    # nothing pending, turning it off needs a code nobody draws by chance.
    Case("/ko/me/two-step/start", JUNK),
    Case("/en/me/two-step/confirm", {"code": None, "password": valid_or_odd(PASSWORD)}),
    Case(
        "/en/me/two-step/recovery-codes", {"password": valid_or_odd(PASSWORD)}, valid={"password": PASSWORD}
    ),
    Case("/ko/me/two-step/off", {"code": valid_or_odd("123456"), "password": valid_or_odd(PASSWORD)}),
    Case(
        "/ko/me/profile",
        {
            "name": None,
            "birth_date": valid_or_odd("1990-01-01", "2020-01-01"),
            "language": valid_or_odd("ko", "en"),
            "phone": valid_or_odd("010-1234-5678"),
            "preferred_region": valid_or_odd("jeju", ""),
        },
        valid=PERSON | {"language": "ko"},
    ),
    Case("/en/me/consents", dict.fromkeys(list(SIGNUP)[-4:], CONSENT), valid={"marketing_email": "y"}),
    Case(
        "/ko/me/email",
        {"email": valid_or_odd("new@example.com", FUZZER), "password": valid_or_odd(PASSWORD)},
        valid={"email": "new@example.com", "password": PASSWORD},
    ),
    # No valid form here: a changed password would lock the fuzzer out of the next example.
    Case(
        "/en/me/password",
        {"current_password": None, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    ),
    # Odd field names in the URL too: only the correctable fields can be flagged.
    Case(
        "/ko/me/flag/{field}",
        JUNK,
        path={"field": st.one_of(st.sampled_from([*CORRECTABLE, "password", "staff_role"]), odd_url_text)},
        valid_path={"field": "phone"},
    ),
    # The password never matches, so the account stays for the next example.
    Case(
        "/en/me/withdraw", {"password": None, "posts": valid_or_odd("keep", "delete"), "understood": CONSENT}
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@FUZZ
@given(data=st.data())
def test_odd_input_never_causes_a_500_or_a_half_written_record(fuzzer, case, data):
    fuzz_form(fuzzer, case, data)
