"""What every feature's rules share: the refusal they raise, and the check of ids that come from URLs."""

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
