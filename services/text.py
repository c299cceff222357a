"""Plain text that members write: normalised on the way in, split into text and links on the way out."""

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

# Bidirectional overrides and isolates can reorder what others see around the text.
_LAYOUT_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
# Control, format, surrogate and private-use characters go; the zero-width joiners stay,
# because emoji sequences and several scripts need them. Unassigned ones stay too (newer emoji).
_DROPPED = {"Cc", "Cf", "Cs", "Co"}
_KEPT = {"\n", "\t", "\u200c", "\u200d"}
# Punctuation that ends a sentence rather than the link it follows.
_TRAILING = ".,;:!?]}'\"》」』）"


def normalise(text: str | None) -> str:
    """NFC text with Unix line breaks, no control or layout characters, no trailing blanks."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(_LAYOUT_CONTROLS)
    kept = "".join(ch for ch in text if ch in _KEPT or unicodedata.category(ch) not in _DROPPED)
    # Composed last: a dropped character may have stood between a letter and its accent.
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", kept).split("\n")]
    return "\n".join(lines).strip("\n").strip()


def single_line(text: str | None) -> str:
    """Normalised text with every run of blanks and line breaks made one space (titles)."""
    return re.sub(r"\s+", " ", normalise(text)).strip()


def digest(text: str) -> str:
    """A fingerprint of the text that ignores case and spacing (repeated posts look alike)."""
    squeezed = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(squeezed.encode()).hexdigest()


def split_links(text: str) -> list[tuple[str, str]]:
    """The text as ("text", part) and ("link", url) pieces, in order; only http(s) links."""
    pieces, position = [], 0
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if not link_host(url):  # "http://[abc" and the like are text, not links
            continue
        start = match.start()
        if start > position:
            pieces.append(("text", text[position:start]))
        pieces.append(("link", url))
        position = start + len(url)
    if position < len(text):
        pieces.append(("text", text[position:]))
    return pieces


def _trim(url: str) -> str:
    """Drop sentence punctuation after a link; a closing bracket only when it opened outside the link."""
    while True:
        trimmed = url.rstrip(_TRAILING)
        if trimmed.endswith(")") and trimmed.count(")") > trimmed.count("("):
            trimmed = trimmed[:-1]
        if trimmed == url:
            return url
        url = trimmed


def links_in(text: str) -> list[str]:
    """Every http(s) link in the text."""
    return [part for kind, part in split_links(text) if kind == "link"]


def link_host(url: str) -> str:
    """The lower-case host a link points to ('' when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def mask_spans(text: str, spans: list[str], symbol: str = "○") -> str:
    """The text with every character inside any occurrence of any span replaced by the symbol.

    Positions are marked first and replaced together, so overlapping spans
    ("김철" and "철수" in "김철수") are masked whole whatever their order.
    """
    covered = [False] * len(text)
    for span in {s for s in spans if s.strip()}:
        start = text.find(span)
        while start != -1:
            covered[start : start + len(span)] = [True] * len(span)
            start = text.find(span, start + 1)
    return "".join(symbol if hidden else ch for ch, hidden in zip(text, covered, strict=True))
