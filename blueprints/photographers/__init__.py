"""Photographers: the public directory and profiles, and a photographer's own profile editor (SPEC §8)."""

from flask import Blueprint

bp = Blueprint("photographers", __name__, url_prefix="/<lang:lang_code>/photographers")
# Photos are the same in every language: their URLs carry no language prefix.
media_bp = Blueprint("media", __name__, url_prefix="/media")

from blueprints.photographers import routes  # noqa: E402, F401  (attach views to bp)
