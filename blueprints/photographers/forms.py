"""Forms of the photographer pages."""

from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprints.fields import CheckboxesField, WonField
from blueprints.forms import SiteForm
from services.directory import ORDERS
from services.photographers import BIO_MAX, NAME_MAX
from services.regions import REGIONS
from services.specialties import SPECIALTIES, SPOKEN_LANGUAGES


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in pairs]


@lru_cache(maxsize=16)
def worded_choices(locale: str, form_class: type) -> dict[str, list[SelectChoice]]:
    """A form's select options with their labels translated into locale, made once per language.

    The directory builds its form on every search; evaluating some 30 lazy labels each time
    cost more than the search itself. Called in a request of that locale, so str() gives its words.
    """
    fields = {name: field for name, field in vars(form_class).items() if hasattr(field, "kwargs")}
    return {
        name: [SelectChoice(choice.value, str(choice.label)) for choice in field.kwargs["choices"]]
        for name, field in fields.items()
        if field.field_class is SelectField
    }


class ProfileForm(SiteForm):
    """The public profile of a photographer."""

    display_name = StringField(
        _l("Display name"),
        validators=[
            DataRequired(message=_l("This cannot be empty.")),
            Length(max=NAME_MAX, message=_l("Use at most %(most)d characters.", most=NAME_MAX)),
        ],
    )
    bio_ko = TextAreaField(
        _l("About you, in Korean"),
        validators=[
            Optional(),
            Length(max=BIO_MAX, message=_l("Use at most %(most)d characters.", most=BIO_MAX)),
        ],
    )
    bio_en = TextAreaField(
        _l("About you, in English"),
        validators=[
            Optional(),
            Length(max=BIO_MAX, message=_l("Use at most %(most)d characters.", most=BIO_MAX)),
        ],
    )
    # The range is the service's rule (services/photographers.py), reported on this field.
    starting_price = WonField(
        _l("Starting price (KRW)"),
        validators=[InputRequired(message=_l("Enter a price in won, digits only."))],
    )
    regions = CheckboxesField(
        _l("Regions you serve"),
        choices=_choices(REGIONS),
        validators=[DataRequired(message=_l("Choose at least one."))],
    )
    specialties = CheckboxesField(
        _l("Kinds of shoot"),
        choices=_choices(SPECIALTIES),
        validators=[DataRequired(message=_l("Choose at least one."))],
    )
    languages = CheckboxesField(_l("Languages you speak"), choices=_choices(SPOKEN_LANGUAGES))


class PhotoForm(SiteForm):
    """One portfolio photo."""

    photo = FileField(
        _l("Photo (JPEG, PNG or WebP)"), validators=[FileRequired(message=_l("Choose a photo."))]
    )


class DayForm(SiteForm):
    """A day to block or unblock."""

    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Enter a date."))])


class ButtonForm(SiteForm):
    """A one-button form (delete a photo)."""


class DirectoryForm(SiteForm):
    """The directory's filters; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    region = SelectField(
        _l("Region"), choices=[SelectChoice("", _l("Anywhere")), *_choices(REGIONS)], default=""
    )
    specialty = SelectField(
        _l("Kind of shoot"), choices=[SelectChoice("", _l("Any")), *_choices(SPECIALTIES)], default=""
    )
    day = DateField(_l("Free on"), validators=[Optional()])
    max_price = WonField(
        _l("Starting price up to (KRW)"), validators=[Optional(), NumberRange(min=0, max=10**12)]
    )
    order = SelectField(
        _l("Order"),
        choices=_choices(zip(ORDERS, (_l("Best rated"), _l("Lowest price"), _l("Newest")), strict=True)),
        default="rating",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The options as plain strings of this page's language, translated once per language.
        for name, choices in worded_choices(str(get_locale()), type(self)).items():
            self[name].choices = choices

    def usable(self, name: str):
        """A filter's value, or None when it is empty or was refused (the others still apply)."""
        field = self[name]
        return None if field.errors or field.data in ("", None) else field.data
