"""Headers every response carries, and the host and proxy settings production relies on."""

import re
from pathlib import Path

import pytest

from extensions import db
from tests.test_pages import SAMPLE_ARGS


def test_basic_headers_on_every_page(client):
    for path in ("/ko/", "/en/privacy", "/healthz", "/fr/missing"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert "Strict-Transport-Security" not in response.headers, path


@pytest.mark.parametrize("app_overrides", [{"HSTS_SECONDS": 600}])
def test_hsts_when_configured(client):
    assert client.get("/ko/").headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


@pytest.mark.parametrize("app_overrides", [{"TRUSTED_HOSTS": ["usnaper.example"]}])
def test_a_foreign_host_header_is_refused(client):
    assert client.get("/ko/", headers={"Host": "usnaper.example"}).status_code == 200
    response = client.get("/ko/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"PROXY_HOPS": 1}])
def test_links_follow_the_proxy_scheme_and_host(client):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "usnaper.example"}
    html = client.get("/ko/", headers=headers).get_data(as_text=True)
    assert 'hreflang="en" href="https://usnaper.example/en/"' in html


def test_forwarded_headers_are_ignored_without_a_proxy(client):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    html = client.get("/ko/", headers=headers).get_data(as_text=True)
    assert "evil.example" not in html


# --- The full header set on every route (SPEC hardening; ASVS 5.0 V3.4, V14.3.2) ---------------

# Sample values for URL arguments the page tests do not need (theirs come from tests/test_pages.py).
MORE_SAMPLE_ARGS = {
    "post_id": ["1"],
    "profile_id": ["1"],
    "token": ["not-a-real-token"],
    "filename": ["css/site.css"],
    "name": ["no-such-photo"],
    "field": ["name"],
}
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
# Parts of the site whose every response may hold personal data, whoever asks.
PRIVATE_PREFIXES = ("/<lang:lang_code>/me/", "/<lang:lang_code>/office/", "/<lang:lang_code>/moderation/")
PRIVATE_BLUEPRINTS = {"auth", "me", "shoots", "office", "moderation", "policy_drafts", "dev", "complaints"}
MAIL_PREVIEW = "dev.message_html"


def sample_value(name: str, converter: str | None, choices: str | None, language: str) -> str:
    """One value for a URL argument: the page language, the first any(...) choice, or a sample."""
    if name in ("lang_code", "code"):
        return language
    if converter == "any":
        return choices.split(",")[0].strip()
    samples = SAMPLE_ARGS | MORE_SAMPLE_ARGS
    if name in samples:
        return samples[name][0]
    assert converter == "int", f"add a sample value for <{name}> to MORE_SAMPLE_ARGS"
    return "1"


def every_route(app, language: str = "ko") -> list[tuple[str, str, str]]:
    """(endpoint, method, path) for every rule of the URL map: GET where it has one, else its first method.

    Sign-out comes last, so a signed-in walk stays signed in until its end.
    """
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        method = "GET" if "GET" in methods else methods[0]
        path = PLACEHOLDER.sub(
            lambda m: sample_value(m.group(3), m.group(1), m.group(2), language), rule.rule
        )
        assert adapter.match(path, method=method)[0] == rule.endpoint, (method, path)
        found.append((rule.endpoint, method, path))
    assert len(found) == len(list(app.url_map.iter_rules()))
    return sorted(found, key=lambda item: item[0] == "auth.signout")


def csp_directives(value: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header split into {directive: [sources]}."""
    parts = [part.split() for part in value.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def assert_strict_csp(value: str, case: str) -> None:
    """Our own origin only: no inline code, no eval, no plugins, no <base>, no framing."""
    directives = csp_directives(value)
    expected = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    for name, sources in expected.items():
        assert directives.get(name) == sources, f"{case}: {name} is {directives.get(name)}"
    allowed = {"'self'", "'none'"}
    loose = {source for sources in directives.values() for source in sources} - allowed
    assert not loose, f"{case}: the CSP allows {loose}"


STRICT_REFERRER_POLICIES = ("strict-origin-when-cross-origin", "strict-origin", "same-origin", "no-referrer")


def assert_header_set(response, case: str, mail_preview: bool = False) -> None:
    """The headers every response carries, whatever its status."""
    headers = response.headers
    if mail_preview:
        assert_sandboxed_mail_csp(headers["Content-Security-Policy"], case)
    else:
        assert_strict_csp(headers["Content-Security-Policy"], case)
    assert headers["X-Content-Type-Options"] == "nosniff", case
    assert headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin", "no-referrer"), (
        case
    )
    permissions = {item.strip() for item in headers["Permissions-Policy"].split(",")}
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= permissions, case
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", case
    assert "X-XSS-Protection" not in headers, case
    assert "Strict-Transport-Security" not in headers, case  # tests run without TLS, as development does


def assert_sandboxed_mail_csp(value: str, case: str) -> None:
    """The e-mail preview may use inline styles and nothing else, in a sandbox."""
    directives = csp_directives(value)
    assert directives["sandbox"] == [], case
    assert directives["default-src"] == ["'none'"] and directives["style-src"] == ["'unsafe-inline'"], case
    assert "script-src" not in directives, case  # falls back to default-src 'none'
    assert directives["object-src" if "object-src" in directives else "default-src"] == ["'none'"], case
    assert directives["base-uri"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"], case


INLINE_CODE = (
    re.compile(r"<script\b(?![^>]*\bsrc\s*=)", re.IGNORECASE),  # a script block, not a file
    re.compile(r"<style\b", re.IGNORECASE),
    re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE),
    re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    re.compile(r"javascript:", re.IGNORECASE),
)


def inline_code(html: str) -> list[str]:
    """The inline script, style and event-handler snippets the strict CSP would block."""
    return [match.group(0)[:80] for pattern in INLINE_CODE for match in pattern.finditer(html)]


@pytest.fixture
def site(app, board_people, make_post, make_photographer, sign_in):
    """Content behind the sample ids (post 1, profile 1), and a client per kind of person."""
    assert make_post(board_people["writer"], title="첫 글") == 1
    assert make_photographer(email="photographer@example.com")[1] == 1
    return {
        "visitor": app.test_client(),
        "member": sign_in("reader1@example.com"),
        "privacy_officer": sign_in("officer@example.com"),
    }


@pytest.mark.parametrize("who", ["visitor", "member", "privacy_officer"])
def test_every_route_carries_the_header_set(app, site, who):
    from blueprints.security.headers import PUBLIC_ASSETS, PUBLIC_PAGES

    client = site[who]
    routes = every_route(app)
    assert len(routes) >= 100
    rendered = 0
    for endpoint, method, path in routes:
        if endpoint == "auth.signout" and who != "visitor":  # the last route: still signed in till here
            assert client.get("/ko/me/").status_code == 200
        response = client.open(path, method=method, data={})
        case = f"{who} {method} {path} -> {response.status_code}"
        assert response.status_code < 500, case
        assert_header_set(response, case)
        cache = response.headers.get("Cache-Control", "")
        if endpoint in PUBLIC_ASSETS or (who == "visitor" and endpoint in PUBLIC_PAGES):
            assert "no-store" not in cache, case
        else:
            assert cache == "no-store", case
        if response.status_code == 200 and response.mimetype == "text/html":
            rendered += 1
            assert not inline_code(response.get_data(as_text=True)), case
    # The walk saw real pages, not only refusals and 404s.
    assert rendered >= 15, rendered


def test_public_pages_are_public(app):
    from blueprints.security.headers import OWN_POLICIES, PUBLIC_ASSETS, PUBLIC_PAGES

    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    assert set(OWN_POLICIES) == {MAIL_PREVIEW}
    for endpoint in PUBLIC_PAGES | PUBLIC_ASSETS | set(OWN_POLICIES):
        assert endpoint in rules, f"{endpoint} is listed in headers.py but is not a route"
    for endpoint in PUBLIC_PAGES:
        rule = rules[endpoint]
        assert "GET" in rule.methods and "token" not in rule.arguments, endpoint
        assert not rule.rule.startswith(PRIVATE_PREFIXES), endpoint
        assert endpoint.split(".")[0] not in PRIVATE_BLUEPRINTS, endpoint


def test_a_signed_in_member_gets_no_store_on_public_pages_but_assets_stay_cacheable(site):
    member, visitor = site["member"], site["visitor"]
    for path in ("/ko/", "/en/boards/", "/ko/privacy"):
        assert "no-store" not in visitor.get(path).headers.get("Cache-Control", ""), path
        assert member.get(path).headers["Cache-Control"] == "no-store", path
    for client in (member, visitor):
        response = client.get("/static/css/site.css")
        assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


def test_pages_with_personal_data_are_never_stored_for_visitors_either(client):
    for path in (
        "/ko/signup",
        "/ko/signin",
        "/ko/password/reset/abc",
        "/ko/verify/abc",
        "/en/privacy/contact",
    ):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    echoed = client.post("/ko/signup", data={"email": "someone@example.com", "name": "홍길동"})
    assert echoed.status_code == 400 and "someone@example.com" in echoed.get_data(as_text=True)
    assert echoed.headers["Cache-Control"] == "no-store"


def test_a_view_cannot_loosen_the_policy(app):
    @app.get("/loose")
    def loose():
        return "x", 200, {"Content-Security-Policy": "default-src *", "Cache-Control": "public, max-age=60"}

    response = app.test_client().get("/loose")
    assert_strict_csp(response.headers["Content-Security-Policy"], "/loose")
    assert response.headers["Cache-Control"] == "no-store"


def test_production_hsts_is_a_year_with_subdomains():
    from config import ProductionConfig

    assert ProductionConfig.HSTS_SECONDS >= 365 * 24 * 3600


@pytest.fixture
def queued_mail(app):
    """An e-mail in the outbox (inline styles in its HTML part), with the development pages switched on."""
    from services.outbox import queue_email

    app.config["DEBUG"] = True
    with app.app_context():
        row = queue_email("member@example.com", "mail_check", "ko")
        db.session.commit()
        return row.id


def test_the_dev_outbox_shows_mail_html_in_a_sandbox_and_the_rest_under_the_site_policy(client, queued_mail):
    for path in ("/ko/dev/outbox", f"/ko/dev/outbox/{queued_mail}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_header_set(page, path)
        assert not inline_code(page.get_data(as_text=True)), path
    preview = client.get(f"/ko/dev/outbox/{queued_mail}/html")
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    assert 'style="' in preview.get_data(as_text=True)  # the reason it needs a policy of its own
    assert_header_set(preview, "mail preview", mail_preview=True)
    assert preview.headers["Cache-Control"] == "no-store"


def test_no_page_template_has_inline_script_style_or_handlers():
    templates = Path(__file__).resolve().parent.parent / "templates"
    pages = [path for path in templates.rglob("*.html") if "email" not in path.relative_to(templates).parts]
    assert len(pages) > 50
    found = {str(path.relative_to(templates)): inline_code(path.read_text()) for path in pages}
    assert not {name: snippets for name, snippets in found.items() if snippets}


@pytest.mark.parametrize(
    ("html", "caught"),
    [
        ("<script>alert(1)</script>", True),
        ('<script type="module">x()</script>', True),
        ('<script src="/static/js/site.js"></script>', False),
        ("<style>p{}</style>", True),
        ('<p class="x" style="color:red">', True),
        ("<a href=\"#\" onclick='go()'>", True),
        ('<body onload="go()">', True),
        ('<a href="javascript:go()">', True),
        ('<p class="one" data-one="1">One = 1, style = plain</p>', False),
    ],
)
def test_the_inline_code_check_catches_what_the_csp_blocks(html, caught):
    assert bool(inline_code(html)) is caught
