"""The rate as the policy stands: the over-5-year LPR minus 70 basis points for loans from the
2024 autumn semester (财教〔2024〕188号), minus 60 for the 2023 season; seasons made with the old
figure are corrected by a migration that says so in the audit log."""

import json

import pytest

from tests.factories import make_centre, make_season
from webapp.db import database, migration_runner
from webapp.models import AuditEvent, Season
from webapp.services.casework import loan_rules

RATE_MIGRATION = "0023_rate_lpr_minus_70"


@pytest.mark.parametrize(
    ("year", "spread"), [(2022, -60), (2023, -60), (2024, -70), (2026, -70), (2031, -70)]
)
def test_each_years_default_rate(year, spread):
    assert loan_rules.policy_defaults(year).lpr_spread_bp == spread


def test_each_row_names_its_document_and_number():
    for row in loan_rules.POLICY_TABLE:
        assert "《" in row.source and "财教〔" in row.source and "号" in row.source
    assert "财教〔2024〕188号" in loan_rules.policy_defaults(2024).source
    assert "LPR减70个基点" in loan_rules.policy_defaults(2024).source


def test_the_migration_corrects_seasons_from_2024_made_with_minus_60(app):
    with app.app_context(), database.connection_context():
        runner = migration_runner()
        centre = make_centre()
        old = make_season(centre, year=2023, lpr_spread_bp=-60)
        made_with_old = make_season(centre, year=2025, lpr_spread_bp=-60)
        set_by_admin = make_season(centre, year=2026, lpr_spread_bp=-50)
        # undone with the later migrations (a season it never corrected keeps its figure) and redone
        assert runner.down(RATE_MIGRATION)[-1] == RATE_MIGRATION
        assert runner.up()[0] == RATE_MIGRATION
        spreads = dict(Season.select(Season.id, Season.lpr_spread_bp).tuples())
        assert spreads == {old.id: -60, made_with_old.id: -70, set_by_admin.id: -50}
        (event,) = AuditEvent.select().where(AuditEvent.action == "season.rate_corrected")
        assert (event.centre_id, event.object_type, event.object_id) == (
            centre.id,
            "Season",
            str(made_with_old.id),
        )
        assert json.loads(event.details)["lpr_spread_bp"] == [-60, -70]
        assert runner.down(RATE_MIGRATION)[-1] == RATE_MIGRATION
        spread = Season.select(Season.lpr_spread_bp).where(Season.id == made_with_old.id).scalar()
        assert spread == -60
        assert not AuditEvent.select().where(AuditEvent.action == "season.rate_corrected").exists()
        runner.up()


def test_the_policy_page_shows_the_seasons_rate(client, app):
    centre = make_centre()
    make_season(centre, year=2026, lpr_spread_bp=loan_rules.policy_defaults(2026).lpr_spread_bp)
    client.set_cookie("lang", "zh_Hans")
    page = client.get("/policy").get_data(as_text=True)
    assert "5年期以上LPR减70个基点" in page
    client.set_cookie("lang", "en")
    assert "over-5-year LPR minus 70 basis points" in client.get("/policy").get_data(as_text=True)
