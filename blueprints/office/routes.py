"""Views of the privacy office console: its home, staff roles, member look-ups and the access audit."""

import json

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.access import staff_required
from blueprints.messages import flash_form_errors, refusal_message, show_refusal
from blueprints.office import bp
from blueprints.office.forms import (
    CATEGORY_LABELS,
    FIELD_LABELS,
    PURPOSE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    AuditFilterForm,
    ButtonForm,
    ExportForm,
    GrantRoleForm,
    MemberSearchForm,
    OpenDataForm,
    SignOffForm,
    parse_month,
)
from services import member_lookup, staff, staff_audit
from services.addresses import mask_email
from services.clock import now_utc, seoul_today
from services.member_lookup import MemberDataError
from services.rules import valid_id
from services.staff import StaffError
from services.staff_audit import AuditError, AuditFilter, ReviewError

OFFICER = "privacy_officer"


@bp.context_processor
def office_labels() -> dict:
    """Words for the console's codes (roles, purposes, fields, statuses)."""
    return {
        "role_labels": ROLE_LABELS,
        "purpose_labels": PURPOSE_LABELS,
        "field_labels": FIELD_LABELS,
        "status_labels": STATUS_LABELS,
        "item_label": lambda code: str(FIELD_LABELS.get(code) or CATEGORY_LABELS.get(code) or code),
    }


@bp.get("/")
@staff_required(OFFICER)
def index():
    """The console's home: every part of the office, with this month's audit count."""
    today = seoul_today()
    return render_template(
        "office/index.html",
        openings=staff_audit.openings_in_month(staff_audit.month_of(today)),
        staff_count=len(staff.staff_members()),
        last_month=staff_audit.previous_month(today),
        last_review=staff_audit.review_of(staff_audit.previous_month(today)),
    )


def _roles_page(form: GrantRoleForm | None = None):
    return render_template(
        "office/roles.html",
        staff_members=staff.staff_members(),
        changes=staff.recent_changes(),
        form=form or GrantRoleForm(),
        button=ButtonForm(),
        mask_email=mask_email,
    )


@bp.get("/roles")
@staff_required(OFFICER)
def roles():
    """Current staff (masked addresses), the grant form and the latest role changes."""
    return _roles_page()


@bp.post("/roles")
@staff_required(OFFICER)
def grant():
    """Give an active member a staff role, or change theirs."""
    form = GrantRoleForm()
    if form.validate_on_submit():
        try:
            change = staff.grant_role(form.email.data, form.role.data, current_user.id)
        except StaffError as error:
            show_refusal(form, error)
        else:
            role = ROLE_LABELS[change.after]
            flash(_l("Member %(id)s is now: %(role)s.", id=change.member_id, role=role), "success")
            return redirect(url_for("office.roles"))
    return _roles_page(form)


@bp.post("/roles/<int:member_id>/remove")
@staff_required(OFFICER)
def remove_role(member_id: int):
    """Take a staff member's role away (never the last privacy officer's)."""
    form = ButtonForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("office.roles"))
    try:
        staff.remove_role(member_id, current_user.id)
    except StaffError as error:
        flash(refusal_message(error), "error")
        return redirect(url_for("office.roles"))
    flash(_l("Member %(id)s holds no staff role any more.", id=member_id), "success")
    # An officer who stepped down can no longer open the console.
    return redirect(url_for("pages.home") if member_id == current_user.id else url_for("office.roles"))


@bp.route("/members", methods=["GET", "POST"])
@staff_required(OFFICER)
def members():
    """Find one member by exact e-mail address or member number (posted, so no address is in a URL)."""
    form = MemberSearchForm()
    if form.validate_on_submit():
        member = member_lookup.find_member(form.query.data)
        if member is not None:
            return redirect(url_for("office.member", member_id=member.id))
        form.query.errors = [*form.query.errors, _l("No member has that e-mail address or member number.")]
    return render_template("office/members.html", form=form)


def _member_or_404(member_id: int):
    member = member_lookup.member_by_id(member_id)
    if member is None:
        abort(404)
    return member


