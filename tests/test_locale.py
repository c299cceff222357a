"""Language prefixes, the root redirect and the switcher."""

import pytest

from services.locale import negotiate_locale, path_in_language, switch_target

LANGS = ("ko", "en")


@pytest.mark.parametrize(
    ("cookie", "member", "accept", "expected"),
    [
        ("en", "ko", [("ko", 1.0)], "en"),  # an explicit choice wins
        (None, "en", [("ko", 1.0)], "en"),  # then the member's setting
        ("fr", None, [("en-US", 0.9), ("ko", 0.5)], "en"),  # unknown cookie ignored; browser next
        (None, None, [("ko", 0.4), ("en-GB", 0.8)], "en"),  # by quality, not order
        (None, None, [("fr", 1.0), ("de", 0.8)], "ko"),  # nothing of ours: Korean
        (None, None, [("en", 0.0)], "ko"),  # q=0 means "not this one"
        (None, None, [], "ko"),
    ],
)
def test_negotiate_locale_order(cookie, member, accept, expected):
    chosen = negotiate_locale(
        cookie_choice=cookie, member_language=member, accept_languages=accept, supported=LANGS, default="ko"
    )
    assert chosen == expected


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/ko/privacy/history", "en", "/en/privacy/history"),
        ("/en/", "ko", "/ko/"),
        ("/en", "ko", "/ko/"),
        ("/", "en", "/en/"),
        ("/fr/x", "en", "/en/fr/x"),
    ],
)
def test_path_in_language(path, language, expected):
    assert path_in_language(path, language, LANGS) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/ko/privacy", "/en/privacy"),
        ("/ko/privacy?x=1", "/en/privacy?x=1"),
        ("/ko/boards/", "/en/boards/"),  # the trailing slash stays: no extra redirect
        ("/ko/boards/free/?before=9", "/en/boards/free/?before=9"),
        ("https://evil.example/ko/", None),
        ("//evil.example/ko/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_switch_target_only_allows_local_paths(target, expected):
    assert switch_target(target, "en", LANGS) == expected


def test_root_defaults_to_korean(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/ko/")
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


def test_root_follows_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9,ko;q=0.3"})
    assert response.headers["Location"].endswith("/en/")


def test_root_prefers_an_earlier_explicit_choice(client):
    client.set_cookie("lang", "ko")
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.headers["Location"].endswith("/ko/")


def test_switcher_remembers_choice_and_keeps_the_page(client):
    response = client.get("/language/en?next=/ko/privacy/history")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/privacy/history")
    cookie = client.get_cookie("lang")
    assert cookie.value == "en" and cookie.http_only and cookie.same_site == "Lax"
    assert client.get("/", headers={"Accept-Language": "ko"}).headers["Location"].endswith("/en/")


def test_switcher_refuses_to_redirect_off_site(client):
    response = client.get("/language/en?next=https://evil.example/")
    assert response.headers["Location"].endswith("/en/")


def test_switcher_rejects_unknown_language(client):
    assert client.get("/language/fr?next=/ko/").status_code == 404


def test_switcher_links_lead_to_the_same_page(client):
    html = client.get("/ko/privacy/history?x=1").get_data(as_text=True)
    assert 'href="/language/en?next=/en/privacy/history?x%3D1"' in html
    assert '<span aria-current="true" lang="ko">한국어</span>' in html


def test_links_keep_the_current_language(client):
    html = client.get("/en/").get_data(as_text=True)
    assert 'href="/en/privacy"' in html and 'href="/ko/privacy"' not in html


@pytest.mark.parametrize(
    "target",
    ["/..//evil.example", "/ko/..//evil.example", "/ko/a/../../..//evil.example", "/%2e%2e//evil.example"],
)
def test_switch_target_never_yields_a_protocol_relative_url(target):
    result = switch_target(target, "en", LANGS)
    assert result.startswith("/en/") and not result.startswith("//")
    assert "//" not in result


def test_switch_target_refuses_control_characters():
    assert switch_target("/ko/\r\nSet-Cookie: x=1", "en", LANGS) is None
    assert switch_target("/ko/\x00", "en", LANGS) is None


def test_switcher_keeps_a_unicode_query_intact(client):
    html = client.get("/ko/privacy/history", query_string={"q": "한"}).get_data(as_text=True)
    assert "next=/en/privacy/history?q%3D%25ED%2595%259C" in html


def test_switcher_on_a_missing_page_offers_each_home(client):
    html = client.get("/fr/privacy").get_data(as_text=True)
    assert 'href="/language/en?next=/en/"' in html
