"""Forms of the photographer pages."""

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

    def usable(self, name: str):
        """A filter's value, or None when it is empty or was refused (the others still apply)."""
        field = self[name]
        return None if field.errors or field.data in ("", None) else field.data
