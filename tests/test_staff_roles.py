"""Staff roles (SPEC §1): only a privacy officer grants or removes them, all logged, never leaving none."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Member, RoleChange
from services.addresses import mask_email
from services.clock import SEOUL
from services.staff import StaffError, grant_role, remove_role
from tests.conftest import MEMBER_PASSWORD
from tests.support import enrol_two_step


def role_changes() -> list[RoleChange]:
    return list(db.session.scalars(select(RoleChange).order_by(RoleChange.id)))


def role_of(app, member_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Member, member_id).staff_role


@pytest.fixture
def officer(board_people, sign_in):
    """The privacy officer's signed-in client."""
    return sign_in("officer@example.com")


def test_mask_email_keeps_only_the_first_letter_and_the_domain():
    assert mask_email("member@usnaper.example") == "m•••@usnaper.example"
    assert mask_email("x@y.kr") == "x•••@y.kr"
    assert mask_email("not-an-address") == "•••"


def test_the_roles_page_lists_staff_with_masked_addresses_only(app, board_people, officer):
    page = officer.get("/ko/office/roles").get_data(as_text=True)
    assert "m•••@example.com" in page and "o•••@example.com" in page
    assert "mod@example.com" not in page and "officer@example.com" not in page
    assert "운영자" not in page  # the moderator's name is not shown either
    assert f"#{board_people['moderator']}" in page
    english = officer.get("/en/office/roles").get_data(as_text=True)
    assert "Grant a role" in english and "Moderator" in english


