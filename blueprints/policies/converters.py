"""URL converter for policy version numbers."""

from werkzeug.routing import BaseConverter


class VersionConverter(BaseConverter):
    """Matches only version numbers such as 1.0 or 2.1.3, so odd input is a plain 404."""

    regex = r"\d{1,3}(?:\.\d{1,3}){1,2}"
