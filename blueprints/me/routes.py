"""Views of My info."""

import json
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.access import current_session_key
from blueprints.me import bp
from blueprints.me.forms import (
    ConsentsForm,
    EmailChangeForm,
    FlagForm,
    PasswordChangeForm,
    ProfileForm,
    WithdrawForm,
)
from blueprints.messages import message_for
from blueprints.security.limits import limited
from services.bookings import provisions_about
from services.clock import now_utc
from services.complaints import complaints_of
from services.field_crypto import decrypt_field
from services.members import MembershipError
from services.my_info import (
    OPTIONAL_CONSENTS,
    change_optional_consents,
    consent_history,
    current_consents,
    export,
    my_writing,
    recent_sign_ins,
)
from services.profile import (
    CORRECTABLE,
    ProfileChange,
    change_password,
    confirm_email_change,
    flag_as_wrong,
    request_email_change,
    update_profile,
)
from services.regions import region_label
from services.withdrawal import withdraw

RECENT_SIGNIN = timedelta(minutes=10)
CONSENT_LABELS = {
    "privacy_notice": _l("Collection and use of required information"),
    "terms": _l("Terms of service"),
    "optional_profile": _l("Collection and use of optional information (phone, preferred region)"),
    "marketing_email": _l("Advertising by e-mail"),
    "marketing_sms": _l("Advertising by text message"),
    "marketing_night": _l("Advertising between 21:00 and 08:00"),
}
CHANNEL_LABELS = {
    "signup": _l("Signup"),
    "my_info": _l("My info"),
    "unsubscribe_link": _l("Unsubscribe link in an advertising e-mail"),
}


def recent_signin_required(view):
    """Ask for the password again unless the member signed in within the last few minutes."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        signed_in_at = session.get("signed_in_at")
        fresh = signed_in_at and now_utc() - datetime.fromisoformat(signed_in_at) < RECENT_SIGNIN
        if not fresh:
            flash(_l("For your safety, please sign in again to continue."), "info")
            return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return login_required(wrapped)


@bp.get("/")
@login_required
def overview():
    """Everything held about me: profile, consents and their history, provisions, sign-ins."""
    member = current_user
    consents = current_consents(member)
    form = ConsentsForm(data={item: consents[item] for item in OPTIONAL_CONSENTS})
    phone = decrypt_field(member.phone_encrypted, "member.phone") if member.phone_encrypted else None
    return render_template(
        "me/overview.html",
        member=member,
        phone=phone,
        region=region_label(member.preferred_region),
        consents=consents,
        history=consent_history(member),
        sign_ins=recent_sign_ins(member),
        writing=my_writing(member),
        provisions=provisions_about(member),
        complaints=complaints_of(member),
        form=form,
        consent_labels=CONSENT_LABELS,
        channel_labels=CHANNEL_LABELS,
        flag_form=FlagForm(),
        frozen=set(member.corrections_requested or []),
    )


@bp.post("/consents")
@login_required
def consents():
    """Give or withdraw optional consents; withdrawing marketing stops it at once."""
    form = ConsentsForm()
    if not form.validate_on_submit():
        flash(_l("Your consents could not be saved. Please try again."), "error")
        return redirect(url_for("me.overview"))
    changed = change_optional_consents(current_user, {item: form[item].data for item in OPTIONAL_CONSENTS})
    flash(_l("Your consents are saved.") if changed else _l("Nothing changed."), "success")
    return redirect(url_for("me.overview"))


@bp.get("/export.json")
@recent_signin_required
def export_json():
    """Download everything held about me as JSON."""
    body = json.dumps(export(current_user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    stamp = now_utc().strftime("%Y%m%d")
    response.headers["Content-Disposition"] = f'attachment; filename="usnaper-my-data-{stamp}.json"'
    response.headers["Cache-Control"] = "no-store"
    current_app.logger.info("member %s exported their data", current_user.id)
    return response


@bp.route("/withdraw", methods=["GET", "POST"])
@limited("RATELIMIT_PASSWORD_CHECK")
@recent_signin_required
def leave():
    """Membership withdrawal, confirmed with the password: personal data deleted at once."""
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdraw(current_user, form.password.data, keep_posts=form.posts.data == "keep")
        except MembershipError as error:
            if error.code == "last_officer":
                form.form_errors.append(
                    _l(
                        "You are the only privacy officer. Give the role to someone else in the "
                        "privacy office before you leave."
                    )
                )
            else:
                form.password.errors.append(_l("That password is not right."))
        else:
            logout_user()
            session.clear()
            flash(
                _l("You have left USNAPER. A receipt of what was deleted and kept is on its way."), "success"
            )
            return redirect(url_for("pages.home"))
    return render_template("me/withdraw.html", form=form), 400 if form.errors else 200


PROFILE_ERRORS = {
    "under_age": _l("Members must be at least %(age)d years old: please check the date of birth."),
    "optional_consent_needed": _l(
        "A phone number or preferred region is kept only with the optional-information consent: "
        "give it in My info first."
    ),
}


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Correct my profile at any time."""
    member = current_user
    form = ProfileForm(obj=member) if request.method == "GET" else ProfileForm()
    if request.method == "GET" and member.phone_encrypted:
        form.phone.data = decrypt_field(member.phone_encrypted, "member.phone")
    if form.validate_on_submit():
        change = ProfileChange(
            name=form.name.data,
            birth_date=form.birth_date.data,
            language=form.language.data,
            phone=form.phone.data or None,
            preferred_region=form.preferred_region.data or None,
        )
        try:
            update_profile(member, change)
        except MembershipError as error:
            target = form[error.field].errors if error.field else form.form_errors
            message = PROFILE_ERRORS.get(error.code, _l("That value is not allowed."))
            target.append(
                str(message) % {"age": current_app.config["MIN_SIGNUP_AGE"]}
                if error.code == "under_age"
                else message
            )
        else:
            flash(_l("Your profile is saved."), "success")
            return redirect(url_for("me.overview", lang_code=member.language))
    return render_template("me/profile.html", form=form), 400 if form.errors or form.form_errors else 200


