"""What the admin tests share: the season's year, a form post with its token, a season's fields."""

from datetime import date

from tests.http_helpers import csrf_token

YEAR = date.today().year + 1  # a season whose window lies ahead, so bookings are in it


def post(client, path, page=None, **data):
    data["csrf_token"] = csrf_token(client, page or path)
    return client.post(path, data=data)


def season_data(**overrides):
    data = {
        "name": f"{YEAR}年度",
        "year": str(YEAR),
        "acceptance_start": f"{YEAR}-07-17",
        "acceptance_end": f"{YEAR}-09-25",
        "contract_change_start": f"{YEAR}-09-01",
        "contract_change_end": f"{YEAR}-10-31",
        "booking_cutoff_hours": "24",
        "cap_undergraduate": "20,000",
        "cap_postgraduate": "25000",
        "min_amount": "1000",
        "term_extra_years": "15",
        "term_max_years": "22",
        "grace_years": "5",
        "lpr_spread_bp": "-70",  # 财教〔2024〕188号
        "student_min_age": "15",
        "student_max_age": "45",
        "co_borrower_min_age": "18",
        "other_co_borrower_min_age": "22",
        "other_co_borrower_max_age": "60",
        "papers_to_follow": "y",
    }
    data.update(overrides)
    return data
