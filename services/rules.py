"""What every feature's rules share: the refusal they raise, and the check of ids that come from URLs."""

import re

# Row ids are 32-bit integers on PostgreSQL.
MAX_ID = 2**31 - 1


class RuleError(Exception):
    """A rule refused a request; code names which, field the form field, values fill the message."""

    def __init__(self, code: str, field: str | None = None, **values):
        super().__init__(code)
        self.code, self.field, self.values = code, field, values


def valid_id(value: int | None) -> bool:
    """Whether a number from a URL can be a row id at all."""
    return value is not None and 0 < value <= MAX_ID


def id_from_text(text: object) -> int | None:
    """The row id a posted value names, or None: ASCII digits within the id range only.

    str.isdigit() also takes characters such as "²" that int() refuses, and int() reads
    Arabic-Indic and full-width digits; neither is a number a form of ours sends.
    """
    value = text.strip() if isinstance(text, str) else ""
    if not re.fullmatch(r"[0-9]{1,10}", value):
        return None
    number = int(value)
    return number if valid_id(number) else None
