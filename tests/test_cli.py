"""The Flask commands `make run` relies on."""

from sqlalchemy import func, select

from extensions import db
from models import Board, Member, Notice, OutboxMessage, PolicyVersion, Post


def test_demo_load_adds_bilingual_notices_once(app, runner):
    app.debug = app.testing = False  # as under `flask demo load`: the CLI runs without debug
    first = runner.invoke(args=["demo", "load"])
    assert (
        first.exit_code == 0
        and "added 3 notices, 2 e-mails, 1 members, 6 posts, 3 photographers, 1 shoot requests"
        in first.output
    )
    assert (
        "1 privacy officers, 4 audit rows, 3 complaints, 1 failed e-mails, 1 campaigns, 1 policy changes"
        in first.output
    )
    assert "member@usnaper.example / demo-member-password" in first.output
    assert "officer@usnaper.example / demo-officer-password" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert (
        "added 0 notices, 0 e-mails, 0 members, 0 posts, 0 photographers, 0 shoot requests" in second.output
    )
    assert "0 privacy officers, 0 audit rows, 0 complaints, 0 failed e-mails, 0 campaigns" in second.output
    with app.app_context():
        # Delivered on the spot to the console, even though a CLI command runs without debug;
        # the one failure is the demo's, there for the mail dashboard to retry.
        statuses = {row.recipient: row.status for row in db.session.scalars(select(OutboxMessage))}
        assert statuses.pop("bounced@usnaper.example") == "failed"
        assert set(statuses.values()) == {"sent"}
    with app.app_context():
        notices = list(db.session.scalars(select(Notice)))
        assert len(notices) == 3
        assert all(n.title_ko and n.title_en and n.body_ko and n.body_en for n in notices)


def test_demo_notices_show_on_home(client, runner):
    runner.invoke(args=["demo", "load"])
    assert "USNAPER가 문을 열었습니다" in client.get("/ko/").get_data(as_text=True)
    assert "USNAPER is open" in client.get("/en/").get_data(as_text=True)


def test_policies_sync_command(app, runner):
    with app.app_context():
        db.session.execute(PolicyVersion.__table__.delete())
        db.session.commit()
    result = runner.invoke(args=["policies", "sync"])
    assert result.exit_code == 0 and "2 shipped version(s) added" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PolicyVersion)) == 2


def test_demo_member_can_sign_in(client, runner):
    runner.invoke(args=["demo", "load"])
    response = client.post(
        "/ko/signin", data={"email": "member@usnaper.example", "password": "demo-member-password"}
    )
    assert response.status_code == 302
    assert "데모 회원" in client.get("/ko/").get_data(as_text=True)


def test_demo_boards_show_posts_a_held_spam_post_and_a_report_to_the_moderator(app, client, runner):
    output = runner.invoke(args=["demo", "load"]).output
    assert "moderator@usnaper.example / demo-moderator-password" in output
    assert "제주 스냅 처음 찍어 봤어요" in client.get("/ko/boards/free/").get_data(as_text=True)
    assert "최저가 촬영 패키지" not in client.get("/ko/boards/free/").get_data(as_text=True)
    assert "two-step key DEMOMODERATORTWOSTEPKEYUSNAPERAB" in output
    signin = client.post(
        "/ko/signin", data={"email": "moderator@usnaper.example", "password": "demo-moderator-password"}
    )
    assert signin.headers["Location"].endswith("/ko/signin/code")
    code = runner.invoke(args=["demo", "code", "moderator@usnaper.example"]).output.strip()
    assert client.post("/ko/signin/code", data={"code": code}).status_code == 302
    queue = client.get("/ko/moderation/").get_data(as_text=True)
    assert "최저가 촬영 패키지" in queue and "Anyone selling a used car?" in queue


def test_boards_sync_is_safe_to_run_again(app, runner):
    first = runner.invoke(args=["boards", "sync"])
    assert first.exit_code == 0 and "3 board(s) created or updated" in first.output
    assert "0 board(s)" in runner.invoke(args=["boards", "sync"]).output
    with app.app_context():
        assert {board.slug for board in db.session.scalars(select(Board))} == {"free", "questions", "reviews"}
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_users_grant_and_revoke_a_staff_role(app, runner, make_member):
    member_id = make_member(email="staff@example.com")
    granted = runner.invoke(args=["users", "grant-role", "Staff@Example.com", "moderator"])
    assert granted.exit_code == 0 and f"member {member_id} is now moderator" in granted.output
    with app.app_context():
        assert db.session.get(Member, member_id).staff_role == "moderator"
    assert runner.invoke(args=["users", "grant-role", "staff@example.com", "king"]).exit_code == 2
    missing = runner.invoke(args=["users", "grant-role", "nobody@example.com", "moderator"])
    assert missing.exit_code == 1 and "no active member" in missing.output
    assert runner.invoke(args=["users", "revoke-role", "staff@example.com"]).exit_code == 0
    with app.app_context():
        assert db.session.get(Member, member_id).staff_role is None


def test_demo_codes_only_for_demo_staff_and_only_in_development(app, runner, make_member):
    runner.invoke(args=["demo", "load"])
    make_member(email="real.staff@example.com", staff_role="moderator")
    refused = runner.invoke(args=["demo", "code", "real.staff@example.com"])
    assert refused.exit_code != 0 and "not a demo staff account" in refused.output
    assert runner.invoke(args=["demo", "code", "member@usnaper.example"]).exit_code != 0  # no two-step
    app.config["DEMO_CONTENT_ALLOWED"] = False
    refused = runner.invoke(args=["demo", "code", "officer@usnaper.example"])
    assert refused.exit_code != 0 and "development only" in refused.output


def test_demo_load_refuses_outside_development(app, runner):
    app.config["DEMO_CONTENT_ALLOWED"] = False  # as under ProductionConfig
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "development only" in result.output
    with app.app_context():
        from models import Member

        assert db.session.scalar(select(Member.id).limit(1)) is None
