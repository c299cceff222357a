"""Views of marketing: the privacy officer's campaign console, and the public one-click unsubscribe."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.access import staff_required
from blueprints.marketing import bp
from blueprints.marketing.forms import CampaignForm, SendForm
from blueprints.messages import refusal_message, show_refusal
from extensions import csrf
from jobs import enqueue
from jobs.marketing import send_campaign
from models.marketing import Campaign
from services.marketing import (
    delivery_counts,
    find_campaign,
    list_campaigns,
    preview,
    save_campaign,
    start_sending,
)
from services.marketing_audience import forecast
from services.marketing_delivery import MarketingError, still_subscribed, unsubscribe
from services.rules import valid_id

STATUS_LABELS = {"draft": _l("Draft"), "sending": _l("Being sent"), "sent": _l("Sent")}


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = find_campaign(campaign_id) if valid_id(campaign_id) else None
    if campaign is None:
        abort(404)
    return campaign


@bp.get("/office/campaigns/")
@staff_required("privacy_officer")
def campaigns():
    """Every campaign with its status and how many messages were queued, held and skipped."""
    return render_template("marketing/campaigns.html", rows=list_campaigns(), status_labels=STATUS_LABELS)


@bp.route("/office/campaigns/new", methods=["GET", "POST"])
@staff_required("privacy_officer")
def new_campaign():
    """Write a new campaign draft in Korean and English."""
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            campaign = save_campaign(current_user, form.text())
        except MarketingError as error:
            show_refusal(form, error)
        else:
            flash(_l("The draft is saved. Check the preview before sending it."), "success")
            return redirect(url_for("marketing.campaign", campaign_id=campaign.id))
    return render_template("marketing/edit.html", form=form, campaign=None), 400 if form.errors else 200


@bp.get("/office/campaigns/<int:campaign_id>")
@staff_required("privacy_officer")
def campaign(campaign_id: int):
    """One campaign: its preview in both languages as members will get it, and its deliveries."""
    row = _campaign_or_404(campaign_id)
    return render_template(
        "marketing/campaign.html",
        campaign=row,
        preview=preview(row),
        counts=delivery_counts(row),
        status_labels=STATUS_LABELS,
    )


@bp.route("/office/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@staff_required("privacy_officer")
def edit_campaign(campaign_id: int):
    """Change a draft (a campaign being sent or sent cannot change)."""
    row = _campaign_or_404(campaign_id)
    if row.status != "draft":
        flash(refusal_message(MarketingError("not_draft")), "error")
        return redirect(url_for("marketing.campaign", campaign_id=row.id))
    form = CampaignForm(obj=row)
    if form.validate_on_submit():
        try:
            save_campaign(current_user, form.text(), row)
        except MarketingError as error:
            show_refusal(form, error)
        else:
            flash(_l("The draft is saved. Check the preview before sending it."), "success")
            return redirect(url_for("marketing.campaign", campaign_id=row.id))
    return render_template("marketing/edit.html", form=form, campaign=row), 400 if form.errors else 200


@bp.route("/office/campaigns/<int:campaign_id>/send", methods=["GET", "POST"])
@staff_required("privacy_officer")
def confirm_send(campaign_id: int):
    """Show who would get the campaign now and who in the morning; the confirmed POST sends it."""
    row = _campaign_or_404(campaign_id)
    form = SendForm()
    if form.validate_on_submit():
        try:
            start_sending(row)
        except MarketingError as error:
            flash(refusal_message(error), "error")
        else:
            enqueue(send_campaign, row.id, queue="emails")
            morning = current_app.config["MARKETING_NIGHT_END"]
            flash(
                _l("Sending has started. Messages held for the night go out at %(time)s.", time=morning),
                "success",
            )
        return redirect(url_for("marketing.campaign", campaign_id=row.id))
    if row.status != "draft":
        flash(refusal_message(MarketingError("not_draft")), "error")
        return redirect(url_for("marketing.campaign", campaign_id=row.id))
    return render_template("marketing/send.html", campaign=row, form=form, forecast=forecast())


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The page an unsubscribe link opens: one button (mail scanners open links, so GET changes nothing)."""
    try:
        subscribed = still_subscribed(token)
    except MarketingError as error:
        return render_template("marketing/unsubscribe.html", problem=refusal_message(error)), 400
    return render_template("marketing/unsubscribe.html", token=token, subscribed=subscribed)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: mail programs POST here without a form; the signed token is the proof
def unsubscribe_now(token: str):
    """Stop marketing e-mail to the member the link names (a repeat changes nothing)."""
    try:
        changed = unsubscribe(token)
    except MarketingError as error:
        return render_template("marketing/unsubscribe.html", problem=refusal_message(error)), 400
    return render_template("marketing/unsubscribed.html", changed=changed)
