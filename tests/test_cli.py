"""The Flask commands `make run` relies on."""

from sqlalchemy import func, select

from extensions import db
from models import Notice, OutboxMessage, PolicyVersion


def test_demo_load_adds_bilingual_notices_once(app, runner):
    app.debug = app.testing = False  # as under `flask demo load`: the CLI runs without debug
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "added 3 notices, 2 e-mails, 1 members" in first.output
    assert "member@usnaper.example / demo-member-password" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert "added 0 notices, 0 e-mails, 0 members" in second.output
    with app.app_context():
        # Delivered on the spot to the console, even though a CLI command runs without debug.
        assert {row.status for row in db.session.scalars(select(OutboxMessage))} == {"sent"}
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
