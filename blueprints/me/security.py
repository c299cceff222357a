"""Views of My info that guard the account: signed-in sessions and two-step sign-in."""

import io

import segno
from flask import Response, abort, flash, g, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from blueprints.access import TWO_STEP_FLAG, current_session_key
from blueprints.me import bp
from blueprints.me.forms import (
    EndSessionsForm,
    PasswordOnlyForm,
    StartTwoStepForm,
    TwoStepConfirmForm,
    TwoStepOffForm,
)
from blueprints.messages import message_for
from blueprints.security.limits import limited
from services.members import MembershipError
from services.passwords import check_password
from services.sessions import (
    end_other_sessions,
    end_session,
    key_hash,
    mark_two_step,
    sessions_of,
)
from services.two_step import (
    confirm_enrolment,
    pending_secret,
    provisioning_uri,
    recovery_codes_left,
    replace_recovery_codes,
    start_enrolment,
    turn_off,
)

OTHERS = "others"


def _no_store(body: str, status: int = 200) -> Response:
    """A page that must stay out of every cache (secrets, recovery codes, session lists)."""
    response = Response(body, status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _sessions_form(records, formdata=True) -> EndSessionsForm:
    form = EndSessionsForm() if formdata else EndSessionsForm(formdata=None)
    mine = key_hash(current_session_key() or "")
    others = [record for record in records if record.key_hash != mine]
    form.target.choices = [(OTHERS, _l("Every other session"))] + [
        (str(record.id), record.device or _l("Unknown browser")) for record in others
    ]
    return form


def _sessions_page(form=None, status: int = 200) -> Response:
    records = sessions_of(current_user)
    form = form or _sessions_form(records, formdata=False)
    page = render_template(
        "me/sessions.html", records=records, current=key_hash(current_session_key() or ""), form=form
    )
    return _no_store(page, status)


@bp.get("/sessions")
@login_required
def sessions():
    """Every browser where I am signed in, with when it began and was last used."""
    return _sessions_page()


@bp.post("/sessions")
@limited("RATELIMIT_PASSWORD_CHECK")
@login_required
def end_sessions():
    """End one other session, or every other one, after the password is given again."""
    form = _sessions_form(sessions_of(current_user))
    if not form.validate_on_submit():
        return _sessions_page(form, 400)
    if not check_password(form.password.data, current_user.password_hash):
        form.password.errors.append(message_for(MembershipError("wrong_password")))
        return _sessions_page(form, 400)
    if form.target.data == OTHERS:
        count = end_other_sessions(current_user, current_session_key())
        flash(_l("Signed out on %(num)d other sessions.", num=count), "success")
    elif end_session(current_user, int(form.target.data)):
        flash(_l("That session is signed out."), "success")
    return redirect(url_for("me.sessions"))


def _two_step_page(confirm_form=None, off_form=None, codes_form=None, status: int = 200) -> Response:
    secret = pending_secret(current_user)
    page = render_template(
        "me/two_step.html",
        enabled=current_user.uses_two_step,
        secret=secret,
        codes_left=recovery_codes_left(current_user) if current_user.uses_two_step else 0,
        start_form=StartTwoStepForm(),
        confirm_form=confirm_form or TwoStepConfirmForm(formdata=None),
        off_form=off_form or TwoStepOffForm(formdata=None),
        codes_form=codes_form or PasswordOnlyForm(formdata=None),
    )
    return _no_store(page, status)


def _codes_page(codes: list[str]) -> Response:
    """The recovery codes, shown this once."""
    return _no_store(render_template("me/recovery_codes.html", codes=codes))


@bp.get("/two-step")
@login_required
def two_step():
    """Two-step sign-in: its state, setting it up, new recovery codes, turning it off."""
    return _two_step_page()


@bp.post("/two-step/start")
@login_required
def start_two_step():
    """Make a new secret to scan; it becomes active only once a code from it is confirmed."""
    if not StartTwoStepForm().validate_on_submit():
        abort(400)
    try:
        start_enrolment(current_user)
    except MembershipError as error:
        flash(message_for(error), "info")
    return redirect(url_for("me.two_step"))


@bp.get("/two-step/qr.svg")
@login_required
def two_step_qr():
    """The pending secret as a QR code for the authenticator app (never cached)."""
    secret = pending_secret(current_user)
    if secret is None:
        abort(404)
    out = io.BytesIO()
    segno.make(provisioning_uri(current_user, secret), error="m").save(out, kind="svg", scale=5, border=2)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/two-step/confirm")
@limited("RATELIMIT_PASSWORD_CHECK")
@login_required
def confirm_two_step():
    """Turn two-step on with the first code; other sessions end, this one counts as two-step."""
    form = TwoStepConfirmForm()
    if not form.validate_on_submit():
        return _two_step_page(confirm_form=form, status=400)
    try:
        codes = confirm_enrolment(current_user, form.password.data, form.code.data)
    except MembershipError as error:
        target = form[error.field] if error.field else form.code
        target.errors.append(message_for(error))
        return _two_step_page(confirm_form=form, status=400)
    end_other_sessions(current_user, current_session_key())
    mark_two_step(g.session_record)  # the loader keeps this request's session record
    session[TWO_STEP_FLAG] = True
    flash(_l("Two-step sign-in is on. Other sessions are signed out."), "success")
    return _codes_page(codes)


@bp.post("/two-step/recovery-codes")
@limited("RATELIMIT_PASSWORD_CHECK")
@login_required
def new_recovery_codes():
    """Replace the recovery codes (the old ones stop working)."""
    form = PasswordOnlyForm()
    if not form.validate_on_submit():
        return _two_step_page(codes_form=form, status=400)
    try:
        codes = replace_recovery_codes(current_user, form.password.data)
    except MembershipError as error:
        form.password.errors.append(message_for(error))
        return _two_step_page(codes_form=form, status=400)
    return _codes_page(codes)


@bp.post("/two-step/off")
@limited("RATELIMIT_PASSWORD_CHECK")
@login_required
def two_step_off():
    """Turn two-step off with the password and a code (not for staff while it is required)."""
    form = TwoStepOffForm()
    if not form.validate_on_submit():
        return _two_step_page(off_form=form, status=400)
    try:
        turn_off(current_user, form.password.data, form.code.data)
    except MembershipError as error:
        if error.code == "two_step_required":  # staff see no form to turn it off: say so on the page
            flash(message_for(error), "error")
            return redirect(url_for("me.two_step"))
        target = form[error.field] if error.field else form.code
        target.errors.append(message_for(error))
        return _two_step_page(off_form=form, status=400)
    session.pop(TWO_STEP_FLAG, None)
    flash(_l("Two-step sign-in is off. Only your password protects this account now."), "success")
    return redirect(url_for("me.two_step"))
