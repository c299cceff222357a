"""Staff routes (SPEC §1): every console route carries staff_required, and its posts need the CSRF token.

Routes are not hand-picked: a rule is a staff route when its view carries the
roles staff_required recorded, and every rule under /office/ or /moderation/
must be one, so a console page added without the decorator fails here. What
each role gets from each of them is checked, with every other route, by the
route x role matrix (tests/test_access_matrix.py).
"""

import pytest
from sqlalchemy import func, select

from extensions import db
from models import RoleChange
from models.member import STAFF_ROLES
from tests.conftest import MEMBER_PASSWORD
from tests.support import form_token, sign_in_with_token
from tests.url_map import checked_requests, staff_roles

STAFF_PREFIXES = ("/<lang:lang_code>/office/", "/<lang:lang_code>/moderation/")


def staff_requests(app, language: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path, roles) of every staff route; ids are 1, as staff_required runs first."""
    rules = [rule for rule in app.url_map.iter_rules() if staff_roles(app, rule) is not None]
    return [
        (method, path, staff_roles(app, rule))
        for rule, method, _, path in checked_requests(app, rules, language)
    ]


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


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_console_posts_need_their_csrf_token(app, board_people):
    officer = app.test_client()
    sign_in_with_token(officer, "officer@example.com", MEMBER_PASSWORD)
    for method, path, _ in staff_requests(app, "ko"):
        if method == "POST" and "/office/" in path:
            assert officer.post(path, data={}).status_code == 400, path
    form = {"email": "reader1@example.com", "role": "moderator"}
    assert officer.post("/ko/office/roles", data=form).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RoleChange)) == 0
    form["csrf_token"] = form_token(officer.get("/ko/office/roles").get_data(as_text=True))
    assert officer.post("/ko/office/roles", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RoleChange)) == 1
