"""Which language to show: the one rule every entry point without a language prefix uses."""

import posixpath
from collections.abc import Iterable
from urllib.parse import urlsplit


def negotiate_locale(
    *,
    cookie_choice: str | None,
    member_language: str | None,
    accept_languages: Iterable[tuple[str, float]],
    supported: Iterable[str],
    default: str,
) -> str:
    """Pick a language: explicit earlier choice, then member setting, then browser, then default."""
    supported = tuple(supported)
    for candidate in (cookie_choice, member_language):
        if candidate in supported:
            return candidate
    ranked = sorted(accept_languages, key=lambda pair: pair[1], reverse=True)
    for tag, quality in ranked:
        primary = tag.split("-")[0].split("_")[0].lower()
        if quality > 0 and primary in supported:
            return primary
    return default


def language_of_path(path: str, supported: Iterable[str], default: str) -> str:
    """The language named by a path's first segment, or the default when it names none of ours."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in tuple(supported) else default


def path_in_language(path: str, language: str, supported: Iterable[str]) -> str:
    """The same path under another language prefix (prefixing paths that have none)."""
    segments = path.lstrip("/").split("/", 1)
    rest = segments[1] if len(segments) > 1 and segments[0] in tuple(supported) else None
    if rest is None:
        rest = "" if segments[0] in tuple(supported) else path.lstrip("/")
    return f"/{language}/{rest}"


def switch_target(target: str | None, language: str, supported: Iterable[str]) -> str | None:
    """The local page target re-prefixed with language, or None when target is not one of ours.

    Guards the language switcher against being used as an open redirect: only a
    plain absolute path is accepted, dot segments are resolved first, and the
    result can never start with "//".
    """
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    path = path_in_language(posixpath.normpath(parts.path), language, supported)
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"  # normpath drops it, and "/ko/boards" is only a redirect to "/ko/boards/"
    if path.startswith("//"):
        return None
    return f"{path}?{parts.query}" if parts.query else path
