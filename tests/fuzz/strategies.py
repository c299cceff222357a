"""What the fuzzer sends: odd text, mismatched types, odd bodies and content types, odd ids."""

import io
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

# Numbers that break a naive int(), or that no database integer holds.
ODD_NUMBERS = [
    "2147483648",  # one past PostgreSQL's integer
    "9223372036854775808",  # one past a 64-bit integer (SQLite's)
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "-1",
    "0",
    "1e400",
    "NaN",
    "Infinity",
    "12.5",
    "0x10",
    " 12 ",
    "١٢٣",  # Arabic-Indic digits: int() reads them
    "１２３",  # full-width digits: int() reads them too
    "²",  # a digit to str.isdigit(), not to int()
    "1_000",
]
ODD_DATES = [
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "+10000-01-01",
    "2026-13-01",
    "01/02/2026",
]
ODD_WORDS = [
    "",
    " ",
    "\x00",
    "\r\n",
    "y",
    "on",
    "true",
    "010-1234-5678",
    "a@b",
    "<script>",
    "{{ 7*7 }}",
    "%00",
]


# Past every length limit (the longest is a policy text's 100,000): a drawn piece repeated, as
# drawing that many characters one by one would cost more than the request under test.
def _huge(*sizes: int) -> st.SearchStrategy:
    return st.builds(
        lambda piece, size: (piece * (size // len(piece) + 1))[:size],
        st.text(min_size=1, max_size=12),
        st.sampled_from(sizes),
    )


def _odd(huge: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
        st.sampled_from(ODD_WORDS + ODD_NUMBERS + ODD_DATES),
        huge,
        st.integers().map(str),
    )


odd_text = _odd(_huge(2_001, 5_001, 10_001, 100_001))
# In a URL: past what servers take in a request line (about 8 KB), not megabytes.
odd_url_text = _odd(_huge(300, 5_001))
# Ids from a URL: unknown, zero, past every database integer.
odd_ids = st.one_of(st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63, 10**30]), st.integers(0, 10**40))


def valid_or_odd(*valid: str, odd: st.SearchStrategy = odd_text) -> st.SearchStrategy:
    """A value the form accepts or odd text: choices must pass sometimes for the steps after them to run."""
    return st.one_of(st.sampled_from(valid), odd)


@dataclass(frozen=True)
class FilePart:
    """A file in a multipart body: made anew for each request, as the test client reads it once."""

    content: bytes
    filename: str
    mimetype: str = "application/octet-stream"

    def part(self) -> tuple:
        return (io.BytesIO(self.content), self.filename, self.mimetype)


file_parts = st.builds(
    FilePart,
    st.one_of(st.binary(max_size=2000), st.just(b""), st.text(max_size=50).map(str.encode)),
    st.one_of(st.sampled_from(["photo.jpg", "a.png", "", "../../etc/passwd", "x.txt"]), st.text(max_size=30)),
    st.sampled_from(["application/octet-stream", "image/jpeg", "text/plain", "image/gif"]),
)


def shaped(value: st.SearchStrategy) -> st.SearchStrategy:
    """Mismatched types: mostly the value, sometimes the field repeated, sometimes a file part instead."""
    repeated = st.lists(value, min_size=2, max_size=3)
    return st.integers(0, 9).flatmap(
        lambda shape: repeated if shape == 0 else file_parts if shape == 1 else value
    )


# How the body travels: mostly an ordinary form, sometimes what no form of ours sends.
BODY_KINDS = ["form"] * 7 + ["multipart", "json", "odd-json", "text", "bytes", "charset"]
# JSON that is no form at all: a list, a number, null, nesting, numbers where text goes.
odd_json = st.sampled_from(
    [[1, 2], 5, None, "email", {"a": {"b": [1]}}, [["email", "a@b.c"]], {"email": None, "password": 12}]
)


def _flat(value) -> list:
    """A field's values on the wire: a repeated field of repeated values is one long repetition."""
    return [one for part in value for one in _flat(part)] if isinstance(value, list) else [value]


@dataclass
class FuzzRequest:
    """One drawn request: where it goes, what it carries and how; shown by hypothesis on failure."""

    url: str
    values: dict
    body: str = "form"
    raw: bytes = b""
    json: object = None
    query: dict = field(default_factory=dict)

    def _pairs(self, files: bool) -> list[tuple[str, object]]:
        pairs = []
        for name, value in self.values.items():
            for one in _flat(value):
                if isinstance(one, FilePart):
                    pairs.append((name, one.part() if files else one.content.decode("utf-8", "replace")))
                else:
                    pairs.append((name, one))
        return pairs

    def sends_nul(self) -> bool:
        """Whether a NUL reaches the parsed form or query, which every route must refuse with a 400."""
        pairs = list(self.query.items())
        if self.body in ("form", "multipart", "charset"):
            pairs += [pair for pair in self._pairs(files=self.body != "charset") if isinstance(pair[1], str)]
        return any("\x00" in str(name) + value for name, value in pairs)

    def client_kwargs(self) -> dict:
        """The arguments for the test client's open()."""
        kwargs: dict = {"query_string": self.query} if self.query else {}
        has_file = any(isinstance(one, FilePart) for value in self.values.values() for one in _flat(value))
        if self.body in ("form", "multipart"):
            kwargs["data"] = MultiDict(self._pairs(files=True))
            if self.body == "multipart" or has_file:
                kwargs["content_type"] = "multipart/form-data"
        elif self.body == "json":
            kwargs["json"] = {
                name: [str(one) for one in value] if isinstance(value, list) else str(value)
                for name, value in self.values.items()
            }
        elif self.body == "odd-json":
            kwargs["json"] = self.json
        elif self.body == "text":
            kwargs["data"], kwargs["content_type"] = (
                urlencode(self._pairs(files=False)).encode(),
                "text/plain",
            )
        elif self.body == "charset":
            kwargs["data"] = urlencode(self._pairs(files=False)).encode()
            kwargs["content_type"] = "application/x-www-form-urlencoded; charset=bogus-8"
        else:
            kwargs["data"], kwargs["content_type"] = self.raw, "application/x-www-form-urlencoded"
        return kwargs


def path_segment(value: object) -> str:
    """A value placed in a URL path, quoted so it stays one segment."""
    return quote(str(value), safe="")