def test_the_officer_grants_a_role_and_the_change_is_logged(app, board_people, officer, sign_in):
    reader = board_people["reader1"]
    response = officer.post("/ko/office/roles", data={"email": "Reader1@Example.com", "role": "moderator"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/ko/office/roles")
    assert role_of(app, reader) == "moderator"
    with app.app_context():
        [change] = role_changes()
        assert (change.actor_id, change.member_id, change.before, change.after) == (
            board_people["officer"],
            reader,
            None,
            "moderator",
        )
    # The new moderator is sent to set up two-step sign-in first; then the queue opens, the office not.
    assert officer.get("/ko/office/roles").status_code == 200
    client = sign_in("reader1@example.com")
    first = client.get("/ko/moderation/")
    assert first.status_code == 302 and first.headers["Location"].endswith("/ko/me/two-step")
    with app.app_context():
        enrol_two_step(reader, MEMBER_PASSWORD)
    client = sign_in("reader1@example.com")
    assert client.get("/ko/moderation/").status_code == 200
    assert client.get("/ko/office/").status_code == 403


def test_the_officer_changes_a_moderator_into_a_privacy_officer(app, board_people, officer):
    officer.post("/en/office/roles", data={"email": "mod@example.com", "role": "privacy_officer"})
    assert role_of(app, board_people["moderator"]) == "privacy_officer"
    with app.app_context():
        [change] = role_changes()
        assert (change.before, change.after) == ("moderator", "privacy_officer")


@pytest.mark.parametrize("email", ["nobody@example.com", "pending@example.com"])
def test_unknown_or_inactive_addresses_get_the_same_refusal(app, board_people, make_member, officer, email):
    make_member(email="pending@example.com", active=False)
    response = officer.post("/ko/office/roles", data={"email": email, "role": "moderator"})
    assert response.status_code == 200
    assert "그 이메일 주소를 쓰는 활성 회원이 없습니다." in response.get_data(as_text=True)
    english = officer.post("/en/office/roles", data={"email": email, "role": "moderator"})
    assert "There is no active member with that e-mail address." in english.get_data(as_text=True)
    with app.app_context():
        assert role_changes() == []


def test_bad_role_and_bad_address_are_form_errors(app, board_people, officer):
    bad_role = officer.post("/en/office/roles", data={"email": "reader1@example.com", "role": "king"})
    assert bad_role.status_code == 200 and "Choose a role from the list." in bad_role.get_data(as_text=True)
    bad_address = officer.post("/en/office/roles", data={"email": "not an address", "role": "moderator"})
    assert "Enter a valid e-mail address." in bad_address.get_data(as_text=True)
    with app.app_context():
        assert role_changes() == []
        assert db.session.get(Member, board_people["reader1"]).staff_role is None


def test_a_change_that_changes_nothing_is_refused(app, board_people, officer):
    response = officer.post("/en/office/roles", data={"email": "mod@example.com", "role": "moderator"})
    assert "already holds this role" in response.get_data(as_text=True)
    with app.app_context():
        assert role_changes() == []


def test_removing_a_role_is_logged_and_takes_effect(app, board_people, officer, sign_in):
    moderator = board_people["moderator"]
    mod_client = sign_in("mod@example.com")
    response = officer.post(f"/ko/office/roles/{moderator}/remove")
    assert response.status_code == 302
    assert role_of(app, moderator) is None
    assert mod_client.get("/ko/moderation/").status_code == 403
    with app.app_context():
        [change] = role_changes()
        assert (change.actor_id, change.before, change.after) == (board_people["officer"], "moderator", None)
    again = officer.post(f"/en/office/roles/{moderator}/remove", follow_redirects=True)
    assert "That member holds no staff role." in again.get_data(as_text=True)
    assert officer.post("/en/office/roles/999999/remove").status_code == 302
    with app.app_context():
        assert len(role_changes()) == 1


def test_the_last_privacy_officer_can_neither_be_removed_nor_demoted(app, board_people, officer):
    me = board_people["officer"]
    removed = officer.post(f"/en/office/roles/{me}/remove", follow_redirects=True)
    assert "only active privacy officer" in removed.get_data(as_text=True)
    demoted = officer.post("/en/office/roles", data={"email": "officer@example.com", "role": "moderator"})
    assert "only active privacy officer" in demoted.get_data(as_text=True)
    assert role_of(app, me) == "privacy_officer"
    with app.app_context():
        assert role_changes() == []
        with pytest.raises(StaffError) as refused:
            remove_role(me, actor_id=None)
        assert refused.value.code == "last_officer"


def test_an_officer_may_step_down_once_another_officer_exists(app, board_people, make_member, officer):
    make_member(email="second@example.com", staff_role="privacy_officer")
    me = board_people["officer"]
    response = officer.post(f"/ko/office/roles/{me}/remove")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ko/")
    assert role_of(app, me) is None
    assert officer.get("/ko/office/").status_code == 403


def test_a_dormant_officer_does_not_count_as_the_other_officer(app, board_people, make_member, officer):
    make_member(email="asleep@example.com", staff_role="privacy_officer", status="dormant")
    removed = officer.post(f"/en/office/roles/{board_people['officer']}/remove", follow_redirects=True)
    assert "only active privacy officer" in removed.get_data(as_text=True)


def test_role_changes_are_kept_two_years_then_purged(app, make_member):
    from services.purge import purge_expired

    member_id = make_member(email="staff@example.com")
    when = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    with app.app_context():
        change = grant_role("staff@example.com", "moderator", actor_id=None, now=when)
        assert change.retain_until == datetime(2028, 3, 10, tzinfo=SEOUL)
        assert purge_expired(now=datetime(2028, 3, 9, 14, 59, tzinfo=UTC)).get("staff_access_log") is None
        assert purge_expired(now=datetime(2028, 3, 9, 15, 0, tzinfo=UTC)) == {"staff_access_log": 1}
        assert db.session.scalar(select(func.count()).select_from(RoleChange)) == 0
        # The role itself stays: only the record of the change is due.
        assert db.session.get(Member, member_id).staff_role == "moderator"


def test_the_command_line_goes_through_the_same_rules_and_log(app, runner, make_member):
    member_id = make_member(email="first@example.com")
    granted = runner.invoke(args=["users", "grant-role", "First@Example.com", "privacy_officer"])
    assert granted.exit_code == 0 and f"member {member_id} is now privacy_officer" in granted.output
    again = runner.invoke(args=["users", "grant-role", "first@example.com", "privacy_officer"])
    assert again.exit_code == 1 and "already holds this role" in again.output
    last = runner.invoke(args=["users", "revoke-role", "first@example.com"])
    assert last.exit_code == 1 and "only active privacy officer" in last.output
    missing = runner.invoke(args=["users", "revoke-role", "nobody@example.com"])
    assert missing.exit_code == 1 and "no active member" in missing.output
    runner.invoke(args=["users", "grant-role", "second@example.com", "moderator"])  # unknown: refused
    second = make_member(email="second@example.com")
    assert runner.invoke(args=["users", "grant-role", "second@example.com", "privacy_officer"]).exit_code == 0
    assert runner.invoke(args=["users", "revoke-role", "first@example.com"]).exit_code == 0
    with app.app_context():
        changes = role_changes()
        assert [(c.actor_id, c.member_id, c.before, c.after) for c in changes] == [
            (None, member_id, None, "privacy_officer"),
            (None, second, None, "privacy_officer"),
            (None, member_id, "privacy_officer", None),
        ]
