"""The permission matrix (SPEC §1): every staff route, found in the URL map, refuses every lower role.

Routes are not hand-picked: a rule is a staff route when its view carries the
roles staff_required recorded, and every rule under /office/ or /moderation/
must be one, so a console page added without the decorator fails here.
"""

import re
from itertools import product

import pytest
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter

from extensions import db
from models import RoleChange
from models.member import STAFF_ROLES
from tests.conftest import MEMBER_PASSWORD
from tests.support import two_step_code

STAFF_PREFIXES = ("/<lang:lang_code>/office/", "/<lang:lang_code>/moderation/")
PLACEHOLDER = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


def staff_roles(app, rule) -> tuple[str, ...] | None:
    """The roles staff_required recorded on the rule's view, or None for a view open to others."""
    return getattr(app.view_functions[rule.endpoint], "staff_roles", None)


def sample_paths(rule, language: str) -> list[str]:
    """The rule's paths with sample values: every choice of an any(...) part, 1 for ids and other parts.

    An id that names nothing is fine: staff_required runs before any look-up.
    """
    choices = {"lang_code": [language]}
    for name, converter in rule._converters.items():
        if name not in choices:
            choices[name] = sorted(converter.items) if isinstance(converter, AnyConverter) else ["1"]
    paths = []
    for combo in product(*choices.values()):
        values = dict(zip(choices, combo, strict=True))
        paths.append(PLACEHOLDER.sub(lambda match, values=values: values[match.group(1)], rule.rule))
    return paths


def staff_requests(app, language: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path, roles) for every method of every staff route, each checked to route back to its rule."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        roles = staff_roles(app, rule)
        if roles is None:
            continue
        for path in sample_paths(rule, language):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                assert adapter.match(path, method=method)[0] == rule.endpoint, (method, path)
                found.append((method, path, roles))
    return found


def test_every_console_route_is_staff_protected(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(STAFF_PREFIXES)]
    assert rules, "no console routes found: has the URL layout changed?"
    unprotected = [rule.rule for rule in rules if staff_roles(app, rule) is None]
    assert not unprotected, f"console routes without staff_required: {unprotected}"
    recorded = {role for rule in app.url_map.iter_rules() for role in staff_roles(app, rule) or ()}
    assert recorded <= set(STAFF_ROLES)
    # The matrix means something only when both kinds of staff route exist.
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if staff_roles(app, rule)}
    assert {"office.index", "office.audit", "moderation.index"} <= endpoints


@pytest.fixture
def people(app, board_people, make_photographer, sign_in):
    """A signed-in client per role, and a visitor; the officer comes last, as its posts take effect."""
    make_photographer(email="photographer@example.com")
    return {
        "visitor": app.test_client(),
        "member": sign_in("reader1@example.com"),
        "photographer": sign_in("photographer@example.com"),
        "moderator": sign_in("mod@example.com"),
        "privacy_officer": sign_in("officer@example.com"),
    }


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_staff_route_refuses_every_lower_role(app, people, language):
    requests = staff_requests(app, language)
    assert len(requests) >= 20
    assert any(method == "POST" for method, _, _ in requests)
    for who, client in people.items():
        for method, path, roles in requests:
            response = client.open(path, method=method, data={})
            status, where = response.status_code, response.headers.get("Location", "")
            case = f"{who} {method} {path}"
            if who == "visitor":
                assert status == 302 and f"/{language}/signin" in where, case
            elif who in ("member", "photographer") or (who == "moderator" and "moderator" not in roles):
                assert status == 403, case
            else:
                assert status != 403 and f"/{language}/signin" not in where, case
                assert status < 500, case


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_console_posts_need_their_csrf_token(app, board_people):
    def token(html: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    officer = app.test_client()
    signin = token(officer.get("/ko/signin").get_data(as_text=True))
    data = {"email": "officer@example.com", "password": MEMBER_PASSWORD, "csrf_token": signin}
    assert officer.post("/ko/signin", data=data).headers["Location"].endswith("/ko/signin/code")
    with app.app_context():
        code = {"code": two_step_code(board_people["officer"])}
    code["csrf_token"] = token(officer.get("/ko/signin/code").get_data(as_text=True))
    assert officer.post("/ko/signin/code", data=code).status_code == 302
    for method, path, _ in staff_requests(app, "ko"):
        if method == "POST" and "/office/" in path:
            assert officer.post(path, data={}).status_code == 400, path
    form = {"email": "reader1@example.com", "role": "moderator"}
    assert officer.post("/ko/office/roles", data=form).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RoleChange)) == 0
    form["csrf_token"] = token(officer.get("/ko/office/roles").get_data(as_text=True))
    assert officer.post("/ko/office/roles", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RoleChange)) == 1
