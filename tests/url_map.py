"""Reading the URL map for the permission tests: which roles a view needs, and sample paths of a rule.

Shared by tests/test_staff_permissions.py and the route x role matrix
(tests/test_access_matrix.py), so both walk the same rules the same way.
"""

import re
from collections.abc import Callable, Iterator
from itertools import product

from werkzeug.routing import AnyConverter, Rule

PLACEHOLDER = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")
# Flask answers these itself for every rule: they are not the views' to refuse.
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


def staff_roles(app, rule: Rule) -> tuple[str, ...] | None:
    """The roles staff_required recorded on the rule's view, or None for a view open to others."""
    return getattr(app.view_functions[rule.endpoint], "staff_roles", None)


def methods_of(rule: Rule) -> list[str]:
    """The methods a rule's view answers itself, sorted."""
    return sorted(rule.methods - AUTOMATIC_METHODS)


def sample_paths(
    rule: Rule, language: str, fill: Callable[[str, dict], str] | None = None
) -> list[tuple[dict, str]]:
    """(values, path) for every choice of the rule's any(...) parts, in the given language.

    Every other part gets fill(name, values chosen so far), or "1" without a fill; the
    values are filled in the rule's order, so a part can depend on an earlier choice
    (an id that names a post or a comment, as the kind before it says).
    """
    choices = {
        name: sorted(converter.items)
        for name, converter in rule._converters.items()
        if isinstance(converter, AnyConverter)
    }
    found = []
    for combo in product(*choices.values()):
        values = dict(zip(choices, combo, strict=True))
        for name in rule._converters:
            if name == "lang_code":
                values[name] = language
            elif name not in values:
                values[name] = fill(name, values) if fill else "1"
        found.append((values, path_for(rule, values)))
    return found


def path_for(rule: Rule, values: dict) -> str:
    """The rule's path with these values in its parts."""
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), rule.rule)


def checked_requests(app, rules, language: str, fill=None) -> Iterator[tuple[Rule, str, dict, str]]:
    """(rule, method, values, path) for every method and sample path of the rules, each routed back."""
    adapter = app.url_map.bind("localhost")
    for rule in rules:
        for values, path in sample_paths(rule, language, fill):
            for method in methods_of(rule):
                endpoint, _ = adapter.match(path, method=method)
                assert endpoint == rule.endpoint, f"{method} {path} routes to {endpoint}, not {rule.endpoint}"
                yield rule, method, values, path
