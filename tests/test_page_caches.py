"""Pages kept per process (blueprints/fragments.py) never show a stale or another reader's view."""

from datetime import timedelta

import pytest
from flask import render_template_string
from markupsafe import Markup
from sqlalchemy import insert, select, update

from blueprints import fragments
from extensions import db
from models import Board, Member, PhotographerProfile, Post, Review
from services import boards, moderation
from services.clock import now_utc, seoul_today
from services.dormancy import separate
from services.photographers import ProfileChange, block_day, save_profile
from services.posts import add_comment, edit_post


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_a_board_list_follows_every_change_to_its_posts(app, client, board_people, make_post):
    post_id = make_post(board_people["writer"], title="처음 제목")
    assert "처음 제목" in text_of(client, "/ko/boards/free/")
    with app.app_context():
        writer = db.session.get(Member, board_people["writer"])
        post = db.session.get(Post, post_id)
        edit_post(writer, post, "고친 제목", "본문입니다.")
    page = text_of(client, "/ko/boards/free/")
    assert "고친 제목" in page and "처음 제목" not in page
    with app.app_context():
        add_comment(db.session.get(Member, board_people["reader1"]), db.session.get(Post, post_id), "댓글")
    assert 'class="badge" title="댓글">1</span>' in text_of(client, "/ko/boards/free/")
    with app.app_context():
        moderator = db.session.get(Member, board_people["moderator"])
        moderation.hide(moderator, db.session.get(Post, post_id), "spam")
    assert "고친 제목" not in text_of(client, "/ko/boards/free/")


def test_the_header_shows_each_reader_their_own_name_and_links(app, board_people, sign_in):
    writer, moderator = sign_in("writer@example.com"), sign_in("mod@example.com")
    visitor = app.test_client()
    for _ in range(2):  # the second round is served from the process's fragments
        mine, theirs, nobody = (text_of(c, "/ko/boards/free/") for c in (writer, moderator, visitor))
        assert "글쓴이" in mine and "운영자" not in mine and "/ko/moderation/" not in mine
        assert "운영자" in theirs and "글쓴이" not in theirs and "/ko/moderation/" in theirs
        assert "/ko/signout" not in nobody and "/ko/signin" in nobody
    # Each page carries its own reader's sign-out token, and it works.
    token = fragments_token(mine)
    assert writer.post("/ko/signout", data={"csrf_token": token}).status_code == 302
    assert "글쓴이" not in text_of(writer, "/ko/boards/free/")


def fragments_token(page: str) -> str:
    marker = 'name="csrf_token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_profile_page_follows_its_changes_and_its_member(app, client, make_photographer):
    member_id, profile_id = make_photographer(starting_price=100_000)
    path = f"/ko/photographers/{profile_id}"
    assert "100,000" in text_of(client, path)
    with app.app_context():
        member = db.session.get(Member, member_id)
        save_profile(
            member,
            ProfileChange(
                display_name="제주 사진가", starting_price=120_000, regions=["jeju"], specialties=["snap"]
            ),
        )
    assert "120,000" in text_of(client, path)
    day = seoul_today() + timedelta(days=3)
    with app.app_context():
        block_day(db.session.get(PhotographerProfile, profile_id), day)
    assert f'datetime="{day.isoformat()}"' in text_of(client, path)
    with app.app_context():  # a plain statement, as a purge or a script would write it
        db.session.execute(insert(Review).values(profile_id=profile_id, stars=5, text="최고의 촬영"))
        db.session.commit()
    assert "최고의 촬영" in text_of(client, path)
    with app.app_context():
        db.session.execute(update(Review).where(Review.profile_id == profile_id).values(reply="감사합니다"))
        db.session.commit()
    assert "감사합니다" in text_of(client, path)
    with app.app_context():
        separate(db.session.get(Member, member_id), now_utc())
        db.session.commit()
    assert client.get(path).status_code == 404


