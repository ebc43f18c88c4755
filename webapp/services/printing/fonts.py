"""CJK fonts for printed documents.

WeasyPrint embeds a subset of every font a document uses. Subsetting the system's Noto Sans CJK
collection (20 MB, 65,000 glyphs) gives 650 KB per font and per document; so the setup derives
once a slim copy holding the characters of GB 2312 (Simplified) and Big5 level 1 (Traditional)
plus Latin and punctuation, and documents name the slim face first and the system face second:
a rare character in a name still prints, from the system font.
"""

import functools
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont

SCRIPTS = {
    # face name: (system family, characters to keep)
    "SC": "Noto Sans CJK SC",
    "TC": "Noto Sans CJK TC",
}
WEIGHTS = {"Regular": "regular", "Bold": "bold"}
SLIM_FAMILY = "Loan Print {script}"


def _gb2312():
    return {
        bytes([hi, lo]).decode("gb2312", errors="ignore")
        for hi in range(0xB0, 0xF8)
        for lo in range(0xA1, 0xFF)
    } - {""}


def _big5_level1():
    chars = set()
    for code in range(0xA440, 0xC67F):
        try:
            chars.add(code.to_bytes(2, "big").decode("big5"))
        except UnicodeDecodeError:
            pass
    return chars


def _common():
    ranges = [
        (0x20, 0x7F),
        (0xA0, 0x180),
        (0x2000, 0x206F),
        (0x2100, 0x215F),
        (0x2460, 0x24FF),
        (0x25A0, 0x25FF),
        (0x3000, 0x303F),
        (0xFF00, 0xFFEF),
    ]
    return {chr(c) for low, high in ranges for c in range(low, high)}


def system_font(family: str, weight: str) -> tuple[str, int] | None:
    """(path, index) of an installed font of that family and weight, or None."""
    return _fc_match(family, weight)


@functools.lru_cache(maxsize=16)
def _fc_match(family: str, weight: str) -> tuple[str, int] | None:
    """Asked once per process: fonts are installed before a server starts, and every app the
    process makes (a test suite makes thousands) would otherwise start fontconfig again."""
    try:
        # fontconfig's own tool, found on PATH, with a fixed argument list
        found = subprocess.run(  # noqa: S603
            ["fc-match", "-f", "%{family}|%{file}|%{index}", f"{family}:weight={weight}"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, path, index = (found.split("|") + ["", "", "0"])[:3]
    if family not in families.split(","):
        return None
    return path, int(index or 0)


def slim_path(font_dir: str | Path, script: str, weight: str) -> Path:
    return Path(font_dir) / f"loan-print-{script.lower()}-{weight.lower()}.otf"


def _derive(source, target, text):
    font = TTFont(source[0], fontNumber=source[1], lazy=False)
    options = subset.Options()
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.save(target)
    return target


def build_slim_fonts(
    font_dir: str | Path, log: Callable[[str], None] = print, cache_dir: str | Path | None = None
) -> list[Path]:
    """Write the slim fonts that are missing, one process per font; returns the paths written.

    With cache_dir, each font derived is kept there too, under a name that says which system
    file (path, size, time) and which characters it came from, and a later build of another
    checkout on the same machine copies it instead of deriving it again (a minute or two)."""
    characters = {"SC": _gb2312() | _common(), "TC": _big5_level1() | _common()}
    Path(font_dir).mkdir(parents=True, exist_ok=True)
    jobs, written = [], []
    for script, family in SCRIPTS.items():
        for weight, fc_weight in WEIGHTS.items():
            target = slim_path(font_dir, script, weight)
            source = system_font(family, fc_weight)
            if target.exists() or source is None:
                continue
            text = "".join(sorted(characters[script]))
            cached = _cached_path(cache_dir, source, text, target) if cache_dir else None
            if cached is not None and cached.exists():
                log(f"copying {target.name} from {cached.parent}")
                shutil.copyfile(cached, target)
                written.append(target)
                continue
            log(f"deriving {target.name} from {source[0]} ({len(characters[script])} characters)")
            jobs.append((source, target, text, cached))
    if jobs:
        with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            derived = list(pool.map(_derive, *zip(*[job[:3] for job in jobs], strict=True)))
        for (_source, target, _text, cached), _done in zip(jobs, derived, strict=True):
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                partial = cached.with_suffix(".partial")
                shutil.copyfile(target, partial)
                partial.replace(cached)  # whole or not at all, for a build running beside this one
        written += derived
    return written


def _cached_path(cache_dir: str | Path, source: tuple[str, int], text: str, target: Path) -> Path:
    stat = Path(source[0]).stat()
    key = hashlib.sha256(
        f"{source[0]}|{source[1]}|{stat.st_size}|{stat.st_mtime_ns}|{text}|{fontTools.version}".encode()
    ).hexdigest()[:16]
    return Path(cache_dir) / f"{target.stem}-{key}{target.suffix}"


def default_cache_dir() -> Path:
    """The user's cache (XDG_CACHE_HOME, else ~/.cache), a folder of this app's."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "studentloan-desk" / "fonts"


@dataclass(frozen=True)
class FontStatus:
    """What printing can use: missing_families empty means every script prints."""

    missing_families: tuple
    slim_faces: tuple

    @property
    def ok(self) -> bool:
        return not self.missing_families


def font_status(font_dir: str | Path) -> FontStatus:
    missing = tuple(family for family in SCRIPTS.values() if system_font(family, "regular") is None)
    slim = tuple(
        script for script in SCRIPTS if all(slim_path(font_dir, script, w).exists() for w in WEIGHTS)
    )
    return FontStatus(missing, slim)


def font_face_css(font_dir: str | Path, status: FontStatus) -> str:
    """@font-face rules for the slim faces that exist."""
    rules = []
    for script in status.slim_faces:
        for weight, css_weight in (("Regular", "normal"), ("Bold", "bold")):
            rules.append(
                f'@font-face {{ font-family: "{SLIM_FAMILY.format(script=script)}"; '
                f'src: url("{slim_path(font_dir, script, weight).as_uri()}"); '
                f"font-weight: {css_weight}; }}"
            )
    return "\n".join(rules)


def font_stack(script: str) -> str:
    """The CSS font-family list for a script: slim faces first (a Traditional document still
    prints names entered in Simplified characters from the slim Simplified face), then the
    system face for rare characters."""
    slim = [script] + [other for other in SCRIPTS if other != script]
    faces = [f'"{SLIM_FAMILY.format(script=s)}"' for s in slim] + [f'"{SCRIPTS[script]}"', "sans-serif"]
    return ", ".join(faces)
