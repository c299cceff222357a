"""Security events: one line each on the "security" logger, made of numbers and codes only.

A line names the event, the member's number (or "-") and the outcome, plus any codes
the caller adds; the web layer's log filter adds the request id and the path. Nothing
personal goes in: no e-mail address, name, password, token or client address.
"""

import logging

log = logging.getLogger("security")


def security_event(
    event: str, outcome: str, member_id: int | None = None, level: int = logging.INFO, **codes: object
) -> None:
    """Log one security event: its name, the member's number (or "-"), the outcome and the given codes."""
    member = "-" if member_id is None else str(member_id)
    template = " ".join(["event=%s member=%s outcome=%s", *(f"{name}=%s" for name in codes)])
    log.log(
        level,
        template,
        event,
        member,
        outcome,
        *codes.values(),
        extra={"event": event, "member_id": member, "outcome": outcome},
    )
