"""E-mails: rendering an outbox row in its recipient's language, and the transports that send it."""

import copy
import json
import logging
import smtplib
import ssl
import sys
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from models.outbox import OutboxMessage
from services.clock import now_utc

log = logging.getLogger(__name__)

# Names the templates receive from delivery itself; a queued context may not use them.
RESERVED_CONTEXT_KEYS = frozenset({"locale", "subject"})

# Every e-mail the site sends: template name -> subject (placeholders filled from the context).
EMAIL_SUBJECTS = {
    "mail_check": _l("Test message from %(site)s"),
    "verify_email": _l("Confirm your e-mail address for %(site)s"),
    "signup_attempt": _l("Someone tried to join %(site)s with your address"),
    "password_reset": _l("Choose a new %(site)s password"),
    "email_change": _l("Confirm your new e-mail address for %(site)s"),
    "dormancy_notice": _l("Your %(site)s account will become dormant"),
    "withdrawal_receipt": _l("You have left %(site)s: what was deleted and what is kept"),
    "moderation_notice": _l("A moderator's decision about your writing on %(site)s"),
    "temporary_measure": _l("A temporary measure on a post on %(site)s"),
    "ask_received": _l("A shoot request for you on %(site)s"),
    "ask_answered": _l("A photographer answered your shoot request on %(site)s"),
    "booking_confirmed": _l("Your %(site)s booking is made"),
    "booking_cancelled": _l("A %(site)s booking was cancelled"),
    "contact_corrected": _l("Contact details for your %(site)s booking were corrected"),
    "complaint_received": _l("We received your message to the %(site)s privacy office"),
    "complaint_answer": _l("An answer from the %(site)s privacy office"),
    "policy_change": _l("Notice of an important change to the %(site)s privacy policy or terms"),
    # The title is written by the privacy officer in the member's language; the mark is the law's.
    "campaign": _l("(AD) %(title)s"),
    "marketing_reminder": _l("Your %(site)s marketing consent: a reminder of what you chose"),
    "breach_notice": _l("Important notice from %(site)s about your personal data"),
}


def render_words(template: str, locale: str, context: dict) -> tuple[str, str, str]:
    """The subject, text and HTML of an e-mail in one language."""
    with force_locale(locale):
        subject = str(EMAIL_SUBJECTS[template]) % (context | {"site": "USNAPER"})
        text = render_template(f"email/{template}.txt", locale=locale, **context)
        html = render_template(f"email/{template}.html", locale=locale, subject=subject, **context)
    return subject, text, html


def _prototype(row: OutboxMessage) -> EmailMessage:
    """Everything of a message but its recipient, date and id: the same for everyone it is written to."""
    context = dict(row.context or {})
    subject, text, html = render_words(row.template, row.locale, context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = formataddr(parseaddr(current_app.config["MAIL_DEFAULT_SENDER"]))
    if context.get("unsubscribe_url"):
        # RFC 2369 and RFC 8058: mail programs offer an unsubscribe button that POSTs to this address.
        message["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def build_message(row: OutboxMessage, prototypes: dict | None = None) -> EmailMessage:
    """A multipart/alternative message (text and HTML) in the recipient's language.

    A batch passes a dict as `prototypes`: a policy notice to thousands of
    members is then rendered and parsed once per language, and each message
    only adds its own To, Date and Message-ID to shared headers and parts.
    """
    if prototypes is None:
        prototype = _prototype(row)
    else:
        key = (row.template, row.locale, json.dumps(row.context or {}, sort_keys=True, default=str))
        prototype = prototypes.get(key)
        if prototype is None:
            prototype = prototypes[key] = _prototype(row)
    message = EmailMessage()
    for name, value in prototype.items():
        message[name] = value  # already-parsed header objects are stored as they are
    # Each message gets its own shallow copy of the parts: flattening may rewrite a part's payload
    # (a body line starting "From " becomes ">From "), which must not reach the next recipient.
    message.set_payload([copy.copy(part) for part in prototype.get_payload()])
    message["To"] = row.recipient
    message["Date"] = format_datetime(now_utc())
    # Stable across retries, so a receiving server can recognise a repeat.
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "usnaper.example"
    message["Message-ID"] = f"<outbox.{row.id}.{int(row.created_at.timestamp())}@{domain}>"
    return message


def warm_up() -> None:
    """Compile every e-mail template and load every catalog, once, before a worker forks its jobs."""
    env = current_app.jinja_env
    for template in EMAIL_SUBJECTS:
        for kind in ("txt", "html"):
            env.get_template(f"email/{template}.{kind}")
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            str(EMAIL_SUBJECTS["policy_change"])  # loads the catalog into Flask-Babel's cache


class ConsoleTransport:
    """Development: print each message; the dev outbox page shows it as the recipient would."""

    @contextmanager
    def session(self):
        """Nothing to open for the console."""
        yield self

    def send(self, message: EmailMessage) -> None:
        """Print the message headers and text part to standard output."""
        text = message.get_body(preferencelist=("plain",))
        rule = "-" * 72
        sys.stdout.write(
            f"{rule}\nTo: {message['To']}\nSubject: {message['Subject']}\n\n"
            f"{text.get_content() if text else ''}\n{rule}\n"
        )
        sys.stdout.flush()


class SMTPTransport:
    """Real SMTP from MAIL_*: implicit TLS or STARTTLS, login, one connection per batch."""

    def __init__(self, config) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    @contextmanager
    def session(self):
        """Open one connection for a batch of messages and close it afterwards."""
        cfg = self.config
        # Loading the CA store costs milliseconds per batch: only where TLS is used.
        context = ssl.create_default_context() if cfg["MAIL_USE_SSL"] or cfg["MAIL_USE_TLS"] else None
        if cfg["MAIL_USE_SSL"]:
            connection = smtplib.SMTP_SSL(
                cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"], context=context
            )
        else:
            connection = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
        try:
            if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
                connection.starttls(context=context)
            if cfg["MAIL_USERNAME"]:
                connection.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            self.connection = connection
            yield self
        finally:
            self.connection = None
            try:
                connection.quit()
            except smtplib.SMTPException:
                connection.close()

    def send(self, message: EmailMessage) -> None:
        """Send one message over the open connection."""
        if self.connection is None:
            raise RuntimeError("SMTPTransport.send() outside session()")
        self.connection.send_message(message)


def transport() -> ConsoleTransport | SMTPTransport:
    """SMTP when MAIL_SERVER is set; the console only where MAIL_CONSOLE allows it (development, tests)."""
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        return SMTPTransport(cfg)
    if cfg.get("MAIL_CONSOLE"):
        return ConsoleTransport()
    # Printing real mail to a server log and calling it sent would lose it silently.
    raise RuntimeError("MAIL_SERVER is not set: e-mail cannot be delivered")