@bp.post("/flag/<field>")
@login_required
def flag(field: str):
    """Mark a field as wrong: it is not used or provided until I correct it."""
    form = FlagForm()
    if field not in CORRECTABLE or not form.validate_on_submit():
        flash(_l("That could not be marked. Please try again."), "error")
        return redirect(url_for("me.overview"))
    flag_as_wrong(current_user, field)
    flash(_l("Marked as wrong: it will not be used or provided until you correct it."), "success")
    return redirect(url_for("me.overview"))


@bp.route("/password", methods=["GET", "POST"])
@limited("RATELIMIT_PASSWORD_CHECK")
@recent_signin_required
def password():
    """Change my password; every other session ends."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_password(
                current_user, form.current_password.data, form.password.data, keep_key=current_session_key()
            )
        except MembershipError as error:
            field = form[error.field] if error.field else form.current_password
            field.errors.append(
                _l("That password is not right.") if error.code == "wrong_password" else message_for(error)
            )
        else:
            login_user(current_user._get_current_object())  # this session goes on under the new version
            session["signed_in_at"] = now_utc().isoformat()
            flash(_l("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("me.overview"))
    return render_template("me/password.html", form=form), 400 if form.errors else 200


@bp.route("/email", methods=["GET", "POST"])
@limited("RATELIMIT_PASSWORD_RESET")
@recent_signin_required
def email():
    """Ask to change my e-mail address; the new one must be confirmed from its own mailbox."""
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            request_email_change(current_user, form.email.data, form.password.data)
        except MembershipError as error:
            form.password.errors.append(message_for(error))
        else:
            flash(_l("If that address can be used, a confirmation link is on its way to it."), "info")
            return redirect(url_for("me.overview"))
    return render_template("me/email.html", form=form), 400 if form.errors else 200


@bp.get("/email/confirm/<token>")
def confirm_email(token: str):
    """Switch to the new address from the link sent to it."""
    try:
        confirm_email_change(token)
    except MembershipError as error:
        return render_template("auth/link_problem.html", message=message_for(error)), 400
    flash(_l("Your new e-mail address is confirmed."), "success")
    return redirect(url_for("me.overview"))