def _member_page(member, open_form=None, export_form=None, opened=None):
    """The member's summary and forms; never cached, as it may carry opened personal data."""
    response = make_response(
        render_template(
            "office/member.html",
            summary=member_lookup.summary(member),
            open_form=open_form or OpenDataForm(prefix="open", formdata=None),
            export_form=export_form or ExportForm(prefix="export", formdata=None),
            opened=opened,
            end_form=ButtonForm(),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/members/<int:member_id>")
@staff_required(OFFICER)
def member(member_id: int):
    """One member's minimum summary and the forms to open or export their personal data."""
    return _member_page(_member_or_404(member_id))


@bp.post("/members/<int:member_id>/open")
@staff_required(OFFICER)
def open_data(member_id: int):
    """Show the ticked personal fields, after writing the audit row with the reason."""
    member = _member_or_404(member_id)
    form = OpenDataForm(prefix="open")
    if form.validate_on_submit():
        try:
            opened = member_lookup.open_personal_data(
                current_user.id, member, form.fields.data, form.reason.data
            )
        except (AuditError, MemberDataError) as error:
            show_refusal(form, error)
        else:
            return _member_page(member, opened=opened)
    return _member_page(member, open_form=form)


@bp.post("/members/<int:member_id>/export")
@staff_required(OFFICER)
def export(member_id: int):
    """Download a member's full export on their request, after writing the audit row with the reason."""
    member = _member_or_404(member_id)
    form = ExportForm(prefix="export")
    if form.validate_on_submit():
        try:
            data = member_lookup.export_on_request(current_user.id, member, form.reason.data)
        except (AuditError, MemberDataError) as error:
            show_refusal(form, error)
        else:
            response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
            stamp = now_utc().strftime("%Y%m%d")
            name = f"usnaper-member-{member_id}-{stamp}.json"
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            response.headers["Cache-Control"] = "no-store"
            return response
    return _member_page(member, export_form=form)


AUDIT_FILTERS = ("staff", "member", "purpose", "date_from", "date_to")


@bp.get("/audit")
@staff_required(OFFICER)
def audit():
    """The access audit, newest first, narrowed by staff member, member, purpose and days."""
    form = AuditFilterForm(purposes=staff_audit.known_purposes(), formdata=request.args)
    rows, older_url = [], None
    if form.validate():
        filters = AuditFilter(
            staff_id=form.staff.data,
            subject_id=form.member.data,
            purpose=form.purpose.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
        before = request.args.get("before", type=int)
        rows, older = staff_audit.audit_page(filters, before if valid_id(before) else None)
        if older is not None:
            # Only the filters travel on: other query keys could steer url_for itself.
            kept = {name: request.args[name] for name in AUDIT_FILTERS if request.args.get(name)}
            older_url = url_for("office.audit", before=older, **kept)
    return render_template("office/audit.html", form=form, rows=rows, older_url=older_url)


@bp.get("/audit/review")
@staff_required(OFFICER)
def review():
    """One month of the audit per staff member, unusual volume highlighted, and its sign-off."""
    raw = request.args.get("month")
    month = parse_month(raw) if raw else staff_audit.previous_month()
    if month is None:
        flash(_l("Write the month as YYYY-MM, for example 2025-01. Showing last month instead."), "error")
        month = staff_audit.previous_month()
    form = SignOffForm(formdata=None, month=month.strftime("%Y-%m"))
    return render_template(
        "office/review.html",
        review=staff_audit.monthly_review(month),
        form=form,
        finished=month < staff_audit.month_of(seoul_today()),
        earlier=staff_audit.previous_month(month).strftime("%Y-%m"),
    )


@bp.post("/audit/review")
@staff_required(OFFICER)
def sign_off():
    """Sign off one finished month of the audit, with a note (once per month)."""
    form = SignOffForm()
    month = parse_month(form.month.data)
    if month is None:
        flash(_l("Write the month as YYYY-MM, for example 2025-01. Showing last month instead."), "error")
        return redirect(url_for("office.review"))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("office.review", month=form.month.data))
    try:
        staff_audit.sign_off(month, current_user.id, form.note.data or "")
    except ReviewError as error:
        flash(refusal_message(error), "error")
    else:
        flash(_l("The review of %(month)s is signed off.", month=form.month.data), "success")
    return redirect(url_for("office.review", month=form.month.data))
