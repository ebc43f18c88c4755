"""Languages: Chinese by default, a remembered switch, Babel formatting, complete catalogues."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import format_date

from tests.http_helpers import csrf_token
from webapp.config import PROJECT_ROOT
from webapp.i18n import APPLICATION_STATUS_MSGIDS, RELATION_MSGIDS, format_yuan
from webapp.vocabulary import ALL_VOCABULARIES, ApplicationStatus, Relation

CATALOGUES = PROJECT_ROOT / "webapp" / "translations"
METHODS = [("**.py", "python"), ("**.html", "jinja2")]


def _catalogue(locale):
    with open(CATALOGUES / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def _marked_strings():
    found = set()
    for folder in ("webapp", "templates"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            PROJECT_ROOT / folder,
            METHODS,
            keywords={
                "_": None,
                "_l": None,
                "gettext": None,
                "lazy_gettext": None,
                "ngettext": (1, 2),
                "N_": None,
                "bi": None,
                "zh": None,
            },
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_string_has_a_simplified_chinese_translation():
    catalogue = _catalogue("zh_Hans")
    missing = sorted(
        m
        for m in _marked_strings()
        if not catalogue.get(m) or not catalogue.get(m).string or catalogue.get(m).fuzzy
    )
    assert not missing, (
        "no zh_Hans translation (run `make translations-update`, then translate):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_catalogues_keep_placeholders_intact(locale):
    problems = [(m.id, errors) for m, errors in _catalogue(locale).check() if errors]
    assert not problems


def test_traditional_catalogue_is_complete():
    catalogue = _catalogue("zh_Hant")
    assert all(m.string for m in catalogue if m.id)


def test_sign_in_page_is_in_simplified_chinese_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html
    assert "<h1>登录</h1>" in html and "注册学生账号" in html


def test_language_choice_is_remembered_beyond_the_session(client):
    response = client.post(
        "/language", data={"language": "en", "next": "/login", "csrf_token": csrf_token(client, "/login")}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert (
        "lang=en" in response.headers["Set-Cookie"] and "Max-Age=31536000" in response.headers["Set-Cookie"]
    )
    assert "<h1>Sign in</h1>" in client.get("/login").get_data(as_text=True)
    client.delete_cookie("session")
    assert "<h1>Sign in</h1>" in client.get("/login").get_data(as_text=True)
    client.post(
        "/language",
        data={"language": "zh_Hant", "next": "/login", "csrf_token": csrf_token(client, "/login")},
    )
    assert "<h1>登入</h1>" in client.get("/login").get_data(as_text=True)


def test_unknown_language_and_foreign_redirects_are_ignored(client):
    response = client.post(
        "/language",
        data={"language": "fr", "next": "//evil.example/", "csrf_token": csrf_token(client, "/login")},
    )
    assert response.headers["Location"] == "/"
    assert "lang=" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "locale, amount, day",
    [
        ("zh_Hans", "¥16,000", "2023年7月17日"),
        ("zh_Hant", "¥16,000", "2023年7月17日"),
        ("en", "CN¥16,000", "July 17, 2023"),
    ],
)
def test_amounts_and_dates_follow_the_locale(app, locale, amount, day):
    with app.test_request_context(headers={"Cookie": f"lang={locale}"}):
        assert format_yuan(16000) == amount
        assert format_date(date(2023, 7, 17), "long") == day


def test_compiled_catalogues_are_built_not_committed():
    ignored = (PROJECT_ROOT / ".gitignore").read_text()
    assert re.search(r"^\*\.mo$", ignored, re.M)
    assert Path(CATALOGUES / "zh_Hans" / "LC_MESSAGES" / "messages.mo").exists()


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "zh_Hans",
            [
                "每年贷款上限",
                "¥20,000",
                "剩余学制 + 15 年",
                "户口本",
                "谁可以申请",
                "怎样还款",
                "5年期以上LPR减70个基点",
                "0351-1234567",
            ],
        ),
        ("zh_Hant", ["學制", "戶口本", "誰可以申請", "怎樣還款", "5年期以上LPR減70個基點", "0351-1234567"]),
        (
            "en",
            [
                "Up to CN¥20,000 a year",
                "years of study you have left plus 15 years",
                "household register",
                "Who may apply",
                "How you repay",
                "Hotline",
            ],
        ),
    ],
)
def test_public_policy_page_in_three_languages(client, language, expected):
    from tests.factories import make_centre, make_season

    make_season(
        make_centre(address="右玉县新城镇", phone="0351-1234567"),
        year=2025,
        cap_undergraduate=20000,
        cap_postgraduate=25000,
    )
    client.set_cookie("lang", language)
    page = client.get("/policy")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for fragment in expected:
        assert fragment in html, fragment


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_every_value_of_the_vocabulary_has_a_label(locale):
    """Each status, kind and role (webapp/vocabulary.py) is translated in every catalogue."""
    catalogue = _catalogue(locale)
    missing = [
        f"{vocabulary.__name__}.{member.name}"
        for vocabulary in ALL_VOCABULARIES
        for member in vocabulary
        if not (catalogue.get(member.msgid) and catalogue.get(member.msgid).string)
    ]
    assert not missing


def test_the_labels_are_the_vocabularys():
    """Screens and printed documents read their labels from the vocabulary, not a copy."""
    assert APPLICATION_STATUS_MSGIDS == ApplicationStatus.msgids()
    assert RELATION_MSGIDS["guardian"] == Relation.GUARDIAN.msgid


def test_traditional_chinese_has_none_of_the_machine_conversion_errors():
    """The wrong forms of the reviewed glossary appear nowhere in the zh_Hant catalogue (screens
    and printed documents both read it)."""
    from babel.messages.pofile import read_po

    from webapp.services.printing.chinese_script import glossary, to_traditional

    with open("webapp/translations/zh_Hant/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    texts = [m.string if isinstance(m.string, str) else " ".join(m.string) for m in catalogue if m.id]
    wrong = {w for w, _right in glossary() for text in texts if w in text}
    assert wrong == set()
    assert {"視窗", "稽核", "程式碼", "賬號", "物件"} <= {w for w, _ in glossary()}
    assert to_traditional("请到窗口签合同，账号在审核中") == "請到窗口簽合同，帳號在審核中"


def test_traditional_chinese_speaks_one_way_on_every_page():
    """One form of each word a Taiwan or Hong Kong reader meets: 為 not 爲, 列印 not 打印, 登入 not
    登錄, 簡訊 not 短信 — none of the other forms in the catalogue, and the conversion of data agrees."""
    from babel.messages.pofile import read_po

    from webapp.services.printing.chinese_script import to_traditional

    with open("webapp/translations/zh_Hant/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    texts = " ".join(m.string if isinstance(m.string, str) else " ".join(m.string) for m in catalogue if m.id)
    assert {word for word in ("爲", "打印", "登錄", "短信", "賬", "裏", "衆", "啓") if word in texts} == set()
    assert to_traditional("为了打印，请登录后发送短信") == "為了列印，請登入後傳送簡訊"


def test_times_read_on_the_24_hour_clock_in_both_scripts(app):
    from datetime import datetime

    from webapp.i18n import format_local_datetime

    for locale in ("zh_Hans", "zh_Hant"):
        with app.test_request_context(headers={"Cookie": f"lang={locale}"}):
            text = format_local_datetime(datetime(2026, 12, 8, 11, 27), "short")
            assert "19:27" in text and "晚上" not in text, text


def test_a_university_typed_in_simplified_reads_in_traditional(app):
    from webapp.templating import in_script

    with app.test_request_context(headers={"Cookie": "lang=zh_Hant"}):
        assert in_script("山西医科大学") == "山西醫科大學"
    with app.test_request_context(headers={"Cookie": "lang=zh_Hans"}):
        assert in_script("山西医科大学") == "山西医科大学"
