"""The world each fuzzed form acts on: the people, the rows a form needs, rebuilt only once used up.

Building a booking or a reported post costs more than the request under test,
and most odd input is refused without touching anything. So a world is kept
while no request has written to the database (the request log aside); after any
write, even one the form was right to make, the next example gets a fresh world.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import has_app_context
from sqlalchemy import event

from extensions import db
from models import Member
from services import outbox, staff
from services.boards import sync_boards
from services.clock import now_utc
from services.members import SignupRequest, sign_up
from tests.support import enrol_two_step

PASSWORD = "a long enough passphrase"
FUZZER = "fuzz@example.com"
# Rows a refused request may still write: the request log, sign-in attempts, throttle counts.
# member_sessions: any signed-in request moves its session's last-seen time on, once a minute.
LOG_TABLES = frozenset({"access_logs", "sign_in_events", "throttle_counters", "member_sessions"})
# The people of every world, made on first use; the officer keeps the fuzzer from being the last one.
PEOPLE = {
    "writer": {"name": "글쓴이", "established": True},
    "customer": {"name": "고객"},
    "officer": {"name": "책임자", "staff_role": "privacy_officer", "established": True},
    "moderator": {"name": "운영자", "staff_role": "moderator", "established": True},
    "subject": {"name": "대상자", "phone": "010-2222-3333", "preferred_region": "jeju"},
    "fan": {"name": "구독자", "consents": {"privacy_notice": True, "terms": True, "marketing_email": True}},
}


@dataclass
class Built:
    """What a world builder made: the ids and values the case draws from."""

    ids: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # field strategies that depend on the ids (targets...)


WORLDS: dict[str, Callable[["Fuzzer"], Built]] = {"none": lambda fz: Built()}


def world(name: str):
    """Register a world builder (it runs inside an app context; mail it queues is never delivered)."""

    def register(build: Callable[["Fuzzer"], Built]) -> Callable[["Fuzzer"], Built]:
        WORLDS[name] = build
        return build

    return register


DML = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)', re.I
)


class Writes:
    """The tables written by committed statements since the last take() (on every engine of the app)."""

    def __init__(self, engines):
        self._pending: dict[int, set[str]] = {}
        self._committed: set[str] = set()
        for engine in engines:
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "commit", self._commit)
            event.listen(engine, "rollback", self._rollback)

    def _statement(self, conn, cursor, statement, parameters, context, executemany) -> None:
        match = DML.match(statement)
        if match:
            self._pending.setdefault(id(conn), set()).add(match.group(1))

    def _commit(self, conn) -> None:
        self._committed |= self._pending.pop(id(conn), set())

    def _rollback(self, conn) -> None:
        self._pending.pop(id(conn), None)

    def take(self) -> set[str]:
        """What was written since the last call."""
        written, self._committed = self._committed, set()
        return written


class Fuzzer:
    """The fuzzing member, their signed-in client, a visitor's client and the current world."""

    def __init__(self, app, sign_in):
        self.app, self.sign_in = app, sign_in
        self.people: dict[str, int] = {}
        self.counter = 0  # for worlds that need a new day, address or number each time
        with app.app_context():
            member = sign_up(
                SignupRequest(
                    email=FUZZER,
                    password=PASSWORD,
                    name="퍼즈",
                    birth_date=date(1990, 1, 1),
                    language="ko",
                    consents={"privacy_notice": True, "terms": True},
                )
            )
            member.status, member.email_verified_at = "active", now_utc()
            db.session.commit()
            self.member_id = member.id
            # Staff pages need a session that passed the two-step code: the fuzzer has it on from the
            # start, so a role granted later opens the console forms instead of the set-up page.
            enrol_two_step(member.id, PASSWORD)
            sync_boards()
        self.member = sign_in(FUZZER)
        self.visitor = app.test_client()
        self._session_version = self._fuzzer().session_version
        with app.app_context():
            self.writes = Writes(db.engines.values())
        self._world: tuple[str, Built] | None = None
        self.world_used = False

    def _fuzzer(self) -> Member:
        with self.app.app_context():
            row = db.session.get(Member, self.member_id)
            db.session.expunge(row)
            return row

    def person(self, name: str) -> int:
        """The id of one of PEOPLE, made through the signup rules on first use."""
        if name not in self.people:
            spec = dict(PEOPLE[name])
            established = spec.pop("established", False)
            extra = {"created_at": now_utc() - timedelta(days=60)} if established else {}
            self.people[name] = self.new_member(f"{name}@example.com", **spec, **extra)
        return self.people[name]

    def new_member(self, email: str, name: str, consents: dict | None = None, **fields) -> int:
        """An active member made through the signup rules, in this app context's session (a second
        session beside a world builder's would find SQLite locked)."""
        if not has_app_context():
            with self.app.app_context():
                return self.new_member(email, name, consents, **fields)
        optional = {
            "phone": fields.pop("phone", None),
            "preferred_region": fields.pop("preferred_region", None),
        }
        member = sign_up(
            SignupRequest(
                email=email,
                password=PASSWORD,
                name=name,
                birth_date=date(1990, 5, 17),
                language="ko",
                **optional,
                consents=consents
                or {"privacy_notice": True, "terms": True, "optional_profile": any(optional.values())},
            )
        )
        member.status, member.email_verified_at = "active", now_utc()
        for key, value in fields.items():
            setattr(member, key, value)
        db.session.commit()
        return member.id

    def fuzzer(self) -> Member:
        """The fuzzing member, in the current app context."""
        return db.session.get(Member, self.member_id)

    def prepare(self, world_name: str, role: str | None) -> Built:
        """The fuzzer holds this role and is signed in; the world is as built. Returns the world."""
        if role is not None:
            self.person("officer")
        with self.app.app_context():
            self._give_role(role)
            if self._world is None or self._world[0] != world_name or self.world_used:
                self._world = (world_name, WORLDS[world_name](self))
                db.session.commit()
                self.world_used = False
            outbox.committed_message_ids()  # what building queued is never delivered: only the form's mail
        me = self._fuzzer()
        if me.session_version != self._session_version or me.status != "active":
            self.member = self.sign_in(FUZZER)  # a sign-out or a password change ended the last one
            self._session_version = self._fuzzer().session_version
        self.writes.take()  # from here on, what is written is the request's
        return self._world[1]

    def _give_role(self, role: str | None) -> None:
        """Through the staff service, so the role-change log agrees with the role."""
        me = self.fuzzer()
        if me.staff_role == role:
            return
        if role is None:
            staff.remove_role(me.id, None)
        else:
            staff.grant_role(FUZZER, role, None)

    def request_wrote(self, harmless: frozenset | set = frozenset()) -> set[str]:
        """The tables the request just sent wrote (logs aside); a write, harmless ones aside, uses the
        world up."""
        written = self.writes.take() - LOG_TABLES
        self.world_used = self.world_used or bool(written - harmless)
        return written

    def client(self, who: str):
        """The client a case posts with."""
        return self.member if who == "member" else self.visitor
