"""Every form is fuzzed: each POST route of the URL map has a case (or an exemption saying why), each
view that reads request.args has its query case; and no id, however big, gives a 500 on any route."""

import dis
import inspect
import re
import types

from .runner import take_flashes
from .tally import TALLY
from .test_fuzz_accounts import CASES as ACCOUNTS
from .test_fuzz_boards import CASES as BOARDS
from .test_fuzz_office import CASES as OFFICE
from .test_fuzz_office_texts import CASES as OFFICE_TEXTS
from .test_fuzz_pages import QUERIES
from .test_fuzz_shoots import CASES as SHOOTS
from .world_pages import path_values

ALL_CASES = ACCOUNTS + BOARDS + OFFICE + OFFICE_TEXTS + SHOOTS
# POST routes not fuzzed, each with the reason; a route goes from here once a case covers it.
EXEMPT_POST: dict[str, str] = {}
# What a case's {placeholder} stands for when finding its route (ids are any number).
SAMPLES = {"slug": "free", "kind": "privacy", "token": "t", "field": "name"}


def rule_of(app, url: str) -> str:
    """The URL map rule a case's URL reaches."""
    filled = re.sub(r"\{(\w+)\}", lambda match: SAMPLES.get(match.group(1), "1"), url)
    rule, _ = app.url_map.bind("localhost").match(filled, method="POST", return_rule=True)
    return rule.rule


def test_every_post_route_is_fuzzed_or_exempt_with_a_reason(app):
    fuzzed = {rule_of(app, case.url) for case in ALL_CASES}
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts - fuzzed - set(EXEMPT_POST) == set(), "add a case to tests/fuzz, or an exemption with why"
    assert set(EXEMPT_POST) & fuzzed == set(), "a fuzzed route needs no exemption"
    assert all(reason.strip() for reason in EXEMPT_POST.values())


def _code_objects(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def reads_args(view) -> bool:
    """Whether the view, or a function of its own module that it calls, reads request.args."""
    start = inspect.unwrap(view)
    module = inspect.getmodule(start)
    seen, todo = set(), [start]
    while todo:
        function = todo.pop()
        if function in seen:
            continue
        seen.add(function)
        if "request.args" in inspect.getsource(function):
            return True
        names = {
            instruction.argval
            for code in _code_objects(function.__code__)
            for instruction in dis.get_instructions(code)
            if instruction.opname == "LOAD_GLOBAL"  # a call of a function, not an attribute's name
        }
        todo += [
            found
            for found in (getattr(module, name, None) for name in names)
            if inspect.isfunction(found) and found.__module__ == module.__name__
        ]
    return False


def test_every_view_that_reads_the_query_string_has_its_query_case(app):
    readers = {endpoint for endpoint, view in app.view_functions.items() if reads_args(view)}
    assert readers == {query.endpoint for query in QUERIES}


def test_an_id_too_big_for_any_database_is_refused_on_every_route(fuzzer):
    args = fuzzer.prepare("everything", "privacy_officer").ids
    adapter = fuzzer.app.url_map.bind("localhost")
    for rule in fuzzer.app.url_map.iter_rules():
        ints = re.findall(r"<int:(\w+)>", rule.rule)
        for too_big in (2**31, 2**63, 2**64) if ints else ():  # past PostgreSQL's integer, and SQLite's
            path = adapter.build(rule.endpoint, path_values(rule, args, "ko") | dict.fromkeys(ints, too_big))
            method = "GET" if "GET" in rule.methods else "POST"
            response = fuzzer.member.open(path, method=method)
            TALLY.record(f"{method} {rule.endpoint} (id too big)", response.status_code)
            refused = response.status_code == 404 or any(c == "error" for c, _ in take_flashes(fuzzer.member))
            assert refused and (method == "POST" or response.status_code == 404), (path, response.status_code)
            assert fuzzer.request_wrote() == set(), path
