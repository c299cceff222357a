"""Views of the privacy office that end sessions: one member's, or everyone's (ASVS 7.4.5)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.access import current_session_key, staff_required
from blueprints.office import bp
from blueprints.office.forms import EndAllSessionsForm, EndMemberSessionsForm
from services.member_lookup import member_by_id
from services.sessions import end_all_sessions, end_everyones_sessions, signed_in_counts

OFFICER = "privacy_officer"


def _sessions_page(member_form=None, all_form=None, status: int = 200):
    sessions, members = signed_in_counts()
    page = render_template(
        "office/sessions.html",
        sessions=sessions,
        members=members,
        member_form=member_form or EndMemberSessionsForm(formdata=None),
        all_form=all_form or EndAllSessionsForm(formdata=None),
    )
    return page, status


@bp.get("/sessions")
@staff_required(OFFICER)
def sessions():
    """How many are signed in, and the forms that sign one member or everyone out."""
    return _sessions_page()


@bp.post("/sessions/member")
@staff_required(OFFICER)
def end_member_sessions():
    """Sign one member out on every device; their next request asks for a sign-in."""
    form = EndMemberSessionsForm()
    if not form.validate_on_submit():
        return _sessions_page(member_form=form, status=400)
    member = member_by_id(form.member_id.data)
    if member is None:
        form.member_id.errors.append(_l("No member has that number."))
        return _sessions_page(member_form=form, status=400)
    if member.id == current_user.id:
        form.member_id.errors.append(_l("To sign yourself out everywhere, use Sign out."))
        return _sessions_page(member_form=form, status=400)
    end_all_sessions(member, "by_staff", actor_id=current_user.id)
    flash(_l("Member %(id)s is signed out on every device.", id=member.id), "success")
    return redirect(url_for("office.sessions"))


@bp.post("/sessions/everyone")
@staff_required(OFFICER)
def end_all_member_sessions():
    """Sign every member out at once, except this session of the officer's."""
    form = EndAllSessionsForm()
    if not form.validate_on_submit():
        return _sessions_page(all_form=form, status=400)
    count = end_everyones_sessions(current_user, current_session_key())
    flash(_l("Everyone is signed out: %(num)d members must sign in again.", num=count), "success")
    return redirect(url_for("office.sessions"))
