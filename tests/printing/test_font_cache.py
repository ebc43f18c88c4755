"""The slim print fonts a build derives are kept in the user's cache and copied from there by the
next build of another checkout, unless the system font they came from has changed."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from webapp.services.printing import fonts


@pytest.fixture
def derivations(tmp_path, monkeypatch):
    """A system font file of our own, and a derivation that writes a small file and is counted."""
    system = tmp_path / "NotoSansCJK-Regular.ttc"
    system.write_bytes(b"system font v1")
    made = []

    def derive(source, target, text):
        made.append(target.name)
        target.write_bytes(b"slim from " + open(source[0], "rb").read())
        return target

    monkeypatch.setattr(fonts, "system_font", lambda family, weight: (str(system), 0))
    monkeypatch.setattr(fonts, "_derive", derive)
    monkeypatch.setattr(fonts, "ProcessPoolExecutor", ThreadPoolExecutor)
    return system, made


def test_a_second_checkout_copies_the_fonts_from_the_cache(tmp_path, derivations):
    _system, made = derivations
    cache = tmp_path / "cache"
    first = fonts.build_slim_fonts(tmp_path / "one", log=lambda line: None, cache_dir=cache)
    assert len(first) == 4 and len(made) == 4 and len(list(cache.iterdir())) == 4
    second = fonts.build_slim_fonts(tmp_path / "two", log=lambda line: None, cache_dir=cache)
    assert len(second) == 4 and len(made) == 4  # copied, none derived again
    assert all((tmp_path / "two" / p.name).read_bytes() == b"slim from system font v1" for p in second)


def test_a_changed_system_font_is_derived_again(tmp_path, derivations):
    system, made = derivations
    cache = tmp_path / "cache"
    fonts.build_slim_fonts(tmp_path / "one", log=lambda line: None, cache_dir=cache)
    system.write_bytes(b"system font v2, a new release")
    fonts.build_slim_fonts(tmp_path / "two", log=lambda line: None, cache_dir=cache)
    assert len(made) == 8
    assert (tmp_path / "two" / "loan-print-sc-regular.otf").read_bytes().endswith(b"v2, a new release")


def test_without_a_cache_nothing_is_kept(tmp_path, derivations):
    _system, made = derivations
    fonts.build_slim_fonts(tmp_path / "one", log=lambda line: None)
    assert len(made) == 4 and not (tmp_path / "cache").exists()
