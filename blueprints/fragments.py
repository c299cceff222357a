"""Rendered pieces of pages, kept per process and keyed by everything they show.

A board's first page, a profile or a footer is the same HTML for every reader of a language, and
rendering it was most of a page's time (bench.profiling). A fragment is rendered from exactly the
values passed in, which are also its key, so it cannot show anything stale: when a post's title,
status or comment count changes, the rows read for the page differ and so does the key. Nothing of
the request reaches a fragment (no member, session, g or flashed messages): what depends on the
reader stays in the page around it. The language and the script root (in every link) join the key.
"""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

_STORE = "usnaper_fragments"


class _NotInFragments:
    """What a fragment finds in place of anything that belongs to one request or one reader."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *args, **kwargs):
        raise RuntimeError(f"a cached fragment may not use {self._name}: pass what it shows instead")

    __getattr__ = __call__ = __bool__ = __str__ = __iter__ = __html__ = _refuse


# Flask's template globals and context values that differ per request or per reader.
_PER_REQUEST = {
    name: _NotInFragments(name)
    for name in ("request", "session", "g", "current_user", "get_flashed_messages", "csrf_token")
}


class _Store:
    """A bounded map from key to HTML, least recently used first out; shared by a process's threads."""

    def __init__(self, size: int) -> None:
        self.size, self.entries, self.lock = size, OrderedDict(), Lock()

    def get(self, key) -> Markup | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key, html: Markup) -> None:
        with self.lock:
            self.entries[key] = html
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def _store() -> _Store:
    app = current_app._get_current_object()
    store = app.extensions.get(_STORE)
    if store is None:
        store = app.extensions[_STORE] = _Store(app.config["FRAGMENT_CACHE_ENTRIES"])
    return store


def cached(template_name: str, **values) -> Markup:
    """The template rendered with values (hashable), once per process, language and distinct values."""
    return _rendered(template_name, tuple(sorted(values.items())), lambda: values)


def cached_by(template_name: str, key: tuple, build: Callable[[], dict]) -> Markup:
    """The template rendered with what build() returns, once per process, language and key.

    For pieces too costly to read whole on every request: key must change whenever build()'s
    result would (a version the database moves on, the day), and build() is called only on a miss.
    """
    return _rendered(template_name, key, build)


def _rendered(template_name: str, key: tuple, values: Callable[[], dict]) -> Markup:
    language = str(get_locale())
    full_key = (template_name, language, request.script_root, key)
    store = _store()
    html = store.get(full_key)
    if html is None:
        template = current_app.jinja_env.get_template(template_name)
        html = _render(template, {"current_language": language} | values())
        store.put(full_key, html)
    return html


def _render(template, values: dict) -> Markup:
    """The template's HTML from values alone: anything of the request or the reader refuses to serve."""
    return Markup(template.render(_PER_REQUEST | values))  # noqa: S704 - autoescaped .html output


def clear() -> None:
    """Forget every fragment of this app (tests; a process that changed what fragments read from)."""
    current_app.extensions.pop(_STORE, None)
