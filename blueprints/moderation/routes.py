"""Views of the moderators' console; moderators see writing and reports, never contact data."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.access import staff_required
from blueprints.messages import flash_form_errors, refusal_message
from blueprints.moderation import bp
from blueprints.moderation.forms import (
    BulkDeleteForm,
    MaskForm,
    ReasonForm,
    SuspendForm,
    parse_targets,
)
from services import moderation
from services.moderation_log import AUTOMATIC_ACTIONS, log_page
from services.moderation_queue import (
    SECTIONS,
    author_of,
    history_of,
    member_by_id,
    queue,
    reports_on,
    suspended_members,
)
from services.posts import PostingError, find_content, post_of
from services.reports import open_measure
from services.rules import valid_id

ACTIONS = {
    "dismiss": moderation.dismiss_reports,
    "hide": moderation.hide,
    "restore": moderation.restore,
    "delete": moderation.delete,
}
DONE = {
    "dismiss": _l("The reports are dismissed."),
    "hide": _l("Hidden. The author is told why."),
    "restore": _l("Shown again. The author is told."),
    "delete": _l("Deleted. The author is told why."),
    "mask": _l("Republished with the words masked. The author is told."),
    "suspend": _l("The author cannot post or comment for now. They are told why and until when."),
    "unsuspend": _l("The suspension is lifted."),
}


def _content_or_404(kind: str, target_id: int):
    content = find_content(kind, target_id)
    if content is None:
        abort(404)
    return content


@bp.get("/")
@staff_required("moderator")
def index():
    """The queue, most urgent section first."""
    return render_template(
        "moderation/queue.html", sections=queue(), order=SECTIONS, bulk_form=BulkDeleteForm(), post_of=post_of
    )


@bp.get("/<any(post, comment):kind>/<int:target_id>")
@staff_required("moderator")
def item(kind: str, target_id: int):
    """One post or comment with its reports, measure, history and the actions."""
    content = _content_or_404(kind, target_id)
    author = author_of(content)
    return render_template(
        "moderation/item.html",
        content=content,
        post=post_of(content),
        author=author,
        reports=reports_on(content),
        measure=open_measure(content),
        # The author's suspensions belong to the story of this item too.
        history=sorted(
            history_of(kind, target_id) + (history_of("member", author.id) if author else []),
            key=lambda row: row.id,
        ),
        reason_form=ReasonForm(),
        mask_form=MaskForm(prefix="mask"),
        suspend_form=SuspendForm(prefix="suspend"),
        automatic_actions=AUTOMATIC_ACTIONS,
    )


def _run(form, step: str, call) -> bool:
    """Validate a moderator's form and take one step, flashing what happened; True when it was taken."""
    if not form.validate_on_submit():
        flash_form_errors(form)
        return False
    try:
        call(form)
    except PostingError as error:
        flash(refusal_message(error), "error")
        return False
    flash(DONE[step], "success")
    return True


@bp.post("/<any(post, comment):kind>/<int:target_id>/<any(dismiss, hide, restore, delete):action>")
@staff_required("moderator")
def act(kind: str, target_id: int, action: str):
    """Dismiss the reports on, hide, restore or delete one post or comment."""
    content = _content_or_404(kind, target_id)
    step = ACTIONS[action]
    done = _run(ReasonForm(), action, lambda f: step(current_user, content, f.reason.data, f.note.data))
    if done and action == "delete":
        return redirect(url_for("moderation.index"))
    return redirect(url_for("moderation.item", kind=kind, target_id=target_id))


@bp.post("/<any(post, comment):kind>/<int:target_id>/mask")
@staff_required("moderator")
def mask(kind: str, target_id: int):
    """Republish with chosen words replaced by symbols."""
    content = _content_or_404(kind, target_id)
    _run(
        MaskForm(prefix="mask"),
        "mask",
        lambda f: moderation.mask(
            current_user, content, f.spans.data.splitlines(), f.reason.data, f.note.data
        ),
    )
    return redirect(url_for("moderation.item", kind=kind, target_id=target_id))


@bp.post("/<any(post, comment):kind>/<int:target_id>/suspend-author")
@staff_required("moderator")
def suspend(kind: str, target_id: int):
    """Suspend the author of this post or comment from posting."""
    author = author_of(_content_or_404(kind, target_id))
    if author is None:
        abort(404)
    _run(
        SuspendForm(prefix="suspend"),
        "suspend",
        lambda f: moderation.suspend(current_user, author, int(f.days.data), f.reason.data, f.note.data),
    )
    return redirect(url_for("moderation.item", kind=kind, target_id=target_id))


@bp.post("/bulk-delete")
@staff_required("moderator")
def bulk_delete():
    """Delete many posts or comments: the first post shows what, the confirmed second one deletes."""
    form = BulkDeleteForm()
    targets = parse_targets(request.form.getlist("target"))
    if not targets:
        flash(_l("Tick the posts or comments to delete first."), "error")
        return redirect(url_for("moderation.index"))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("moderation.index"))
    if not form.confirm.data:
        found = [content for content in (find_content(k, i) for k, i in targets) if content is not None]
        return render_template("moderation/bulk_confirm.html", form=form, items=found, post_of=post_of)
    done = moderation.bulk_delete(current_user, targets, form.reason.data, form.note.data)
    flash(_l("%(num)d deleted. Each author is told why.", num=done), "success")
    return redirect(url_for("moderation.index"))


@bp.get("/suspensions")
@staff_required("moderator")
def suspensions():
    """Members suspended from posting right now."""
    return render_template("moderation/suspensions.html", members=suspended_members(), form=ReasonForm())


@bp.post("/suspensions/<int:member_id>/lift")
@staff_required("moderator")
def lift(member_id: int):
    """End a posting suspension early."""
    member = member_by_id(member_id)
    if member is None or member.posting_suspended_until is None:
        abort(404)
    _run(
        ReasonForm(),
        "unsuspend",
        lambda f: moderation.lift_suspension(current_user, member, f.reason.data, f.note.data),
    )
    return redirect(url_for("moderation.suspensions"))


@bp.get("/log")
@staff_required("moderator")
def log():
    """Every moderation step, newest first (moderators and the privacy officer)."""
    before = request.args.get("before", type=int)
    rows, older = log_page(before if valid_id(before) else None)
    return render_template("moderation/log.html", rows=rows, older=older, automatic_actions=AUTOMATIC_ACTIONS)
