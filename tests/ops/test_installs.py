"""What runs the suite is what uv.lock pins: a fresh machine gets the same files as this one."""

import re
import tomllib
from importlib import metadata

from webapp.config import PROJECT_ROOT


def canonicalize_name(name):
    """A distribution's name as the packaging standards compare it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked():
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {canonicalize_name(p["name"]): p for p in lock["package"]}


def test_every_installed_package_the_lock_names_is_at_its_locked_version():
    locked = _locked()
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    compared = {name: (installed[name], p["version"]) for name, p in locked.items() if name in installed}
    assert len(compared) > 100  # the app's and the tests' packages, not a handful
    assert {name: pair for name, pair in compared.items() if pair[0] != pair[1]} == {}


def test_every_locked_file_carries_its_hash():
    for name, package in _locked().items():
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        if package.get("source", {}).get("editable"):
            continue  # the project itself
        assert files, name
        assert all(f.get("hash", "").startswith("sha256:") for f in files), name
