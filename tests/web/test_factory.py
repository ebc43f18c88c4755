"""The factory reads its configuration from the environment and never migrates or seeds."""

import os
import stat

from webapp import create_app
from webapp.db import database


def test_defaults_to_sqlite_in_instance_with_wal_and_foreign_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'studentloan.sqlite3'}"
    with app.app_context():
        database.connect()
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        database.execute_sql("CREATE TABLE probe (x)")  # the -wal file appears with the first write
        database.close()
    # the embedded database holds minors' personal data: its owner alone reads it
    assert stat.S_IMODE(os.stat(tmp_path).st_mode) == 0o700
    for name in ("studentloan.sqlite3", "studentloan.sqlite3-wal"):
        if (tmp_path / name).exists():
            assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    assert (tmp_path / "studentloan.sqlite3").exists()


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    monkeypatch.setenv("SECRET_KEY", "from-environment")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == "from-environment"


def test_production_cookies_are_secure_httponly_samesite(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_app_refuses_to_serve_with_pending_migrations(tmp_path):
    """A fresh database is not migrated by the factory; pages say which command to run."""
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        }
    )
    response = app.test_client().get("/login")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "0001_initial" in body and "0002_outreach" in body and "flask --app wsgi db upgrade" in body
    with app.app_context():
        database.connect()
        assert database.get_tables() == []
        database.close()

    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert "applied: 0001_initial" in result.output
    assert app.test_client().get("/login").status_code == 200


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
