"""Dormant accounts (SPEC §6): notice 30 days before, separation into the dormant store, restore."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select, text

from extensions import db
from models import DormantRecord, Member, OutboxMessage, SignInEvent
from services.clock import now_utc
from services.dormancy import ensure_store, send_notices, separate_inactive
from services.retention import add_months
from tests.conftest import BACKENDS
from tests.support import postgres_beside

PASSWORD = "a long enough passphrase"


@pytest.fixture
def app_overrides(backend) -> dict:
    """On PostgreSQL the dormant store is a PostgreSQL database of its own too, as in production."""
    if backend == "postgresql":
        return {"SQLALCHEMY_BINDS": {"dormant": postgres_beside("_dormant")}}
    return {}


@pytest.fixture
def member_last_active(make_member):
    """Factory: an active member last seen months_ago (+days) ago, warned noticed_days_ago; returns its id."""

    def make(
        months_ago: int, days: int = 0, email: str = "sleepy@example.com", noticed_days_ago: int | None = 31
    ) -> int:
        return make_member(
            email=email,
            name="잠든회원",
            birth_date=date(1985, 3, 3),
            phone="010-3333-4444",
            preferred_region="daegu",
            last_active_at=add_months(now_utc(), -months_ago) - timedelta(days=days),
            dormancy_notice_at=None
            if noticed_days_ago is None
            else now_utc() - timedelta(days=noticed_days_ago),
        )

    return make


def test_notice_goes_30_days_before_and_only_once(app, member_last_active):
    due = member_last_active(17, days=1, email="due@example.com", noticed_days_ago=None)
    member_last_active(16, email="later@example.com", noticed_days_ago=None)
    with app.app_context():
        assert send_notices() == 1
        assert send_notices() == 0
        (notice,) = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "dormancy_notice")
        )
        assert notice.recipient == "due@example.com" and notice.context["on"]
        assert db.session.get(Member, due).dormancy_notice_at is not None


def test_after_18_months_personal_data_moves_to_its_own_store(app, member_last_active):
    member_id = member_last_active(18, days=1)
    member_last_active(17, email="active@example.com")
    with app.app_context():
        assert separate_inactive() == 1
        stub = db.session.get(Member, member_id)
        assert (
            stub.status == "dormant" and stub.email == "" and stub.name == "" and stub.phone_encrypted is None
        )
        assert stub.email_key.startswith("dormant:") and "sleepy" not in stub.email_key
        live = str(
            db.session.execute(
                text("SELECT email, name, email_key FROM members WHERE id = :i"), {"i": member_id}
            ).one()
        )
        assert "sleepy" not in live and "잠든회원" not in live
        record = db.session.get(DormantRecord, member_id)
        assert record is not None and b"sleepy" not in record.sealed  # sealed, not plain
        assert str(db.engines["dormant"].url) != str(db.engine.url)  # its own database
        assert separate_inactive() == 0  # a re-run finds nothing more


def test_a_half_done_separation_is_finished_by_the_next_run(app, member_last_active):
    member_id = member_last_active(19)
    with app.app_context():
        ensure_store()
        from services.dormancy import _seal

        member = db.session.get(Member, member_id)
        db.session.add(DormantRecord(member_id=member_id, sealed=_seal(member)))
        db.session.commit()  # the run died before the live row was stubbed
        assert separate_inactive() == 1
        assert db.session.get(Member, member_id).status == "dormant"
        assert db.session.scalar(select(DormantRecord).where(DormantRecord.member_id == member_id))


def test_signing_in_to_a_dormant_account_restores_it_after_confirmation(app, client, member_last_active):
    member_id = member_last_active(20)
    with app.app_context():
        separate_inactive()
    wrong = client.post("/ko/signin", data={"email": "sleepy@example.com", "password": "not the password"})
    assert wrong.status_code == 400
    response = client.post("/ko/signin", data={"email": "Sleepy@example.com", "password": PASSWORD})
    assert response.headers["Location"].endswith("/ko/signin/restore")
    page = client.get("/ko/signin/restore").get_data(as_text=True)
    assert "휴면 계정입니다" in page
    with app.app_context():
        assert db.session.get(Member, member_id).status == "dormant"  # nothing until confirmed
    confirmed = client.post("/ko/signin/restore")
    assert confirmed.status_code == 302
    with app.app_context():
        member = db.session.get(Member, member_id)
        assert (member.status, member.email, member.name, member.preferred_region) == (
            "active",
            "sleepy@example.com",
            "잠든회원",
            "daegu",
        )
        assert db.session.get(DormantRecord, member_id) is None
        # The restore is the sign-in: counted once, like any other, in My info's sign-in list.
        assert db.session.scalars(select(SignInEvent.member_id)).all() == [member_id]
    assert "010-3333-4444" in client.get("/ko/me/").get_data(as_text=True)


def test_the_restore_step_needs_a_checked_password_first(client):
    assert client.get("/ko/signin/restore").headers["Location"].endswith("/ko/signin")
    assert client.post("/ko/signin/restore").headers["Location"].endswith("/ko/signin")


def test_no_one_becomes_dormant_without_the_notice_period_first(app, runner, member_last_active):
    never_told = member_last_active(18, days=2, email="untold@example.com", noticed_days_ago=None)
    told = member_last_active(18, days=2, email="told@example.com", noticed_days_ago=31)
    result = runner.invoke(args=["jobs", "run-daily"])
    assert result.exit_code == 0 and "1 dormancy_notice" in result.output and "1 dormant" in result.output
    with app.app_context():
        assert db.session.get(Member, never_told).status == "active"  # warned now, separated later
        assert db.session.get(Member, told).status == "dormant"


def test_signing_in_starts_a_new_notice_cycle(app, client, member_last_active):
    member_id = member_last_active(17, days=10, noticed_days_ago=5)
    client.post("/ko/signin", data={"email": "sleepy@example.com", "password": PASSWORD})
    with app.app_context():
        assert db.session.get(Member, member_id).dormancy_notice_at is None


def test_a_stale_dormant_record_never_overwrites_newer_data(app, member_last_active):
    from services.dormancy import _seal

    member_id = member_last_active(19)
    with app.app_context():
        ensure_store()
        member = db.session.get(Member, member_id)
        old_name = member.name
        member.name = "새 이름"
        stale = DormantRecord(member_id=member_id, sealed=_seal(member))
        member.name = old_name
        db.session.add(stale)  # left behind by a restore that died before deleting it
        db.session.commit()
        member.name = "최신 이름"
        db.session.commit()
        separate_inactive()
        from services.dormancy import restore

        assert restore(db.session.get(Member, member_id)).name == "최신 이름"


def test_a_dormant_address_cannot_be_taken_by_someone_else(app, client, member_last_active):
    member_last_active(20)
    with app.app_context():
        separate_inactive()
    client.post(
        "/ko/signup",
        data={
            "email": "sleepy@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "name": "남",
            "birth_date": "1990-01-01",
            "privacy_notice": "y",
            "terms": "y",
        },
    )
    with app.app_context():
        assert db.session.scalar(select(Member).where(Member.email_key == "sleepy@example.com")) is None


def test_the_restore_step_expires_and_checks_the_account(app, client, member_last_active):
    member_id = member_last_active(20)
    with app.app_context():
        separate_inactive()
    client.post("/ko/signin", data={"email": "sleepy@example.com", "password": PASSWORD})
    with client.session_transaction() as session:
        session["restore"]["at"] = (now_utc() - timedelta(minutes=11)).isoformat()
        session.modified = True
    assert client.post("/ko/signin/restore").headers["Location"].endswith("/ko/signin")
    with app.app_context():
        assert db.session.get(Member, member_id).status == "dormant"
    with client.session_transaction() as session:
        session["restore"] = {"member_id": 999999, "at": now_utc().isoformat()}
    refused = client.post("/ko/signin/restore")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/ko/signin")


@contextmanager
def statements_on_both_databases() -> Iterator[list[str]]:
    """The SQL sent to the live database and the dormant store while the block runs (in an app context)."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engines = (db.engine, db.engines["dormant"])
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def test_separation_costs_a_fixed_number_of_statements_per_batch(app, member_last_active):
    """A regression to per-member loads, seals or updates fails here: statements grow with the batch."""
    ids = [member_last_active(19, email=f"sleeper{index}@example.com") for index in range(6)]
    with app.app_context():
        ensure_store()
        with statements_on_both_databases() as statements:
            assert separate_inactive(batch_size=3) == 6
        # Per batch: the SELECT, one upsert of sealed records, the stub UPDATE, the sessions' DELETE;
        # and the SELECT that finds nothing more. Whatever the batch size.
        on_members = [sql for sql in statements if "members" in sql and "member_sessions" not in sql]
        assert len(on_members) == 2 * 2 + 1
        writes = [sql for sql in statements if sql.lstrip().startswith(("DELETE", "INSERT", "UPDATE"))]
        assert len([sql for sql in writes if "dormant_records" in sql]) == 2
        assert all(db.session.get(Member, member_id).status == "dormant" for member_id in ids)


