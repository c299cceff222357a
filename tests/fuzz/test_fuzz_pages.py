"""Odd query strings on every page, and more of them where a view reads request.args: never a 500,
NUL bytes always a 400, and a GET changes nothing (ASVS 3.5.3) but the audit of what staff opened."""

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from services.clock import seoul_today
from services.directory import ORDERS

from .profile import EXAMPLES, FUZZ
from .strategies import odd_ids, odd_url_text
from .strategies import valid_or_odd as either
from .tally import TALLY
from .world_pages import path_values

GET_WRITES = {"complaints.detail": {"staff_accesses"}}  # opening a complaint is an audited opening
ID = st.one_of(odd_ids.map(str), odd_url_text)


def valid_or_odd(*valid: str) -> st.SearchStrategy:
    """A value the view understands, or odd text no longer than a URL can be."""
    return either(*valid, odd=odd_url_text)


DAY = valid_or_odd(seoul_today().isoformat(), "2026-02-30")


@dataclass(frozen=True)
class Query:
    """A view that reads request.args, and the names it reads (each given odd values)."""

    endpoint: str
    names: dict = field(default_factory=dict)


QUERIES = [
    Query(
        "photographers.directory",
        {
            "region": valid_or_odd("jeju"),
            "specialty": valid_or_odd("snap"),
            "day": DAY,
            "max_price": valid_or_odd("150000", "150,000"),
            "order": valid_or_odd(*ORDERS),
            "after": ID,
        },
    ),
    Query("boards.board", {"before": ID, "after": ID}),
    Query("boards.post", {"after": ID}),
    Query("moderation.log", {"before": ID}),
    Query(
        "office.audit",
        {
            "staff": ID,
            "member": ID,
            "purpose": valid_or_odd("member_view", "complaint"),
            "date_from": DAY,
            "date_to": DAY,
            "before": ID,
        },
    ),
    Query("office.review", {"month": valid_or_odd(seoul_today().strftime("%Y-%m"), "2025-13", "0000-01")}),
    Query("complaints.queue", {"status": valid_or_odd("open", "answered", "closed"), "page": ID}),
    Query("shoots.new_request", {"region": valid_or_odd("jeju")}),
    Query("auth.signin", {"next": valid_or_odd("/en/me/", "//evil.example/", "https://evil.example/")}),
    Query("i18n.switch", {"next": valid_or_odd("/en/me/", "//evil.example/", "/\\evil.example")}),
]


def draw_query(data, names: dict) -> list[tuple[str, str]]:
    """The view's own names (some repeated) and now and then names it never reads."""
    pairs = []
    for name in data.draw(st.lists(st.sampled_from(sorted(names)), unique=True) if names else st.just([])):
        for value in data.draw(st.lists(names[name], min_size=1, max_size=2), label=name):
            pairs.append((name, value))
    pairs += data.draw(st.lists(st.tuples(odd_url_text, odd_url_text), max_size=2), label="others")
    return pairs


def get_page(fz, rule, pairs: list, who: str, lang: str):
    """GET one page with the query; the checks every page passes. Returns the response."""
    values = path_values(rule, fz.prepare("everything", "privacy_officer").ids, lang)
    path = fz.app.url_map.bind("localhost").build(rule.endpoint, values)
    client = fz.client(who)
    try:
        response = client.get(path, query_string=MultiDict(pairs))
    except Exception:  # the test app propagates what would be a 500
        TALLY.record(f"GET {rule.endpoint}", 500)
        raise
    TALLY.record(f"GET {rule.endpoint}", response.status_code)
    assert response.status_code < 500, response.status_code
    if any("\x00" in key + value for key, value in pairs):
        assert response.status_code == 400
    allowed = GET_WRITES.get(rule.endpoint, set())
    written = fz.request_wrote(harmless=allowed)
    assert not written - allowed, written
    with client.session_transaction() as session:
        session.pop("_flashes", None)
    return response


def rules_for(app, endpoints=None) -> list:
    """The GET rules of the app (one per endpoint), or of the named endpoints."""
    found = {}
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and (endpoints is None or rule.endpoint in endpoints):
            found.setdefault(rule.endpoint, rule)
    return [found[name] for name in sorted(found)]


@settings(FUZZ, max_examples=EXAMPLES * len(QUERIES))
@given(data=st.data())
def test_odd_query_strings_never_cause_a_500_where_a_view_reads_them(fuzzer, data):
    query = data.draw(st.sampled_from(QUERIES), label="view")
    (rule,) = rules_for(fuzzer.app, {query.endpoint})
    pairs = draw_query(data, query.names)
    response = get_page(fuzzer, rule, pairs, data.draw(st.sampled_from(["member", "visitor"])), "ko")
    if not any("\x00" in key + value for key, value in pairs):
        assert response.status_code in (200, 302, 303), response.status_code


@pytest.fixture
def get_rules(app) -> list:
    return rules_for(app)


@settings(FUZZ, max_examples=EXAMPLES * 10)
@given(data=st.data())
def test_every_page_takes_an_odd_query_string(fuzzer, get_rules, data):
    rule = data.draw(st.sampled_from(get_rules), label="page")
    who, lang = data.draw(st.sampled_from(["member", "visitor"])), data.draw(st.sampled_from(["ko", "en"]))
    get_page(fuzzer, rule, draw_query(data, {}), who, lang)
