"""The route x role matrix (SPEC §1, §7; ASVS 8.2.1, 8.2.2): every route, every role, the owner's ids.

Every rule of the URL map, with every method and in both languages, is asked by
each role of tests/access_table.py with the ids of things the owner owns (and,
for the owner-only and booking routes, with ids nobody has, which must get the
same answer). What each must get comes from the endpoint's one entry in the access
table. A refused POST carries the form that would have worked, and must write
nothing; the owner's own POST of the same form must write. No body served to
anyone but the owner shows the owner's e-mail address or phone number (nor the
counterpart's), except the booking page the two of them share (SPEC §7).

It runs on both backends. PostgreSQL is what production runs, and it is strict
where SQLite forgives (an id of the wrong type or out of range is an error there,
a 500 that SQLite would hide); SQLite is what every developer has without a
server. Each pass is about 160 requests per role and language.
"""

import logging

import pytest
from jinja2 import BytecodeCache
from sqlalchemy import event

from extensions import db
from tests.access_table import (
    ACCESS,
    BOOKING_SIDE,
    LAST,
    REFUSALS,
    ROLES,
    STAFF_CLASSES,
    expected,
    problem_with,
)
from tests.access_table import OWNER as OWNER_ONLY
from tests.access_world import (
    COUNTERPART,
    EMAILS,
    GHOST_ID,
    OWNER,
    WriteWatch,
    build_world,
    form_for,
    part_value,
)
from tests.conftest import MEMBER_PASSWORD
from tests.support import form_token, sign_in_with_token
from tests.url_map import checked_requests, path_for, staff_roles

# Who may see whose contact details, and where (SPEC §7: the booking's two sides, on its page).
CONTACTS = {
    "owner": [OWNER["email"], OWNER["phone"], OWNER["phone"].replace("-", "")],
    "counterpart": [COUNTERPART["email"], COUNTERPART["phone"], COUNTERPART["phone"].replace("-", "")],
}
SHARED_WITH_THE_OTHER_SIDE = {"shoots.show_booking"}
# Where the details must show, so the search for them is known to find them when they are there.
MUST_SHOW = {
    ("owner", "me.overview"): "owner",
    ("owner", "shoots.show_booking"): "counterpart",
    ("counterpart", "shoots.show_booking"): "owner",
}


@pytest.fixture
def app_overrides(tmp_path, request):
    """Photos of this test's own (the write watch lists them), plus what a test parametrizes."""
    return {"PHOTO_DIR": str(tmp_path / "photos")} | getattr(request, "param", {})


def test_every_endpoint_has_one_entry_and_every_entry_a_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - ACCESS.keys())
    assert not missing, f"endpoints missing from tests/access_table.py: {missing}"
    stale = sorted(ACCESS.keys() - endpoints)
    assert not stale, f"tests/access_table.py names endpoints no route has: {stale}"
    assert set(LAST) <= endpoints
    # The table's staff classes and the decorator agree both ways.
    for rule in app.url_map.iter_rules():
        kind = ACCESS[rule.endpoint].kind
        assert staff_roles(app, rule) == STAFF_CLASSES.get(kind), (rule.endpoint, kind)


def _order(item) -> tuple:
    """GETs first, then POSTs by path, then the requests that end what others name."""
    rule, method, _, path = item
    if rule.endpoint in LAST:
        return (2, LAST.index(rule.endpoint), path)
    return (0 if method == "GET" else 1, 0, path)


def matrix_requests(app, world, language: str) -> list:
    """(rule, method, values, path) of every route with the owner's ids, in the matrix's order."""

    def fill(rule):
        return lambda name, chosen: part_value(world, rule.endpoint, name, chosen)

    found = []
    for rule in app.url_map.iter_rules():
        found += checked_requests(app, [rule], language, fill(rule))
    return sorted(found, key=_order)


def ghost_path(rule, values: dict) -> str | None:
    """The path with every id replaced by one nobody has, or None when the path names no id."""
    if not any(name.endswith("_id") for name in values):
        return None
    return path_for(
        rule, {name: GHOST_ID if name.endswith("_id") else value for name, value in values.items()}
    )


def leaks(role: str, endpoint: str, response) -> list[str]:
    """The contact details in the body that this role must not see there."""
    if not response.mimetype.startswith(("text/", "application/json")):
        return []
    body = response.get_data(as_text=True)
    found = []
    for person, details in CONTACTS.items():
        other_side = "counterpart" if person == "owner" else "owner"
        if role == person or (role == other_side and endpoint in SHARED_WITH_THE_OTHER_SIDE):
            continue
        found += [f"{person}'s {detail}" for detail in details if detail in body]
    return found


