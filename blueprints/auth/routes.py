"""Views of the auth blueprint."""

from datetime import datetime, timedelta

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from blueprints.access import SESSION_KEY, TWO_STEP_FLAG
from blueprints.auth import bp
from blueprints.auth.forms import (
    ForgotPasswordForm,
    ResetPasswordForm,
    RestoreForm,
    SigninForm,
    SignoutForm,
    SignupForm,
    TwoStepCodeForm,
)
from blueprints.messages import message_for
from blueprints.security.limits import limited
from services.auth import (
    authenticate,
    begin_session,
    end_every_session,
    record_malformed_sign_in,
    request_password_reset,
    reset_password,
    restore_dormant,
    sign_in_expired,
)
from services.clock import now_utc
from services.locale import switch_target
from services.members import MembershipError, SignupRequest, sign_up, verify_email
from services.sessions import mark_seen
from services.two_step import check_second_step

# The restore step must follow the password check closely, and so must the code step.
RESTORE_WINDOW = timedelta(minutes=10)
CODE_WINDOW = timedelta(minutes=5)
CODE_STEP = "two_step_pending"
# How stale the idle clock may get before it is written again (each write re-sends the cookie).
SEEN_RESOLUTION = timedelta(minutes=1)


def _start_session(member, two_step: bool = False, outcome: str = "ok") -> None:
    """Sign the member in on a fresh session, with its server-side record and the clocks the limits read."""
    session.clear()  # nothing from before sign-in carries over
    login_user(member)
    address, agent = request.remote_addr or "", request.user_agent.string
    session[SESSION_KEY] = begin_session(member, address, agent, two_step, outcome)
    session["signed_in_at"] = session["seen_at"] = now_utc().isoformat()
    if two_step:
        session[TWO_STEP_FLAG] = True


def _end_here(message) -> None:
    logout_user()
    session.clear()
    flash(message, "info")


def _stamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@bp.before_app_request
def end_stale_session() -> None:
    """Sign out a session past its lifetime or idle too long; never honour a remember-me cookie."""
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        session["_remember"] = "clear"  # Flask-Login then ignores the cookie and deletes it
    if "_user_id" not in session:
        return
    now = now_utc()
    seen_at = _stamp(session.get("seen_at"))
    if sign_in_expired(_stamp(session.get("signed_in_at")), seen_at, now):
        _end_here(_l("Your session has ended. Please sign in again."))
        return
    if not current_user.is_authenticated:  # ended elsewhere: another device, the office, a newer sign-in
        _end_here(_l("This session was ended. Please sign in again."))
    elif seen_at is None or now - seen_at >= SEEN_RESOLUTION:
        session["seen_at"] = now.isoformat()
        mark_seen(g.session_record, now)


@bp.route("/signup", methods=["GET", "POST"])
@limited("RATELIMIT_SIGNUP")
def signup():
    """Join: required items, optional items, separate consents, the 14+ age gate."""
    form = SignupForm()
    if form.validate_on_submit():
        try:
            sign_up(
                SignupRequest(
                    email=form.email.data,
                    password=form.password.data,
                    name=form.name.data,
                    birth_date=form.birth_date.data,
                    language=str(get_locale()),
                    phone=form.phone.data or None,
                    preferred_region=form.preferred_region.data or None,
                    consents={name: form[name].data for name in SignupRequest.consent_fields()},
                )
            )
        except MembershipError as error:
            target = form[error.field].errors if error.field else form.form_errors
            target.append(message_for(error, age=current_app.config["MIN_SIGNUP_AGE"]))
        else:
            return redirect(url_for("auth.signup_sent"))
    return render_template("auth/signup.html", form=form), 400 if form.errors or form.form_errors else 200


@bp.get("/signup/sent")
def signup_sent():
    """Check your mailbox (the same page whether the address was new or taken)."""
    return render_template("auth/signup_sent.html")


@bp.get("/verify/<token>")
def verify(token: str):
    """Activate an account from the link in the verification e-mail."""
    try:
        verify_email(token)
    except MembershipError as error:
        return render_template("auth/link_problem.html", message=message_for(error)), 400
    flash(_l("Your e-mail address is verified. You can sign in now."), "success")
    return redirect(url_for("auth.signin"))


