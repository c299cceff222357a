"""Sending one thing to many members, batch by batch, exactly once per member.

The row being sent (a policy version, a campaign, a breach notice) keeps a
keyset cursor over member ids. Each batch writes its work (outbox rows,
delivery records) and moves the cursor with one conditional UPDATE in the same
transaction, so a killed fan-out resumes where it stopped and two workers on
the same row never both send a batch.
"""

import logging
from collections.abc import Callable

from sqlalchemy import Select, select, update

from extensions import db
from models.member import Member

log = logging.getLogger(__name__)


def fan_out(
    model: type,
    row_id: int,
    cursor_column: str,
    members: Select,
    handle: Callable[[Member], bool],
    batch_size: int,
    after_batch: Callable[[], None] | None = None,
    count_column: str | None = None,
) -> int:
    """Call handle(member) for each member of `members` past the row's cursor; return how many it took.

    `members` selects Member rows (without ORDER BY or LIMIT); handle returns
    whether it sent something. after_batch runs after each committed batch
    (the job layer hands the batch's mail to delivery there). count_column, if
    given, is raised by each batch's count in the same conditional UPDATE.
    """
    cursor_attr = getattr(model, cursor_column)
    sent = 0
    while True:
        cursor = db.session.scalar(select(cursor_attr).where(model.id == row_id))
        if cursor is None:
            return sent
        batch = list(
            db.session.scalars(members.where(Member.id > cursor).order_by(Member.id).limit(batch_size))
        )
        if not batch:
            db.session.rollback()
            return sent
        taken = sum(1 for member in batch if handle(member))
        db.session.flush()  # handles may queue without flushing: the batch's rows go in together
        moved = db.session.execute(
            update(model)
            .where(model.id == row_id, cursor_attr == cursor)
            .values(
                {cursor_column: batch[-1].id}
                | ({count_column: getattr(model, count_column) + taken} if count_column else {})
            )
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:
            # Another worker sent this batch first: drop ours and carry on from its cursor.
            db.session.rollback()
            log.info(
                "fan-out of %s %s: batch after %s taken by another worker", model.__name__, row_id, cursor
            )
            continue
        db.session.commit()
        sent += taken
        if after_batch:
            after_batch()
