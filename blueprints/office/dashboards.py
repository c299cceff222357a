"""Dashboards of the privacy office: what retention holds, the mail queue, breach notices (SPEC §5, §13)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.access import staff_required
from blueprints.messages import flash_form_errors, show_refusal
from blueprints.office import bp
from blueprints.office.dashboard_forms import BreachForm, RetryForm
from jobs import enqueue
from jobs.breach import send_breach_notice
from jobs.tasks import deliver_emails
from services import breach, outbox_admin
from services.addresses import mask_email
from services.retention_dashboard import holdings
from services.rules import valid_id


@bp.get("/retention")
@staff_required("privacy_officer")
def retention():
    """Per retention category: how many records are held, the oldest, and the next purge date."""
    return render_template("office/retention.html", holdings=holdings())


@bp.get("/mail")
@staff_required("privacy_officer")
def mail():
    """Pending, stuck and failed outbox messages, with a retry for the failed."""
    return render_template(
        "office/mail.html",
        counts=outbox_admin.status_counts(),
        sections={status: outbox_admin.unfinished(status) for status in outbox_admin.SHOWN_STATUSES},
        masked=mask_email,
        masked_error=outbox_admin.masked_error,
        form=RetryForm(),
    )


@bp.post("/mail/retry", defaults={"message_id": None})
@bp.post("/mail/<int:message_id>/retry")
@staff_required("privacy_officer")
def retry_mail(message_id: int | None):
    """Put failed mail (one message, or all) back for delivery."""
    if message_id is not None and not valid_id(message_id):
        abort(404)
    if not RetryForm().validate_on_submit():
        abort(400)
    ids = outbox_admin.retry_failed(None if message_id is None else [message_id])
    if ids:
        enqueue(deliver_emails, ids, queue="emails")
        flash(_l("%(count)d message(s) will be sent again.", count=len(ids)), "success")
    else:
        flash(_l("There was no failed message to send again."), "info")
    return redirect(url_for("office.mail"))


@bp.route("/breach", methods=["GET", "POST"])
@staff_required("privacy_officer")
def breach_notice():
    """Write a breach notice and e-mail it to every member, or to the members named by id."""
    form = BreachForm()
    if form.validate_on_submit():
        draft = breach.BreachDraft(**{name: form[name].data for name in breach.BreachDraft.__annotations__})
        try:
            notice = breach.create_notice(current_user, draft)
        except breach.BreachError as error:
            show_refusal(form, error)
        else:
            enqueue(send_breach_notice, notice.id, queue="emails")
            flash(_l("The breach notice is being sent. It is logged below."), "success")
            return redirect(url_for("office.breach_notice"))
    elif request.method == "POST":
        flash_form_errors(form)
    return render_template("office/breach.html", form=form, notices=breach.recent_notices())
