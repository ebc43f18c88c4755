"""The migrations build exactly the schema the models describe, on both databases."""

from playhouse.schema_diff import diff_models

from webapp.db import database, migration_runner, pending_migrations
from webapp.models import ALL_MODELS


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), database.connection_context():
        assert pending_migrations() == []
        diff = diff_models(database.obj, ALL_MODELS)
        assert not diff, f"models and migrations differ:\n{diff}"


def test_status_command_reports_up_to_date(runner):
    result = runner.invoke(args=["db", "status"])
    assert result.exit_code == 0
    assert "up to date" in result.output


def test_migrations_revert_and_reapply(app):
    with app.app_context(), database.connection_context():
        runner = migration_runner()
        names = [m.name for m in runner.migrations()]
        assert names[0] == "0001_initial" and len(names) >= 3
        assert runner.down("0001_initial") == names[::-1]
        assert "student" not in database.get_tables()
        assert runner.up() == names
        assert "student" in database.get_tables()
