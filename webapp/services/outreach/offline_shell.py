"""What the service worker precaches, and the version that changes whenever any of it does."""

import hashlib
from pathlib import Path

from flask import current_app, url_for

from webapp.models import Centre, RosterEntry, School
from webapp.services.centre.seasons import current_season
from webapp.vocabulary import Category

STATIC_SHELL = (
    "css/app.css",
    "sw/idcard.js",
    "sw/outbox.js",
    "sw/capture.js",
    "sw/register.js",
    "js/page.js",
    "icons/icon.svg",
    "icons/icon-192.png",
    "manifest.webmanifest",
)
# Pages only: the reference data (schools, rosters) is kept per user in the outbox, never here.
PAGES = ("outreach.capture", "outreach.regions", "main.offline")


def precache_urls() -> list[str]:
    return [url_for(endpoint) for endpoint in PAGES] + [
        url_for("static", filename=name) for name in STATIC_SHELL
    ]


def shell_version() -> str:
    """A digest of the worker, the static shell and the templates of the offline page."""
    root = Path(current_app.static_folder)
    templates = Path(current_app.template_folder)
    digest = hashlib.sha256(current_app.config.get("OFFLINE_SHELL_SALT", "").encode())
    for path in (
        [root / "sw" / "sw.js"]
        + [root / name for name in STATIC_SHELL]
        + sorted((templates / "outreach").glob("capture*.html"))
        + [templates / "base.html", templates / "main" / "offline.html"]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def reference_data(centre: Centre) -> dict:
    """Schools, their rosters and the season: what the offline form needs on the device. A
    roster row carries the name, the class and the last four characters of the ID number, never
    the whole number: a lost phone must not hand over a school's ID numbers."""
    season = current_season(centre)
    schools = list(School.select().where((School.centre == centre) & School.active).order_by(School.name))
    rosters = {}
    for entry in (
        RosterEntry.select(
            RosterEntry.school, RosterEntry.id_number, RosterEntry.name, RosterEntry.class_name
        )
        .where(RosterEntry.centre == centre)
        .order_by(RosterEntry.name)
        .tuples()
    ):
        school_id, id_number, name, class_name = entry
        rosters.setdefault(str(school_id), []).append([id_number[-4:], name, class_name])
    return {
        "centre": {"name": centre.name, "region_code": centre.region_code},
        "season": {
            "name": season.name,
            "year": season.year,
            "student_min_age": season.student_min_age,
            "student_max_age": season.student_max_age,
        }
        if season
        else None,
        "schools": [{"id": s.id, "name": s.name, "kind": s.kind} for s in schools],
        "categories": list(Category.values()),
        "rosters": rosters,
    }
