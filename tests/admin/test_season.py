"""Setting up a season: its numbers, places, closed days, and a copy of last season."""

import re
from datetime import date

import pytest

from tests.admin.admin_helpers import YEAR, post, season_data
from tests.factories import (
    make_appointment,
    make_season,
    make_student,
)
from webapp.models import (
    AuditEvent,
    ClosedDay,
    Season,
    ServiceQuota,
)
from webapp.services.booking import quotas


def test_a_season_is_created_with_its_numbers_and_default_places(client, admin):
    response = post(client, "/admin/seasons/new", **season_data())
    assert response.status_code == 302
    season = Season.get()
    assert (season.cap_undergraduate, season.lpr_spread_bp, season.acceptance_end) == (
        20000,
        -70,
        date(YEAR, 9, 25),
    )
    assert (
        ServiceQuota.select().where(ServiceQuota.season == season).count() == 6
    )  # three services, two half-days
    assert AuditEvent.get(AuditEvent.action == "season.created").actor_id == admin.id


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"acceptance_end": f"{YEAR}-07-01"}, "acceptance_end", "ends after it starts"),
        ({"acceptance_start": ""}, "acceptance_start", "Enter a date"),
        ({"cap_undergraduate": "lots"}, "cap_undergraduate", "whole number"),
        ({"min_amount": "30000"}, "min_amount", "cannot be above the caps"),
        ({"contract_change_end": ""}, "contract_change_end", "both dates"),
        ({"year": "1999"}, "year", "from 2000 to 2100"),
    ],
)
def test_season_rules(client, admin, fields, field, message):
    response = post(client, "/admin/seasons/new", **season_data(**fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in html and message in html
    assert Season.select().count() == 0


@pytest.fixture
def season(centre):
    return make_season(centre, year=YEAR)


def test_a_quota_below_what_is_booked_is_refused(client, admin, season):
    day = date(YEAR, 7, 20)
    for n in range(3):
        make_appointment(make_student(season.centre, name=f"学生{n}"), season, day)
    path = f"/admin/seasons/{season.id}/quota"
    page = f"/admin/seasons/{season.id}"
    refused = post(client, path, page, service="first_loan", half_day="morning", places="2")
    assert (
        refused.status_code == 409
        and f"3 places are already booked on {day.isoformat()}" in refused.get_data(as_text=True)
    )
    assert quotas.places(season, "first_loan", "morning") == 30
    assert post(client, path, page, service="first_loan", half_day="morning", places="3").status_code == 302
    assert quotas.places(Season.get_by_id(season.id), "first_loan", "morning") == 3


def test_closed_days_inside_the_window_and_not_over_bookings(client, admin, season):
    path, page = f"/admin/seasons/{season.id}/closed-days", f"/admin/seasons/{season.id}"
    outside = post(client, path, page, day=f"{YEAR}-12-01", reason="")
    assert outside.status_code == 422 and "inside the acceptance window" in outside.get_data(as_text=True)
    make_appointment(make_student(season.centre), season, date(YEAR, 7, 21))
    booked = post(client, path, page, day=f"{YEAR}-07-21", reason="")
    assert booked.status_code == 409 and "1 students are booked" in booked.get_data(as_text=True)
    assert (
        post(client, path, page, day=f"{YEAR}-10-01", reason="国庆节").status_code == 422
    )  # after the window
    assert post(client, path, page, day=f"{YEAR}-08-01", reason="建军节").status_code == 302
    assert ClosedDay.get().reason == "建军节"


def _copy(client, season, year, **numbers):
    """Both steps of a copy: the year, then the numbers shown, confirmed (or changed)."""
    shown = post(client, f"/admin/seasons/{season.id}/copy", f"/admin/seasons/{season.id}", year=str(year))
    if shown.status_code != 200:
        return shown
    html = shown.get_data(as_text=True)
    fields = dict(re.findall(r'name="([a-z_]+)" type="text" value="(-?\d+)"', html))
    fields.update(numbers)
    return post(
        client,
        f"/admin/seasons/{season.id}/copy/confirm",
        f"/admin/seasons/{season.id}",
        year=str(year),
        **fields,
    )


def test_copy_last_season_into_a_new_one(client, admin, season):
    ServiceQuota.update(places=25).where(ServiceQuota.season == season).execute()
    response = _copy(client, season, YEAR + 1)
    assert response.status_code == 302
    copied = Season.get(Season.year == YEAR + 1)
    assert copied.acceptance_start == date(YEAR + 1, 7, 17) and copied.cap_undergraduate == 20000
    assert quotas.places(copied, "renewal", "afternoon") == 25 and not copied.is_current
    again = post(
        client, f"/admin/seasons/{season.id}/copy", f"/admin/seasons/{season.id}", year=str(YEAR + 1)
    )
    assert again.status_code == 422 and "already has a season" in again.get_data(as_text=True)
    post(client, f"/admin/seasons/{copied.id}/current", f"/admin/seasons/{copied.id}")
    assert [s.year for s in Season.select().where(Season.is_current)] == [YEAR + 1]


def test_copy_shows_the_new_years_policy_and_never_carries_an_old_cap(client, admin, centre):
    old = make_season(centre, year=2023, cap_undergraduate=16000, cap_postgraduate=20000, student_min_age=16)
    shown = post(client, f"/admin/seasons/{old.id}/copy", f"/admin/seasons/{old.id}", year="2025")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and not Season.select().where(Season.year == 2025).exists()
    assert 'name="cap_undergraduate" type="text" value="20000"' in html  # 2024 policy, not 16,000
    assert 'name="cap_postgraduate" type="text" value="25000"' in html
    assert "2024" in html and "16000" in html  # the source of the defaults, and the old value beside
    assert _copy(client, old, 2025).status_code == 302
    copied = Season.get(Season.year == 2025)
    assert (copied.cap_undergraduate, copied.cap_postgraduate, copied.min_amount) == (20000, 25000, 1000)
    # the ages are the centre's own settings: carried as they were, not proposed by the policy
    assert (copied.student_min_age, copied.other_co_borrower_max_age) == (16, 60)
    assert 'name="student_min_age"' not in html
    refused = _copy(client, old, 2026, cap_undergraduate="abc")
    assert refused.status_code == 422 and not Season.select().where(Season.year == 2026).exists()
    assert "Enter a whole number" in refused.get_data(as_text=True)


@pytest.mark.parametrize("year", ["", "abc", "0", "-5", "10000", "99999999999999999999"])
def test_copy_refuses_a_year_that_is_not_one(client, admin, season, year):
    response = post(client, f"/admin/seasons/{season.id}/copy", f"/admin/seasons/{season.id}", year=year)
    assert response.status_code == 422 and "whole number" in response.get_data(as_text=True)
