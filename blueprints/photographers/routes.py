"""Views of the photographer directory, profiles, the profile editor and the photo files."""

import re

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from blueprints.fragments import cached, cached_by
from blueprints.messages import flash_form_errors, refusal_message, show_refusal
from blueprints.photographers import bp, media_bp
from blueprints.photographers.forms import ButtonForm, DayForm, DirectoryForm, PhotoForm, ProfileForm
from services.booking_states import reviews_of
from services.clock import seoul_today
from services.directory import Filters, public_profile, public_profile_version, search
from services.photographers import (
    ProfileChange,
    ProfileError,
    add_photo,
    block_day,
    blocked_days,
    photo_by_name,
    portfolio,
    profile_of,
    remove_photo,
    save_profile,
    unblock_day,
)
from services.photos import path_for

PHOTO_NAME = re.compile(r"^[A-Za-z0-9_-]{24}$")


@bp.get("/")
def directory():
    """Find photographers by region, kind of shoot, free day and price."""
    form = DirectoryForm(request.args)
    form.validate()
    filters = Filters(
        region=form.usable("region"),
        specialty=form.usable("specialty"),
        day=form.usable("day"),
        max_price=form.usable("max_price"),
        order=form.usable("order") or "rating",
    )
    page = search(filters, request.args.get("after"))
    args = tuple((key, value) for key, value in request.args.items() if key != "after")
    results = cached("photographers/_results.html", cards=page.cards, next_cursor=page.next_cursor, args=args)
    # The form shows the query string's values and their errors, nothing else of the request.
    shown = cached_by(
        "photographers/_filters.html", tuple(request.args.items(multi=True)), lambda: {"form": form}
    )
    return render_template("photographers/directory.html", filters=shown, results=results)


@bp.get("/<int:profile_id>")
def profile(profile_id: int):
    """A photographer's public profile: portfolio, regions, kinds of shoot, price, blocked days."""
    shown = public_profile_version(profile_id)
    if shown is None:
        abort(404)
    today = seoul_today()
    # Kept per process by the version the database moves on with every change it shows, and the day.
    article = cached_by(
        "photographers/_profile.html",
        (profile_id, shown.content_version, today),
        lambda: _profile_contents(profile_id, today),
    )
    return render_template("photographers/profile.html", title=shown.display_name, article=article)


def _profile_contents(profile_id: int, today) -> dict:
    shown = public_profile(profile_id)
    if shown is None:  # gone between the two reads
        abort(404)
    return {
        "profile": shown,
        "photos": portfolio(shown),
        "blocked": blocked_days(shown, today),
        "reviews": reviews_of(shown),
    }


def _editor(form: ProfileForm, status: int = 200):
    mine = profile_of(current_user)
    return render_template(
        "photographers/edit.html",
        form=form,
        profile=mine,
        photos=portfolio(mine) if mine else [],
        blocked=blocked_days(mine) if mine else [],
        photo_form=PhotoForm(),
        day_form=DayForm(),
        button_form=ButtonForm(),
    ), status


@bp.route("/me", methods=["GET", "POST"])
@login_required
def edit():
    """Become a photographer, or change my photographer profile."""
    mine = profile_of(current_user)
    form = ProfileForm(obj=mine)
    if request.method == "GET" and mine:
        form.regions.data, form.specialties.data = mine.region_codes, mine.specialty_codes
    if form.validate_on_submit():
        change = ProfileChange(
            display_name=form.display_name.data,
            starting_price=form.starting_price.data,
            regions=form.regions.data,
            specialties=form.specialties.data,
            languages=form.languages.data or [],
            bio_ko=form.bio_ko.data or "",
            bio_en=form.bio_en.data or "",
        )
        try:
            save_profile(current_user, change)
        except ProfileError as error:
            show_refusal(form, error)
        else:
            flash(_l("Your photographer profile is saved."), "success")
            # A new photographer goes straight on to the portfolio.
            return redirect(url_for("photographers.edit") + ("" if mine else "#portfolio"))
    return _editor(form, 400 if request.method == "POST" else 200)


def _own_profile_or_404():
    mine = profile_of(current_user)
    if mine is None:
        abort(404)
    return mine


@bp.post("/me/photos")
@login_required
def upload():
    """Add a photo to my portfolio."""
    mine = _own_profile_or_404()
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            add_photo(mine, form.photo.data.read())
        except ProfileError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_l("The photo is added, without its location or camera data."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("photographers.edit") + "#portfolio")


@bp.post("/me/photos/<int:photo_id>/delete")
@login_required
def delete_photo(photo_id: int):
    """Remove a photo from my portfolio."""
    mine = _own_profile_or_404()
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not remove_photo(mine, photo_id):
        abort(404)
    flash(_l("The photo is deleted."), "success")
    return redirect(url_for("photographers.edit") + "#portfolio")


@bp.post("/me/blocked/<any(add, remove):step>")
@login_required
def blocked(step: str):
    """Block a day, or free it again."""
    mine = _own_profile_or_404()
    form = DayForm()
    if form.validate_on_submit():
        try:
            (block_day if step == "add" else unblock_day)(mine, form.day.data)
        except ProfileError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_l("Your calendar is saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("photographers.edit") + "#calendar")


@media_bp.get("/photos/<name>.jpg")
def photo_file(name: str):
    """A portfolio photo or its thumbnail ('<name>.thumb'), always served as a JPEG."""
    stem, thumb = (name[:-6], True) if name.endswith(".thumb") else (name, False)
    if not PHOTO_NAME.match(stem) or photo_by_name(stem) is None:
        abort(404)
    path = path_for(stem, thumb)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=86400)
    response.headers["Content-Disposition"] = "inline"
    return response
