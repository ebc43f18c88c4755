"""The public pages speak for a centre that is ready: a centre just added (an ended season, no
contacts) never becomes the default, though it can still be chosen."""

from datetime import date, timedelta

from tests.factories import make_centre, make_season
from webapp.clock import local_today


def test_a_new_empty_centre_is_not_the_public_default(app, client):
    with app.app_context():
        today = local_today()
    ready = make_centre(name="右玉县学生资助管理中心", region_code="140623", phone="0349-8000000")
    make_season(ready, year=today.year, acceptance_start=today - timedelta(days=5),
                acceptance_end=today + timedelta(days=30))  # fmt: skip
    empty = make_centre(name="东城区学生资助管理中心", region_code="110101", phone="", address="")
    make_season(empty, year=today.year - 1, acceptance_start=date(today.year - 1, 7, 17),
                acceptance_end=date(today.year - 1, 9, 25))  # fmt: skip
    page = client.get("/policy").get_data(as_text=True)
    assert "右玉县学生资助管理中心" in page and "0349-8000000" in page
    chosen = client.get("/policy?centre=110101").get_data(as_text=True)
    assert "东城区学生资助管理中心" in chosen
