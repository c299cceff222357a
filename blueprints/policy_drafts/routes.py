"""Views of policy drafting: the privacy officer writes, revises and schedules new versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.access import staff_required
from blueprints.messages import flash_form_errors, refusal_message, show_refusal
from blueprints.policy_drafts import bp
from blueprints.policy_drafts.forms import DeleteForm, DraftForm, ScheduleForm
from jobs.policy_notices import start_policy_notice
from services import policy_drafts
from services.policy_drafts import PolicyDraftError
from services.policy_notices import comparison
from services.rules import valid_id

if TYPE_CHECKING:
    from models.policy import PolicyVersion

ANNOUNCED_ALREADY = _l("This version has been announced: it can no longer be changed or deleted.")


def _draft_or_404(draft_id: int) -> PolicyVersion:
    row = policy_drafts.find_row(draft_id) if valid_id(draft_id) else None
    if row is None:
        abort(404)
    return row


@bp.get("/")
@staff_required("privacy_officer")
def index():
    """Drafts, scheduled versions and the versions in force, per legal text."""
    return render_template("policy_drafts/index.html", kinds=policy_drafts.overview())


@bp.route("/new/<any(privacy, terms):kind>", methods=["GET", "POST"])
@staff_required("privacy_officer")
def new(kind: str):
    """Write a new draft, starting from the text in force."""
    form = DraftForm()
    if request.method == "GET":
        texts = policy_drafts.prefill(kind)
        form.version.data = policy_drafts.suggested_version(kind)
        form.importance.data = "general"
        form.body_ko.data, form.body_en.data = texts["ko"], texts["en"]
    elif form.validate_on_submit():
        try:
            row = policy_drafts.create_draft(current_user.id, kind, form.draft_text())
        except PolicyDraftError as error:
            show_refusal(form, error)
        else:
            flash(_l("The draft is saved. Nobody but the privacy office can see it."), "success")
            return redirect(url_for("policy_drafts.draft", draft_id=row.id))
    status = 400 if request.method == "POST" else 200
    return render_template("policy_drafts/edit.html", form=form, kind=kind, row=None), status


def _draft_page(row: PolicyVersion, form: DraftForm, schedule_form: ScheduleForm, status: int = 200):
    locale = str(get_locale())
    previous, hunks = comparison(row, locale) if row.body(locale) else (None, [])
    return (
        render_template(
            "policy_drafts/edit.html",
            form=form,
            schedule_form=schedule_form,
            delete_form=DeleteForm(),
            kind=row.kind,
            row=row,
            previous=previous,
            hunks=hunks,
            earliest=policy_drafts.earliest_effective_date(row.importance),
        ),
        status,
    )


@bp.route("/<int:draft_id>", methods=["GET", "POST"])
@staff_required("privacy_officer")
def draft(draft_id: int):
    """Revise a draft; the page also previews its changes and offers to schedule it."""
    row = _draft_or_404(draft_id)
    if row.announced_at is not None:
        flash(ANNOUNCED_ALREADY, "error")
        return redirect(url_for("policy_drafts.index"))
    form = DraftForm(obj=row)
    if form.validate_on_submit():
        try:
            policy_drafts.update_draft(row, form.draft_text())
        except PolicyDraftError as error:
            show_refusal(form, error)
        else:
            flash(_l("The draft is saved."), "success")
            return redirect(url_for("policy_drafts.draft", draft_id=row.id))
    status = 400 if request.method == "POST" else 200
    return _draft_page(row, form, ScheduleForm(formdata=None), status)


@bp.post("/<int:draft_id>/delete")
@staff_required("privacy_officer")
def delete(draft_id: int):
    """Delete a draft (never an announced version)."""
    row = _draft_or_404(draft_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("policy_drafts.draft", draft_id=row.id))
    try:
        policy_drafts.delete_draft(row)
    except PolicyDraftError as error:
        flash(refusal_message(error), "error")
    else:
        flash(_l("The draft is deleted."), "success")
    return redirect(url_for("policy_drafts.index"))


@bp.post("/<int:draft_id>/schedule")
@staff_required("privacy_officer")
def schedule(draft_id: int):
    """Announce a draft with its effective date; an important change starts the members' e-mails."""
    row = _draft_or_404(draft_id)
    if row.announced_at is not None:
        flash(ANNOUNCED_ALREADY, "error")
        return redirect(url_for("policy_drafts.index"))
    form = ScheduleForm()
    if form.validate_on_submit():
        try:
            row = policy_drafts.schedule(row, form.effective_on.data)
        except PolicyDraftError as error:
            show_refusal(form, error)
        else:
            if row.importance == "important":
                start_policy_notice(row.id)
                flash(
                    _l("Announced. Every page shows the notice, and every member is being e-mailed."),
                    "success",
                )
            else:
                flash(_l("Announced. Every page shows the notice until the effective date."), "success")
            return redirect(url_for("policy_drafts.index"))
    return _draft_page(row, DraftForm(obj=row, formdata=None), form, 400)
