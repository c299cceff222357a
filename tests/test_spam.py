"""The spam rules that hold obvious spam on arrival, each on its own and at its edges (SPEC §9)."""

from datetime import timedelta

import pytest

from extensions import db
from models import Member, Post
from services.clock import now_utc
from services.spam import spam_rules_hit
from services.text import digest


@pytest.fixture
def app_overrides():
    return {"SPAM_BLOCKED_DOMAINS": ["spam.example"], "SPAM_MAX_LINKS": 3, "POSTS_PER_HOUR": 100}


def hits(app, member_id: int, text: str) -> list[str]:
    with app.app_context():
        return spam_rules_hit(db.session.get(Member, member_id), text, digest(text), now_utc())


def test_clean_text_from_an_established_member_passes(app, board_people):
    assert (
        hits(
            app,
            board_people["writer"],
            "제주에서 찍은 사진 후기입니다. http://photos.example/jeju 에 더 있어요.",
        )
        == []
    )


def test_a_link_to_a_blocked_domain_or_its_subdomain_is_held(app, board_people):
    words = " — a long enough sentence around the link so that it is not mostly link."
    assert hits(app, board_people["writer"], "see https://spam.example/deal" + words) == ["blocked_domain"]
    assert hits(app, board_people["writer"], "see https://shop.spam.example/deal" + words) == [
        "blocked_domain"
    ]
    assert hits(app, board_people["writer"], "see https://notspam.example/deal" + words) == []


def test_a_brand_new_account_posting_a_link_is_held_but_may_post_text(app, board_people):
    assert hits(app, board_people["troll"], "hello https://site.example/ what do you think of it") == [
        "new_account_links"
    ]
    assert hits(app, board_people["troll"], "안녕하세요, 처음 왔어요.") == []


def test_new_account_rule_ends_after_the_configured_hours(app, board_people):
    with app.app_context():
        troll = db.session.get(Member, board_people["troll"])
        troll.created_at = now_utc() - timedelta(hours=app.config["SPAM_NEW_ACCOUNT_HOURS"], minutes=1)
        db.session.commit()
    assert hits(app, board_people["troll"], "hello https://site.example/ what do you think of it") == []


def test_more_links_than_allowed_or_a_text_made_of_links_is_held(app, board_people):
    three = " ".join(f"{n}번째 촬영 후기를 여기에 모아 두었어요 https://a{n}.example/" for n in range(3))
    four = three + " https://a4.example/"
    assert hits(app, board_people["writer"], three) == []
    assert hits(app, board_people["writer"], four) == ["too_many_links"]
    assert hits(app, board_people["writer"], "look https://only-a-link.example/very/long/path") == [
        "too_many_links"
    ]


def test_the_same_text_again_from_the_same_author_is_held(app, board_people, make_post):
    make_post(board_people["writer"], body="Selling   my camera!  ")
    assert hits(app, board_people["writer"], "selling my CAMERA!") == ["repeated"]
    assert hits(app, board_people["reader1"], "selling my camera!") == []


def test_held_posts_stay_out_of_the_board_and_are_logged(app, client, board_people, make_post):
    post_id = make_post(board_people["troll"], title="최저가!!!", body="https://spam.example/deal")
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert (post.status, post.status_reason) == ("held", "blocked_domain")
    assert "최저가!!!" not in client.get("/ko/boards/free/").get_data(as_text=True)
    assert client.get(f"/ko/boards/free/{post_id}").status_code == 404
