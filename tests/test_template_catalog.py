"""The templates' cached gettext (the page's language, or force_locale's) and the purpose keys."""

from flask import render_template_string
from flask_babel import force_locale

from services.keys import keyed_hash, purpose_key


def test_templates_translate_in_the_pages_language_and_follow_force_locale(app):
    template = "{{ _('Order') }}|{{ _('From %(price)s won', price='5') }}"
    with app.test_request_context("/ko/"):
        korean = render_template_string(template)
        with force_locale("en"):  # an e-mail in the member's language, rendered during a Korean page
            english = render_template_string(template)
        again = render_template_string(template)
    assert korean == again == "정렬|5원부터"
    assert english == "Order|From 5 won"


def test_templates_translate_outside_a_request(app):
    with app.app_context(), force_locale("ko"):
        assert render_template_string("{{ _('Order') }}") == "정렬"


def test_a_purpose_key_is_derived_once_and_belongs_to_its_secret(app):
    purpose_key.cache_clear()
    with app.app_context():
        first = keyed_hash("203.0.113.9", "access-log-ip")
        assert keyed_hash("203.0.113.9", "access-log-ip") == first
        assert purpose_key.cache_info().hits >= 1 and purpose_key.cache_info().misses == 1
        app.config["PSEUDONYM_KEY"] = "another-secret"
        assert keyed_hash("203.0.113.9", "access-log-ip") != first