def test_the_blocked_days_start_again_each_day(app, client, make_photographer, monkeypatch):
    _, profile_id = make_photographer()
    today = seoul_today()
    with app.app_context():
        block_day(db.session.get(PhotographerProfile, profile_id), today)
    path = f"/ko/photographers/{profile_id}"
    assert f'datetime="{today.isoformat()}"' in text_of(client, path)
    monkeypatch.setattr("blueprints.photographers.routes.seoul_today", lambda: today + timedelta(days=1))
    assert f'datetime="{today.isoformat()}"' not in text_of(client, path)


def test_the_directory_follows_prices_and_members(app, client, make_photographer):
    member_id, _ = make_photographer(starting_price=100_000)
    assert "100,000" in text_of(client, "/ko/photographers/")
    with app.app_context():
        member = db.session.get(Member, member_id)
        save_profile(
            member,
            ProfileChange(
                display_name="제주 사진가", starting_price=90_000, regions=["jeju"], specialties=["snap"]
            ),
        )
    page = text_of(client, "/ko/photographers/")
    assert "90,000" in page and "100,000" not in page
    with app.app_context():
        separate(db.session.get(Member, member_id), now_utc())
        db.session.commit()
    assert "제주 사진가" not in text_of(client, "/ko/photographers/")


def test_the_filter_form_shows_what_was_asked_in_each_language(client):
    first = text_of(client, "/ko/photographers/?region=jeju")
    second = text_of(client, "/ko/photographers/?region=busan")
    assert 'selected value="jeju"' in first and 'selected value="busan"' in second
    assert 'selected value="jeju"' not in second
    assert "Anywhere" in text_of(client, "/en/photographers/?region=jeju")


def test_a_fragment_cannot_use_the_request_or_the_reader(app):
    with app.test_request_context("/ko/"):
        for expression in ("current_user.name", "request.path", "session.get('x')", "g.lang_code"):
            template = app.jinja_env.from_string("{{ " + expression + " }}")
            with pytest.raises(RuntimeError, match="may not use"):
                fragments._render(template, {})


def test_fragments_are_kept_by_their_values_and_language(app):
    with app.test_request_context("/ko/"):
        first = fragments.cached("_partials/header_guest.html")
        assert isinstance(first, Markup) and "로그인" in first
        assert fragments.cached("_partials/header_guest.html") is first
    with app.test_request_context("/en/"):
        assert "Sign in" in fragments.cached("_partials/header_guest.html")


@pytest.mark.parametrize("app_overrides", [{"FRAGMENT_CACHE_ENTRIES": 2}])
def test_the_store_keeps_at_most_its_size_and_drops_the_least_used(app):
    with app.test_request_context("/ko/"):
        built = []

        def build(n):
            return lambda: built.append(n) or {"officer": None, "site_name": str(n)}

        for n in (1, 2, 1, 3, 1, 2):
            fragments.cached_by("_partials/header_nav.html", (n,), build(n))
        # 1 and 2 are built; 1 is used again; 3 pushes out 2 (least recently used); 2 comes back.
        assert built == [1, 2, 3, 2]


def test_boards_are_read_again_after_the_reference_period(app, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(boards, "monotonic", lambda: clock[0])
    with app.app_context():
        boards.sync_boards()
        assert boards.board_by_slug("free").name("ko") == "자유게시판"
        db.session.execute(update(Board).where(Board.slug == "free").values(name_ko="바뀐 이름"))
        db.session.commit()
        assert boards.board_by_slug("free").name("ko") == "자유게시판"  # the process's copy
        clock[0] += app.config["REFERENCE_CACHE_SECONDS"]
        assert boards.board_by_slug("free").name("ko") == "바뀐 이름"
        boards.sync_boards()  # a sync in this process is seen at once
        assert boards.board_by_slug("free").name("ko") == "자유게시판"
        assert db.session.scalar(select(Board.name_ko).where(Board.slug == "free")) == "자유게시판"


def test_rendering_a_whole_page_around_fragments_keeps_the_request(app):
    with app.test_request_context("/ko/boards/"):
        html = render_template_string("{{ request.path }} {{ cached('_partials/header_guest.html') }}")
        assert html.startswith("/ko/boards/")
