"""One fuzzed request and everything checked after it."""

import re

from . import world_boards, world_office, world_shoots  # noqa: F401 - they register their worlds
from .case import Case, draw_request
from .invariants import assert_records_whole
from .tally import TALLY
from .world import Fuzzer

HANGUL = re.compile("[\uac00-\ud7a3]")
FIELD_ERRORS = re.compile(
    r'<ul class="errors"[^>]*>(.*?)</ul>|<div class="form-errors"[^>]*>(.*?)</div>', re.S
)
REFUSED = (400, 403, 404, 405, 409, 413, 415, 422, 429)


def take_flashes(client) -> list[tuple[str, str]]:
    """The messages flashed for the next page, removed so they do not pile up over the examples."""
    with client.session_transaction() as session:
        return [tuple(item) for item in session.pop("_flashes", [])]


def shown_errors(response) -> list[str]:
    """The field and form errors of a re-rendered form."""
    if not response.content_type.startswith("text/html"):
        return []
    html = response.get_data(as_text=True)
    return [a or b for a, b in FIELD_ERRORS.findall(html)]


def fuzz_form(fz: Fuzzer, case: Case, data) -> None:
    """Post one drawn request; never a 5xx, a refusal writes nothing, records stay whole, messages
    on a Korean page are Korean."""
    built = fz.prepare(case.world, case.role)
    request = draw_request(data, case, built)
    client = fz.client(case.who)
    try:
        response = client.open(request.url, method="POST", **request.client_kwargs())
    except Exception:  # the test app propagates what would be a 500
        TALLY.record(case.id, 500)
        raise
    TALLY.record(case.id, response.status_code)
    assert response.status_code < 500, response.status_code
    if request.sends_nul():  # refused before any view (a body too large is refused even before that)
        assert response.status_code in (400, 413), response.status_code
    flashes = take_flashes(client)
    errors = [message for category, message in flashes if category == "error"] + shown_errors(response)
    refused = response.status_code in REFUSED or bool(errors)
    written = fz.request_wrote()
    if refused:  # a refused form wrote nothing
        assert not written - case.refusal_writes, (response.status_code, errors, written)
    if written:  # what was untouched is as whole as before
        TALLY.wrote(case.id)
        with fz.app.app_context():
            assert_records_whole(written)
    if request.url.startswith("/ko/"):
        untranslated = [message for message in errors if not HANGUL.search(message)]
        assert not untranslated, untranslated
