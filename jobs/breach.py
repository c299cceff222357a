"""Job functions for breach notices: take an id, re-load, safe to run twice."""

from jobs.tasks import dispatch_committed_mail
from services.breach import send_notice, unfinished_notices


def send_breach_notice(notice_id: int) -> int:
    """E-mail one breach notice to the members it names, batch by batch."""
    return send_notice(notice_id, after_batch=dispatch_committed_mail)


def finish_breach_notices() -> int:
    """Finish every breach notice a dead worker left part-sent; return the e-mails sent."""
    return sum(send_breach_notice(notice_id) for notice_id in unfinished_notices())