@bp.route("/signin", methods=["GET", "POST"])
@limited("RATELIMIT_SIGNIN")
def signin():
    """Sign in with e-mail and password; the session starts afresh."""
    form = SigninForm()
    if form.validate_on_submit():
        try:
            member = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except MembershipError as error:
            if error.code == "second_step":
                session[CODE_STEP] = {
                    "member_id": error.member_id,
                    "at": now_utc().isoformat(),
                    "then": error.then,
                    "next": request.args.get("next"),
                }
                return redirect(url_for("auth.code"))
            if error.code == "dormant":
                session["restore"] = {"member_id": error.member_id, "at": now_utc().isoformat()}
                return redirect(url_for("auth.restore"))
            form.form_errors.append(message_for(error))
            return render_template("auth/signin.html", form=form), 429 if error.code == "throttled" else 400
        return _welcome(member, request.args.get("next"))
    if form.errors:
        record_malformed_sign_in()
    return render_template("auth/signin.html", form=form), 400 if form.errors else 200


def _welcome(member, next_url: str | None, two_step: bool = False):
    # Where to go is read before the sign-in commits: afterwards the member row would load again.
    target = switch_target(next_url, member.language, current_app.config["LANGUAGES"])
    target = target or url_for("pages.home", lang_code=member.language)
    _start_session(member, two_step)
    flash(_l("Welcome back. On a shared computer, remember to sign out when you leave."), "success")
    return redirect(target)


@bp.route("/signin/code", methods=["GET", "POST"])
@limited("RATELIMIT_SIGNIN")
def code():
    """The second step: the code from the authenticator app, shortly after the password."""
    pending = session.get(CODE_STEP) or {}
    checked_at = pending.get("at")
    if not (checked_at and now_utc() - datetime.fromisoformat(checked_at) < CODE_WINDOW):
        session.pop(CODE_STEP, None)
        if request.method == "POST":
            flash(message_for(MembershipError("two_step_expired")), "error")
        return redirect(url_for("auth.signin"))
    form = TwoStepCodeForm()
    if form.validate_on_submit():
        try:
            member = check_second_step(pending["member_id"], form.code.data)
        except MembershipError as error:
            if error.code != "wrong_code":  # throttled or gone: the password must be given again
                session.pop(CODE_STEP, None)
                flash(message_for(error), "error")
                return redirect(url_for("auth.signin"))
            form.code.errors.append(message_for(error))
        else:
            session.pop(CODE_STEP, None)
            if pending.get("then") == "dormant":
                session["restore"] = {"member_id": member.id, "at": now_utc().isoformat(), "two_step": True}
                return redirect(url_for("auth.restore"))
            return _welcome(member, pending.get("next"), True)
    return render_template("auth/code.html", form=form), 400 if form.errors else 200


@bp.route("/signin/restore", methods=["GET", "POST"])
@limited("RATELIMIT_SIGNIN")
def restore():
    """A dormant account, password already checked: restore it once the member confirms."""
    pending = session.get("restore") or {}
    checked_at = pending.get("at")
    recent = checked_at and now_utc() - datetime.fromisoformat(checked_at) < RESTORE_WINDOW
    if not recent:
        session.pop("restore", None)
        return redirect(url_for("auth.signin"))
    form = RestoreForm()
    if form.validate_on_submit():
        try:
            member = restore_dormant(pending["member_id"])
        except MembershipError:
            session.pop("restore", None)
            flash(_l("That account cannot be restored from here. Please sign in again."), "error")
            return redirect(url_for("auth.signin"))
        target = url_for("me.overview", lang_code=member.language)
        _start_session(member, bool(pending.get("two_step")), "restored")
        flash(_l("Welcome back. Your account is active again."), "success")
        return redirect(target)
    return render_template("auth/restore.html", form=form)


@bp.post("/signout")
def signout():
    """End this session and every other one of the member's (a POST with a CSRF token, never a link)."""
    form = SignoutForm()
    if not form.validate_on_submit():
        return redirect(url_for("pages.home"))
    if current_user.is_authenticated:
        # The cookie itself cannot be revoked: a copy of it must stop working, so the version moves on.
        end_every_session(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_l("You are signed out here and on every other device."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limited("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address is a member's."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        flash(_l("If that address belongs to a member, a reset link is on its way."), "info")
        return redirect(url_for("auth.signin"))
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limited("RATELIMIT_PASSWORD_RESET")
def reset(token: str):
    """Choose a new password from a reset link."""
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data)
        except MembershipError as error:
            if error.field != "password":  # the link itself is the problem
                return render_template("auth/link_problem.html", message=message_for(error)), 400
            form.password.errors.append(message_for(error))
            return render_template("auth/reset_password.html", form=form), 400
        flash(_l("Your password is changed. Please sign in with the new one."), "success")
        return redirect(url_for("auth.signin"))
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200
