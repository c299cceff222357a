"""Views of complaints: the public form, and the privacy officer's queue, detail, answer and close."""

from flask import abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.access import staff_required
from blueprints.complaints import bp
from blueprints.complaints.forms import AnswerForm, CloseForm, ComplaintForm, RevealForm
from blueprints.messages import flash_form_errors, refusal_message, show_refusal
from blueprints.security.limits import limited
from services.complaints import (
    ComplaintError,
    Sender,
    answer_complaint,
    close_complaint,
    complaint_page,
    find_complaint,
    member_address,
    open_complaint,
    reveal_contact,
    send_complaint,
    status_counts,
)
from services.staff_audit import AuditError

# Where the thank-you page finds the reference number of what was just sent.
SENT_KEY = "complaint_sent"
ANSWERED = _l("The answer is saved and e-mailed in the complainant's language.")
ANSWERED_UNMAILED = _l(
    "The answer is saved. It was not e-mailed: there is no usable address. A member sees it in My info."
)
CLOSED = _l("The complaint is closed. Its record is kept for the retention period, then deleted.")


def _no_store(body, status: int = 200):
    """Staff pages hold complainants' words and addresses: never kept in a cache."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _complaint_or_404(complaint_id: int):
    complaint = find_complaint(complaint_id)
    if complaint is None:
        abort(404)
    return complaint


@bp.route("/privacy/contact", methods=["GET", "POST"])
@limited("RATELIMIT_COMPLAINT")
def new():
    """Send the privacy office a complaint or question; visitors give an address for the answer."""
    member = current_user if current_user.is_authenticated else None
    form = ComplaintForm()
    if member is not None:
        del form.email  # the answer goes to the account address
    status = 200
    if form.validate_on_submit():
        sender = Sender(
            member=member,
            email=form.email.data if member is None else "",
            locale=str(get_locale()),
            client_address=request.remote_addr or "",
        )
        try:
            complaint = send_complaint(sender, form.kind.data, form.subject.data, form.body.data)
        except ComplaintError as error:
            show_refusal(form, error)
            status = 429 if error.code == "rate_limited" else 400
        else:
            session[SENT_KEY] = {"id": complaint.id, "mailed": bool(member is None or member_address(member))}
            return redirect(url_for("complaints.sent"))
    elif form.errors:
        status = 400
    address = member_address(member) if member is not None else None
    return render_template("complaints/new.html", form=form, member=member, address=address), status


@bp.get("/privacy/contact/sent")
def sent():
    """Thank you, with the reference number of what was just sent."""
    # Shown once: on a shared computer the next person does not see it.
    return render_template("complaints/sent.html", sent=session.pop(SENT_KEY, None))


@bp.get("/office/complaints/")
@staff_required("privacy_officer")
def queue():
    """The privacy officer's queue: one tab per status, a page at a time, no contact addresses."""
    page = complaint_page(request.args.get("status", "open"), request.args.get("page", type=int))
    body = render_template("complaints/queue.html", page=page, counts=status_counts())
    return _no_store(body)


def _detail(complaint, answer_form=None, status: int = 200):
    """Show a complaint; each showing of its subject and body is an audited opening."""
    open_complaint(current_user, complaint)
    body = render_template(
        "complaints/detail.html",
        complaint=complaint,
        answer_form=answer_form or AnswerForm(formdata=None),
        reveal_form=RevealForm(formdata=None),
        close_form=CloseForm(formdata=None),
    )
    return _no_store(body, status)


@bp.get("/office/complaints/<int:complaint_id>")
@staff_required("privacy_officer")
def detail(complaint_id: int):
    """One complaint: its subject and body (audited), the answer so far, and the officer's actions."""
    return _detail(_complaint_or_404(complaint_id))


@bp.post("/office/complaints/<int:complaint_id>/contact")
@staff_required("privacy_officer")
def contact(complaint_id: int):
    """Show the complainant's address, once the officer has said why (audited)."""
    complaint = _complaint_or_404(complaint_id)
    form = RevealForm()
    address, status = None, 200
    if form.validate_on_submit():
        try:
            address = reveal_contact(current_user, complaint, form.reason.data)
        except (AuditError, ComplaintError) as error:
            show_refusal(form, error)
            status = 400
    else:
        status = 400
    body = render_template("complaints/contact.html", complaint=complaint, form=form, address=address)
    return _no_store(body, status)


@bp.post("/office/complaints/<int:complaint_id>/answer")
@staff_required("privacy_officer")
def answer(complaint_id: int):
    """Store the officer's answer and e-mail it in the complainant's language."""
    complaint = _complaint_or_404(complaint_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            mailed = answer_complaint(current_user, complaint, form.answer.data)
        except ComplaintError as error:
            if error.field is None:
                flash(refusal_message(error), "error")
                return redirect(url_for("complaints.detail", complaint_id=complaint.id))
            show_refusal(form, error)
        else:
            flash(ANSWERED if mailed else ANSWERED_UNMAILED, "success")
            return redirect(url_for("complaints.detail", complaint_id=complaint.id))
    return _detail(complaint, answer_form=form, status=400)


@bp.post("/office/complaints/<int:complaint_id>/close")
@staff_required("privacy_officer")
def close(complaint_id: int):
    """Close a complaint: read-only from now on, kept for the retention period, then deleted."""
    complaint = _complaint_or_404(complaint_id)
    form = CloseForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            close_complaint(current_user, complaint)
        except ComplaintError as error:
            flash(refusal_message(error), "error")
        else:
            flash(CLOSED, "success")
    return redirect(url_for("complaints.detail", complaint_id=complaint.id))
