"""The admin blueprint and what its views share, apart from the package so that views import it
without importing the package that imports them."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
