"""Security logging (ASVS 16): request ids, one line per event, no personal data, no forged lines."""

import logging
import re

import pytest
from flask import request
from sqlalchemy import select

from blueprints.security.logging import escape_controls
from extensions import db
from models import OutboxMessage
from tests.conftest import MEMBER_PASSWORD

EMAIL = "member@example.com"
ADDRESS = "203.0.113.77"
HEX_ID = re.compile(r"[0-9a-f]{32}")


def events(caplog, name: str | None = None) -> list[logging.LogRecord]:
    """The security events caplog saw (of one name, if given)."""
    found = [r for r in caplog.records if r.name == "security"]
    return [r for r in found if name is None or getattr(r, "event", None) == name]


def lines_of(captured: str, request_id: str) -> list[str]:
    """The written log lines that carry this request id."""
    return [line for line in captured.split("\n") if f"request={request_id} " in line]


@pytest.fixture
def member(make_member):
    return make_member(email=EMAIL, name="김회원")


def post_signin(client, email=EMAIL, password=MEMBER_PASSWORD, lang="en"):
    return client.post(f"/{lang}/signin", data={"email": email, "password": password})


# Request ids


def test_every_response_carries_a_fresh_request_id(client):
    first, second = client.get("/en/"), client.get("/en/")
    assert HEX_ID.fullmatch(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert HEX_ID.fullmatch(client.get("/en/no-such-page").headers["X-Request-ID"])  # errors too


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("proxy-1234abcd", True),
        ("A" * 64, True),
        ("short", False),
        ("A" * 65, False),
        ("has space 12345", False),
        ("semi;colon-1234", False),
        ("한국어요청번호입니다", False),
    ],
)
def test_a_proxy_request_id_is_kept_only_when_it_looks_sane(app, client, offered, kept):
    app.config["PROXY_HOPS"] = 1
    echoed = client.get("/en/", headers={"X-Request-ID": offered}).headers["X-Request-ID"]
    assert (echoed == offered) is kept
    if not kept:
        assert HEX_ID.fullmatch(echoed)


def test_without_a_trusted_proxy_an_offered_request_id_is_replaced(client):
    echoed = client.get("/en/", headers={"X-Request-ID": "proxy-1234abcd"}).headers["X-Request-ID"]
    assert echoed != "proxy-1234abcd" and HEX_ID.fullmatch(echoed)


def test_every_log_line_of_a_request_carries_its_id_and_path(app, capsys):
    @app.get("/_test/log")
    def log_something():
        logging.getLogger("blueprints.anything").warning("note about %s", request.args["v"])
        return "ok"

    response = app.test_client().get("/_test/log?v=plain")
    rid = response.headers["X-Request-ID"]
    [line] = lines_of(capsys.readouterr().err, rid)
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING blueprints\.anything ", line)
    assert f"request={rid} path=/_test/log note about plain" in line


# The events


def test_a_sign_in_is_logged_once_with_member_request_and_path(client, member, caplog):
    response = post_signin(client)
    assert response.status_code == 302
    [event] = events(caplog)
    assert (event.event, event.member_id, event.outcome) == ("signin_success", str(member), "ok")
    assert event.request_id == response.headers["X-Request-ID"] and event.path == "/en/signin"
    assert event.getMessage() == f"event=signin_success member={member} outcome=ok"
    assert event.levelno == logging.INFO


@pytest.mark.parametrize(
    ("email", "password", "known"),
    [(EMAIL, "not the right one", True), ("nobody@example.com", MEMBER_PASSWORD, False)],
)
def test_a_failed_sign_in_is_logged_once_naming_the_member_only_by_number(
    client, member, caplog, email, password, known
):
    response = post_signin(client, email, password)
    assert response.status_code == 400
    [event] = events(caplog)
    assert (event.event, event.outcome, event.levelno) == ("signin_failure", "invalid", logging.WARNING)
    assert event.member_id == (str(member) if known else "-")
    assert event.request_id == response.headers["X-Request-ID"]


def test_a_throttled_sign_in_is_logged_as_such(client, member, caplog):
    for _ in range(5):
        post_signin(client, password="not the right one")
    caplog.clear()
    assert post_signin(client).status_code == 429
    [event] = events(caplog)
    assert (event.event, event.outcome, event.member_id) == ("signin_failure", "throttled", "-")


def test_a_sign_out_is_logged_once_as_ending_every_session(client, member, caplog):
    post_signin(client)
    caplog.clear()
    response = client.post("/en/signout")
    assert response.status_code == 302
    [event] = events(caplog)
    assert (event.event, event.member_id, event.outcome) == ("signout", str(member), "everywhere")
    assert event.request_id == response.headers["X-Request-ID"]


def test_a_password_change_is_logged_and_so_is_a_wrong_current_password(client, member, caplog):
    post_signin(client)
    change = {"password": "another long passphrase", "password_confirm": "another long passphrase"}
    caplog.clear()
    refused = client.post("/en/me/password", data={"current_password": "not it at all"} | change)
    assert refused.status_code == 400
    changed = client.post("/en/me/password", data={"current_password": MEMBER_PASSWORD} | change)
    assert changed.status_code == 302
    found = [(e.event, e.member_id, e.outcome, e.levelno) for e in events(caplog)]
    assert found == [
        ("password_change", str(member), "wrong_password", logging.WARNING),
        ("password_change", str(member), "ok", logging.INFO),
    ]
    everything = "\n".join(record.getMessage() for record in caplog.records)
    assert "another long passphrase" not in everything and "not it at all" not in everything


