"""One fuzzed form: where it posts, its fields, the world it needs, and how a request is drawn for it."""

from dataclasses import dataclass, field

from hypothesis import strategies as st

from .strategies import (
    BODY_KINDS,
    FuzzRequest,
    odd_ids,
    odd_json,
    odd_text,
    path_segment,
    shaped,
)
from .world import Built


@dataclass(frozen=True)
class Case:
    """A form under fuzz.

    url has {placeholders}: ids from the world (sometimes swapped for odd ids),
    or values drawn from path. Fields map to a strategy (None: odd text).
    valid: a filled-in form the view accepts ({placeholders} from the world's ids);
    a third of the examples send it with a field or two made odd or left out, or
    odd input would seldom get past the first check to the steps after it.
    """

    url: str
    fields: dict = field(default_factory=dict)
    world: str = "none"
    role: str | None = None
    who: str = "member"
    valid: dict = field(default_factory=dict)
    valid_path: dict = field(default_factory=dict)  # the path parts of the valid form (ids: the world's)
    path: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    # Tables a refusal may still write (besides the logs), with the reason in the case's comment.
    refusal_writes: frozenset = frozenset()
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or (self.url if self.who == "member" else f"{self.url} ({self.who})")


def _placeholder(data, name: str, case: Case, built: Built, valid: bool) -> str:
    if valid and (name in case.valid_path or name in built.ids):
        found = case.valid_path[name] if name in case.valid_path else built.ids[name]
        return path_segment(found[0] if isinstance(found, list) else found)
    if name in built.values or name in case.path:  # a path part that is not an id (a token, a field)
        strategy = built.values[name] if name in built.values else case.path[name]
        return path_segment(data.draw(strategy, label=name))
    value = built.ids[name]
    ids = st.sampled_from(value if isinstance(value, list) else [value])
    # Now and then an id that is nobody's, or past every database integer.
    return str(data.draw(st.one_of(odd_ids, ids) if data.draw(st.integers(0, 9)) == 0 else ids, label=name))


def _strategy(name: str, case: Case, built: Built) -> st.SearchStrategy:
    for strategy in (built.values.get(name), case.fields[name]):
        if strategy is not None:
            return strategy
    return odd_text


def _filled(value, ids: dict):
    firsts = {name: found[0] if isinstance(found, list) else found for name, found in ids.items()}
    return [_filled(one, ids) for one in value] if isinstance(value, list) else str(value).format(**firsts)


def _values(data, case: Case, built: Built, mode: str) -> dict:
    """Some fields, all of them, or the valid form with a field or two made odd or left out."""
    strategies = {name: _strategy(name, case, built) for name in case.fields}
    if mode == "valid":
        values = {name: _filled(value, built.ids) for name, value in case.valid.items()}
        for name in data.draw(
            st.lists(st.sampled_from(sorted(strategies)), max_size=2, unique=True), label="odd"
        ):
            values[name] = data.draw(st.one_of(st.none(), shaped(strategies[name])), label=name)
        return {name: value for name, value in values.items() if value is not None}
    chosen = sorted(strategies)
    if mode == "some" and strategies:
        chosen = data.draw(st.lists(st.sampled_from(chosen), unique=True), label="fields")
    return {name: data.draw(shaped(strategies[name]), label=name) for name in chosen}


def draw_request(data, case: Case, built: Built) -> FuzzRequest:
    """Draw one request for the case: the URL, the fields (shaped oddly at times), the body kind."""
    names = [part.split("}")[0] for part in case.url.split("{")[1:]]
    has_valid = bool(case.valid or case.valid_path or set(names) & set(built.ids))
    # The valid form first: it is where hypothesis starts, and where a failure shrinks to (the
    # valid form with the one odd field that breaks it).
    modes = ["valid", "some", "all"] if has_valid else ["some", "all"]
    mode = data.draw(st.sampled_from(modes), label="mode")
    url = case.url.format(**{name: _placeholder(data, name, case, built, mode == "valid") for name in names})
    values = _values(data, case, built, mode)
    # The valid form travels as a browser sends it; the other modes try every kind of body.
    body = data.draw(st.sampled_from(["form", "multipart"] if mode == "valid" else BODY_KINDS), label="body")
    raw = data.draw(st.binary(max_size=300), label="raw") if body == "bytes" else b""
    json = data.draw(odd_json, label="json") if body == "odd-json" else None
    query = {name: data.draw(strategy, label=f"?{name}") for name, strategy in case.query.items()}
    return FuzzRequest(url=url, values=values, body=body, raw=raw, json=json, query=query)