def refusal_events(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "security" and getattr(r, "event", "") == "access_denied"]


class SharedTemplateCache(BytecodeCache):
    """Compiled templates kept between this module's apps: each test has a new app, the same pages."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedTemplateCache()


def _no_fsync(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture
def world(app, board_people, make_member):
    """The owner's world; on SQLite without waiting for the disk at each commit (only speed changes)."""
    app.jinja_env.bytecode_cache = TEMPLATES
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.engine.dispose()
            event.listen(db.engine, "connect", _no_fsync)
    return build_world(app, board_people, make_member)


@pytest.fixture
def watch(app, world):
    watcher = WriteWatch(app)
    yield watcher
    watcher.close()


def role_problems(app, world, watch, caplog, client, role: str, language: str) -> list[str]:
    """Ask every route as this role, with the owner's ids; what went against the table."""
    member_id = world.members.get(role)
    problems = []
    for rule, method, values, path in matrix_requests(app, world, language):
        access = ACCESS[rule.endpoint]
        expectation = expected(access, role, method)
        refused = expectation in REFUSALS
        # A refused post carries the form that would have worked, so a missing check would write.
        # Others who may post send it empty: their changes would only blur what later requests see.
        form = form_for(world, access.form) if method == "POST" and (refused or role == "owner") else {}
        case = f"{role} {method} {path} ({rule.endpoint})"
        caplog.clear()
        watch.start()
        response = client.open(path, method=method, data=form)
        written = watch.written()
        problem = problem_with(response, expectation, method, language)
        if problem:
            problems.append(f"{case}: {problem}")
        problems += [f"{case}: shows the {leak}" for leak in leaks(role, rule.endpoint, response)]
        person = MUST_SHOW.get((role, rule.endpoint))
        if person and not all(detail in response.get_data(as_text=True) for detail in CONTACTS[person][:2]):
            problems.append(f"{case}: should show the {person}'s e-mail address and phone number")
        if refused and written:
            problems.append(f"{case}: refused, yet wrote to {written}")
        if role == "owner" and method == "POST" and access.owner_writes not in (None, *written):
            problems.append(f"{case}: the owner's own request did not write to {access.owner_writes}")
        if response.status_code == 403:
            events = refusal_events(caplog)
            logged = [(e.member_id, f"endpoint={rule.endpoint}" in e.getMessage()) for e in events]
            if logged != [(str(member_id or "-"), True)]:
                problems.append(f"{case}: a 403 must be logged once as access_denied, got {logged}")
        ghost = ghost_path(rule, values) if access.kind in (OWNER_ONLY, BOOKING_SIDE) else None
        if ghost:
            watch.start()
            answer = client.open(ghost, method=method, data=form).status_code
            wanted = response.status_code if refused else 404
            if answer != wanted:
                problems.append(
                    f"{case}: an id nobody has gets {answer}, the owner's id {response.status_code}"
                )
            if watch.written():
                problems.append(f"{case}: an id nobody has, yet wrote to {watch.written()}")
    return problems


# The owner's own posts change the owner's things, so the owner gets a world of its own. The
# others share one: what they may post they post empty, and the counterpart, whose empty
# "done" button does complete the booking, goes last.
GROUPS = {"others": [role for role in ROLES if role != "owner"], "owner": ["owner"]}


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("group", GROUPS)
def test_every_route_answers_every_role_as_the_table_says(
    app, world, watch, sign_in, caplog, group, language
):
    assert len(matrix_requests(app, world, language)) >= 140
    problems = []
    for role in GROUPS[group]:
        client = app.test_client() if role == "visitor" else sign_in(EMAILS[role])
        problems += role_problems(app, world, watch, caplog, client, role, language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_the_owners_own_posts_need_their_csrf_token(app, world, watch):
    owner = app.test_client()
    sign_in_with_token(owner, OWNER["email"], MEMBER_PASSWORD)
    posts = [
        (rule, path)
        for rule, method, _, path in matrix_requests(app, world, "ko")
        if method == "POST" and ACCESS[rule.endpoint].kind in (OWNER_ONLY, BOOKING_SIDE)
    ]
    assert len(posts) >= 12
    for rule, path in posts:
        watch.start()
        response = owner.post(path, data=form_for(world, ACCESS[rule.endpoint].form))
        assert response.status_code == 400, (path, response.status_code)
        assert not watch.written(), (path, watch.written())
    edit = f"/ko/boards/free/{world.ids['post']}/edit"
    form = form_for(world, ACCESS["boards.edit"].form)
    form["csrf_token"] = form_token(owner.get(edit).get_data(as_text=True))
    watch.start()
    assert owner.post(edit, data=form).status_code == 302
    assert watch.written() == ["posts"]
