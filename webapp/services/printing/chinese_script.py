"""Simplified to Traditional Chinese: OpenCC's conversion to Taiwan's characters and
words (s2twp: 為, 列印, 簡訊, 檔案, one form of each on every page), then the reviewed glossary of this
domain's words (webapp/translations/zh_Hant_glossary.tsv), which wins. Used to seed the zh_Hant
catalogue (flask translate traditional) and for the data printed on Traditional documents."""

from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parents[2] / "translations" / "zh_Hant_glossary.tsv"


@lru_cache(maxsize=1)
def glossary() -> list[tuple[str, str]]:
    """(wrong, right) pairs, longest first so that a phrase wins over its words."""
    pairs = []
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            wrong, right = line.split("\t")
            if wrong != right:
                pairs.append((wrong, right))
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def apply_glossary(text: str) -> str:
    for wrong, right in glossary():
        text = text.replace(wrong, right)
    return text


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2twp.json")


@lru_cache(maxsize=1024)
def to_traditional(text: str) -> str:
    return apply_glossary(_converter().convert(text)) if text else text
