"""The base of every form: text fields read the posted form body only, file fields the files."""

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto  # FlaskForm's "read the request" default for formdata
from werkzeug.datastructures import MultiDict
from wtforms.fields import FileField


class SiteForm(FlaskForm):
    """A FlaskForm that never hands a text field an upload, and never reads a JSON body as a form.

    Flask-WTF mixes request.files into what every field reads, so a file part named like a text
    field reached its validators as a FileStorage, and it reads a JSON body as form data, where
    a list, a number or null is no text either: both were 500s. Our forms are HTML forms; what
    they did not send is simply missing, and the field's own message says what to fill in.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            """The request's form body, with files only under the names of file fields."""
            if formdata is not _Auto:
                return formdata
            if not form.is_submitted():
                return None
            data = MultiDict(request.form.items(multi=True))
            for field in form:
                if isinstance(field, FileField):
                    data.setlist(field.name, request.files.getlist(field.name))
            return data or None