def test_a_staff_page_refused_to_a_member_is_logged_once(client, member, caplog):
    post_signin(client)
    caplog.clear()
    response = client.get("/en/office/")
    assert response.status_code == 403
    [event] = events(caplog)
    assert (event.event, event.member_id, event.outcome) == ("access_denied", str(member), "403")
    assert event.request_id == response.headers["X-Request-ID"] and event.path == "/en/office/"
    assert "needs=privacy_officer" in event.getMessage() and "endpoint=office." in event.getMessage()


def test_any_other_403_is_logged_once_too(app, client, caplog):
    @app.get("/_test/forbidden")
    def forbidden():
        from flask import abort

        abort(403)

    response = client.get("/_test/forbidden")
    assert response.status_code == 403
    [event] = events(caplog)
    assert (event.event, event.member_id) == ("access_denied", "-")
    assert "endpoint=forbidden" in event.getMessage()


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ko", "양식을 너무 오래 열어 두었거나 다른 사이트에서 보낸 요청이라"),
        ("en", "This form was open too long or was sent from another site"),
    ],
)
def test_a_csrf_failure_gets_a_400_page_in_the_language_and_is_logged_once(
    client, member, caplog, lang, words
):
    response = post_signin(client, lang=lang)
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    [event] = events(caplog)
    assert (event.event, event.outcome, event.member_id) == ("csrf_failure", "400", "-")
    assert "endpoint=auth.signin reason=the_csrf_token_is_missing" in event.getMessage()
    assert event.request_id == response.headers["X-Request-ID"]


def test_a_role_change_is_logged_once_with_both_members_numbers(app, board_people, sign_in, caplog):
    officer = sign_in("officer@example.com")
    caplog.clear()
    response = officer.post("/en/office/roles", data={"email": "reader1@example.com", "role": "moderator"})
    assert response.status_code == 302
    [event] = events(caplog)
    assert (event.event, event.member_id) == ("role_change", str(board_people["reader1"]))
    assert event.getMessage().endswith(f"before=none after=moderator actor={board_people['officer']}")
    assert event.request_id == response.headers["X-Request-ID"]
    assert "reader1@example.com" not in event.getMessage()


def test_a_role_change_from_the_command_line_is_logged_without_a_request(app, make_member, runner, caplog):
    member = make_member(email="first@example.com")
    assert runner.invoke(args=["users", "grant-role", "first@example.com", "privacy_officer"]).exit_code == 0
    [event] = events(caplog, "role_change")
    assert (event.member_id, event.request_id, event.path) == (str(member), "-", "-")
    assert "actor=cli" in event.getMessage()


# Log injection and personal data


def test_escape_controls_leaves_one_line_that_reads_back_unambiguously():
    assert (
        escape_controls("a\r\nb\tc\x1b[31m\x85\u2028\u202e\\n")
        == "a\\r\\nb\\tc\\x1b[31m\\x85\\u2028\\u202e\\\\n"
    )
    assert escape_controls("사진 찍는 날 ✓") == "사진 찍는 날 ✓"


def assert_one_clean_line(captured: str, request_id: str) -> str:
    [line] = lines_of(captured, request_id)
    assert "\r" not in captured
    assert not any(other.startswith("INFO security") for other in captured.split("\n"))
    return line


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_cr_lf_in_the_path_and_query_cannot_forge_a_log_line(client, capsys, caplog):
    forged = "%0d%0aINFO%20security%20event=signin_success%20member=1"
    response = client.post(f"/en/boards/free{forged}/new?next={forged}", data={"title": "x"})
    assert response.status_code == 400
    line = assert_one_clean_line(capsys.readouterr().err, response.headers["X-Request-ID"])
    assert (
        "path=/en/boards/free\\r\\nINFO security event=signin_success member=1/new event=csrf_failure" in line
    )
    assert len(events(caplog)) == 1


def test_control_characters_in_a_sign_in_address_forge_nothing_and_the_address_is_not_logged(
    client, member, capsys, caplog
):
    typed = "evil\r\nINFO security event=signin_success member=1\x1b[2K@example.com"
    response = post_signin(client, email=typed)
    assert response.status_code == 400
    captured = capsys.readouterr().err
    line = assert_one_clean_line(captured, response.headers["X-Request-ID"])
    assert "event=signin_failure member=- outcome=malformed" in line
    assert "evil" not in captured and "example.com" not in captured and "\x1b" not in captured
    assert [getattr(e, "event", None) for e in events(caplog)] == ["signin_failure"]


def test_a_whole_sign_in_flow_logs_no_password_address_name_token_or_client_address(
    app, member, capsys, caplog
):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    new_password = "a brand new passphrase for jeju"
    post_signin(client, password="not the right one either")
    post_signin(client)
    client.post("/en/password/forgot", data={"email": EMAIL})
    with app.app_context():
        token = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "password_reset")
        ).one()
        token = token.context["token"]
    client.post(
        f"/en/password/reset/{token}", data={"password": new_password, "password_confirm": new_password}
    )
    post_signin(client, password=new_password)
    client.get("/en/office/")
    names = [getattr(e, "event", None) for e in events(caplog)]
    assert names == [
        "signin_failure",
        "signin_success",
        "password_reset",
        "signin_success",
        "access_denied",
    ]
    written = capsys.readouterr().err
    everything = written + "\n".join(
        f"{r.getMessage()} {getattr(r, 'path', '')} {r.exc_text or ''}" for r in caplog.records
    )
    assert "event=password_reset member=" in written
    for secret in (
        MEMBER_PASSWORD,
        new_password,
        "not the right one",
        EMAIL,
        "member@",
        "김회원",
        token,
        token[:20],
        ADDRESS,
    ):
        assert secret not in everything, secret