def test_a_batch_travels_as_parameters_never_as_sql_text(app, backend, member_last_active):
    """Each statement is compiled once a run: a batch's ids and keys in the SQL made it once a batch."""
    for index in range(5):
        member_last_active(19, email=f"sleeper{index}@example.com")
    with app.app_context():
        ensure_store()
        with statements_on_both_databases() as statements:
            assert separate_inactive(batch_size=3) == 5
    # A batch of three, then one of two: the same upsert and the same UPDATE both times.
    writes = [sql for sql in statements if sql.lstrip().startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 4 and len(set(writes)) == 2
    if backend == "postgresql":  # where the batch goes as arrays, its sessions' DELETE too
        assert len({sql for sql in statements if "member_sessions" in sql}) == 1


def test_a_batch_killed_after_sealing_is_finished_by_the_next_run(app, member_last_active, monkeypatch):
    """Sealed copies commit first; a death before the stubs leaves live data whole, re-sealed next time."""
    import services.dormancy as dormancy

    ids = [member_last_active(19, email=f"half{index}@example.com") for index in range(4)]
    with app.app_context():
        real = dormancy.stub_key

        def dying(email):
            raise RuntimeError("killed")

        monkeypatch.setattr(dormancy, "stub_key", dying)
        with pytest.raises(RuntimeError):
            separate_inactive(batch_size=10)
        db.session.rollback()
        assert all(db.session.get(Member, member_id).status == "active" for member_id in ids)
        assert all(db.session.get(Member, member_id).email for member_id in ids)  # nothing half-written
        monkeypatch.setattr(dormancy, "stub_key", real)
        assert separate_inactive(batch_size=10) == 4
        assert separate_inactive(batch_size=10) == 0  # twice is once
        assert db.session.scalar(select(func.count()).select_from(DormantRecord)) == 4


@pytest.mark.parametrize("backend", [BACKENDS[1]])  # a psycopg setting: run on PostgreSQL only, not skipped
def test_batch_arrays_go_to_postgresql_as_binary(app, backend):
    """Text arrays are quoted element by element in Python: for a batch that cost more than its statement."""
    from psycopg.adapt import PyFormat
    from psycopg.types.array import ListBinaryDumper

    with app.app_context():
        for engine in (db.engine, db.engines["dormant"]):
            with engine.connect() as conn:
                adapters = conn.connection.driver_connection.adapters
                assert adapters.get_dumper(list, PyFormat.AUTO) is ListBinaryDumper
