"""static/sw/idcard.js gives the server's verdict on the same table of ID numbers, with the
device's own local date (Asia/Shanghai, at an hour when the UTC date is still the day before)."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from webapp.config import PROJECT_ROOT
from webapp.services.common.id_numbers import region_codes

ID_TABLE = json.loads((Path(__file__).parent.parent / "data" / "id_numbers.json").read_text("utf-8"))


@pytest.fixture
def shanghai_evening(browser):
    """A page in Asia/Shanghai at 04:00 on 27 November, 20:00 UTC on the 26th."""
    context = browser.new_context(timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.clock.install(time=datetime(2026, 11, 26, 20, 0, tzinfo=timezone.utc))
    page.set_content("<!doctype html><title>ID</title>")
    page.add_script_tag(path=str(PROJECT_ROOT / "static" / "sw" / "idcard.js"))
    yield page
    context.close()


def test_device_and_server_agree_on_every_number(shanghai_evening):
    assert shanghai_evening.evaluate("IdCard.localToday()") == ID_TABLE["today"]
    verdicts = shanghai_evening.evaluate(
        """([cases, regions]) => cases.map((c) => {
             const r = IdCard.parse(c.value, regions);
             return r.ok ? "ok" : r.error;
           })""",
        [ID_TABLE["cases"], region_codes()],
    )
    expected = [case["verdict"] for case in ID_TABLE["cases"]]
    assert verdicts == expected, [
        c["who"] for c, v, e in zip(ID_TABLE["cases"], verdicts, expected, strict=True) if v != e
    ]


def test_age_on_counts_whole_years(shanghai_evening):
    ages = shanghai_evening.evaluate(
        """() => [IdCard.ageOn("2008-11-27", "2026-11-27"), IdCard.ageOn("2008-11-28", "2026-11-27"),
                  IdCard.ageOn("1976-05-01", "2026-11-27")]"""
    )
    assert ages == [18, 17, 50]
