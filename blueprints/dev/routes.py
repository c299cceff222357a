"""Views of the development outbox."""

from flask import abort, render_template
from werkzeug.wrappers import Response

from blueprints.dev import bp
from services.mail import build_message
from services.outbox import find_message, recent_messages


@bp.get("/outbox")
def outbox():
    """The newest e-mails the site queued, with their delivery status."""
    return render_template("dev/outbox.html", messages=recent_messages())


@bp.get("/outbox/<int:message_id>")
def message(message_id: int):
    """One e-mail's headers and text part, with a link to its HTML part."""
    row = find_message(message_id) or abort(404)
    email = build_message(row)
    text = email.get_body(preferencelist=("plain",))
    return render_template("dev/message.html", row=row, email=email, text=text.get_content())


@bp.get("/outbox/<int:message_id>/html")
def message_html(message_id: int) -> Response:
    """The HTML part exactly as the recipient's mail program would receive it."""
    row = find_message(message_id) or abort(404)
    html = build_message(row).get_body(preferencelist=("html",)).get_content()
    return Response(html, mimetype="text/html")
