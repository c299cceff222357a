"""Every public page renders in both languages with the right lang, alternates and no English leaks."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from extensions import db
from models import Member

KO_CATALOG = Path(__file__).resolve().parent.parent / "translations" / "ko" / "LC_MESSAGES" / "messages.po"

# Sample values for each URL argument of a public page; a new argument must be added here.
SAMPLE_ARGS = {
    "kind": ["privacy", "terms"],
    "version": ["1.0"],
    "slug": ["free", "questions", "reviews"],
}
# Pages whose arguments must name rows that belong together (made by the board_content fixture).
LINKED_ARGS = {"boards.post": [{"slug": "free", "post_id": 1}], "photographers.profile": [{"profile_id": 1}]}
# Blueprints whose pages are not for the public, and pages that need a token from an
# e-mail or a checked password first (each tested on its own).
NOT_PUBLIC = {"dev", "me", "moderation", "shoots", "office", "policy_drafts"}
# Staff consoles of blueprints that also have public pages (the permission matrix covers them).
STAFF_PREFIX = "/<lang:lang_code>/office/"
# Pages that need a link's token, or a step just before them (the password, for restore and the code).
NEEDS_TOKEN = {"auth.verify", "auth.reset", "auth.restore", "auth.code", "marketing.unsubscribe_page"}
SIGNED_IN_ONLY = {
    "boards.new_post",
    "boards.edit",
    "boards.edit_comment_view",
    "boards.report_view",
    "photographers.edit",
}


def public_page_urls(app, language: str) -> list[str]:
    """Every GET route under a language prefix, with sample arguments filled in."""
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or "lang_code" not in rule.arguments:
                continue
            if rule.endpoint.split(".")[0] in NOT_PUBLIC or rule.endpoint in NEEDS_TOKEN | SIGNED_IN_ONLY:
                continue
            if rule.rule.startswith(STAFF_PREFIX):
                continue
            if rule.endpoint in LINKED_ARGS:
                urls += [
                    url_for(rule.endpoint, lang_code=language, **args) for args in LINKED_ARGS[rule.endpoint]
                ]
                continue
            others = sorted(rule.arguments - {"lang_code"} - set(rule.defaults or {}))
            missing = [name for name in others if name not in SAMPLE_ARGS]
            assert not missing, f"{rule.rule}: add sample values for {missing} to SAMPLE_ARGS"
            combos = [{}]
            for name in others:
                combos = [combo | {name: value} for combo in combos for value in SAMPLE_ARGS[name]]
            urls += [url_for(rule.endpoint, lang_code=language, **combo) for combo in combos]
    return sorted(set(urls))


@pytest.fixture(autouse=True)
def site_content(app, make_member, make_photographer):
    """The shipped boards with one post and a comment, and one photographer, so every page has content."""
    from models import Post
    from services.boards import board_by_slug, sync_boards
    from services.posts import add_comment, create_post

    author = make_member(email="writer@example.com")
    with app.app_context():
        sync_boards()
        member = db.session.get(Member, author)
        post = create_post(member, board_by_slug("free"), "첫 글", "안녕하세요.\n반갑습니다.")
        add_comment(member, post, "댓글입니다.")
        assert post.id == 1 and db.session.get(Post, 1).status == "published"
    assert make_photographer(bio_ko="제주의 바다를 찍습니다.", bio_en="I photograph the sea of Jeju.")[1] == 1


# English that belongs on a Korean page: the time zone name Asia/Seoul in the policy.
NOT_LEAKS = {"Seoul"}


def english_fragments() -> list[str]:
    """Pieces of English that only an untranslated string would put on a Korean page.

    Whole msgids of four or more characters, and for msgids with placeholders
    each multi-word literal run of eight or more characters between them.
    """
    with KO_CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if not msgid or message.string == msgid:
            continue
        pieces = [piece.strip() for piece in re.split(r"%\(\w+\)[sd]", msgid)]
        if len(pieces) == 1:
            found += [piece for piece in pieces if len(piece) >= 4]
        else:  # only multi-word runs: a lone word like "password" is also an attribute value
            found += [piece for piece in pieces if len(piece) >= 8 and " " in piece]
    return [fragment for fragment in found if fragment not in NOT_LEAKS]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_public_page_renders(client, app, language):
    urls = public_page_urls(app, language)
    assert len(urls) >= 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, url
        other = "en" if language == "ko" else "ko"
        assert f'hreflang="{other}" href="http://localhost/{other}/' in html, url
        assert f'hreflang="{language}" href="http://localhost/{language}/' in html, url
        assert 'hreflang="x-default"' in html, url


def test_no_english_msgid_leaks_into_korean_pages(client, app):
    fragments = english_fragments()
    assert len(fragments) > 30
    for url in public_page_urls(app, "ko"):
        html = client.get(url).get_data(as_text=True)  # text and attributes alike (aria-label, meta)
        leaked = [fragment for fragment in fragments if fragment in html]
        assert not leaked, f"{url} shows untranslated text: {leaked[:3]}"


def test_korean_and_english_pages_differ(client):
    korean = client.get("/ko/").get_data(as_text=True)
    english = client.get("/en/").get_data(as_text=True)
    assert "사진작가" in korean and "photographer" in english.lower()


def test_home_shows_notices_in_seoul_time_per_locale(client, make_notice):
    from datetime import UTC, datetime

    make_notice(
        title_ko="새해 공지",
        title_en="New year notice",
        published_at=datetime(2025, 12, 31, 16, 30, tzinfo=UTC),
    )
    korean = client.get("/ko/").get_data(as_text=True)
    english = client.get("/en/").get_data(as_text=True)
    assert "새해 공지" in korean and "New year notice" in english
    # 16:30 UTC on 31 Dec is 01:30 on 1 Jan in Seoul.
    assert "2026년 1월 1일 오전 1:30" in korean
    assert "Jan 1, 2026, 1:30 AM" in english


def test_footer_shows_privacy_link_and_officer_from_config(client, app):
    app.config.update(PRIVACY_OFFICER_NAME="시험 책임자", PRIVACY_OFFICER_EMAIL="dpo@test.example")
    html = client.get("/ko/").get_data(as_text=True)
    assert 'class="privacy-link" href="/ko/privacy"' in html
    assert "시험 책임자" in html and "mailto:dpo@test.example" in html


def test_pages_have_no_inline_scripts_or_styles(client, app):
    for url in public_page_urls(app, "ko"):
        html = client.get(url).get_data(as_text=True)
        assert "<script" not in html and "style=" not in html and "<style" not in html, url
