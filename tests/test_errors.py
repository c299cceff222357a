"""Error pages: every code in the visitor's language, never a traceback."""

import pytest
from flask import abort


@pytest.fixture
def app_with_failing_routes(app):
    """Routes that fail on purpose (registered only in this test app)."""

    @app.get("/<lang:lang_code>/_test/abort/<int:code>")
    def abort_with(code):
        abort(code)

    @app.get("/<lang:lang_code>/_test/crash")
    def crash():
        raise RuntimeError("secret traceback detail")

    @app.post("/<lang:lang_code>/_test/upload")
    def upload():
        from flask import request

        return str(len(request.form))

    return app


@pytest.mark.parametrize(
    ("code", "korean", "english"),
    [
        (400, "잘못된 요청입니다", "Bad request"),
        (403, "접근 권한이 없습니다", "Access denied"),
        (404, "페이지를 찾을 수 없습니다", "Page not found"),
        (405, "허용되지 않는 요청입니다", "Not allowed"),
        (413, "용량이 너무 큽니다", "Too large"),
        (429, "요청이 너무 많습니다", "Too many requests"),
        (500, "문제가 발생했습니다", "Something went wrong"),
    ],
)
def test_error_pages_in_both_languages(app_with_failing_routes, code, korean, english):
    client = app_with_failing_routes.test_client()
    ko = client.get(f"/ko/_test/abort/{code}")
    en = client.get(f"/en/_test/abort/{code}")
    assert ko.status_code == en.status_code == code
    ko_html, en_html = ko.get_data(as_text=True), en.get_data(as_text=True)
    assert korean in ko_html and '<html lang="ko">' in ko_html and english not in ko_html
    assert english in en_html and '<html lang="en">' in en_html
    assert 'hreflang="x-default"' not in en_html  # error pages are not alternates of anything


@pytest.mark.parametrize(
    "path",
    [
        "/ko/privacy/%00",
        "/ko/privacy/1.0%00",
        "/ko/privacy/" + "9" * 5000,
        "/ko//privacy",
        "/KO/",
        "/ko/privacy/1.0/../../../etc/passwd",
        "/ko/%ED%95%9C%EA%B8%80",
        "/ko/privacy?x=%ff%fe",
        "/language/ko?next=%00",
        "/" + "a/" * 2000,
    ],
)
def test_odd_urls_are_answered_without_a_500(client, path):
    response = client.get(path)
    assert response.status_code < 500, path


def test_odd_headers_are_answered_without_a_500(client):
    for header in ("", ";;;", "ko;q=abc", "*", "x" * 5000, "en-US,en;q=0.9,ko;q=1.5"):
        response = client.get("/", headers={"Accept-Language": header})
        assert response.status_code == 302, header


def test_unknown_language_prefix_gets_korean_404(client):
    response = client.get("/fr/privacy")
    assert response.status_code == 404
    assert '<html lang="ko">' in response.get_data(as_text=True)


def test_unknown_page_under_english_gets_english_404(client):
    response = client.get("/en/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and "Page not found" in html


def test_unknown_policy_version_is_404(client):
    assert client.get("/ko/privacy/7.7").status_code == 404
    assert client.get("/ko/cookies/1.0").status_code == 404


def test_405_keeps_allow_header(client):
    response = client.post("/en/privacy")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Not allowed" in response.get_data(as_text=True)


def test_413_for_an_oversized_body(app_with_failing_routes):
    app_with_failing_routes.config["MAX_CONTENT_LENGTH"] = 1024
    client = app_with_failing_routes.test_client()
    response = client.post("/ko/_test/upload", data={"f": "x" * 5000})
    assert response.status_code == 413
    assert "용량이 너무 큽니다" in response.get_data(as_text=True)


def test_500_shows_our_page_without_a_traceback(app_with_failing_routes):
    app_with_failing_routes.config["PROPAGATE_EXCEPTIONS"] = False
    client = app_with_failing_routes.test_client()
    response = client.get("/en/_test/crash")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret traceback detail" not in html and "Traceback" not in html


def test_a_lost_database_connection_is_a_503_with_retry_after_in_both_languages(app, make_member, sign_in):
    """The unit of tests/drills/test_postgres_restart.py: the handler, without stopping a server."""
    from sqlalchemy.exc import OperationalError

    @app.post("/<lang:lang_code>/_test/lost-connection")
    def lost_connection():
        raise OperationalError("INSERT ...", {}, OSError("server closed the connection unexpectedly"))

    make_member()
    member = sign_in("member@example.com")
    for language, words in (("ko", "일시적으로 이용할 수 없습니다"), ("en", "Temporarily unavailable")):
        response = member.post(f"/{language}/_test/lost-connection")
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        html = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in html and words in html
        assert "server closed" not in html and "Traceback" not in html
    assert member.get("/en/me/").status_code == 200, "an outage must not sign the member out"
