"""Configuration read from the environment, with safe defaults for one embedded centre."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from webapp.vocabulary import MessageTemplate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "zh_Hant", "en")


def _flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _secret_key(instance_path):
    """Use SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def from_environment(instance_path):
    """Build the settings dict that create_app() loads before any override."""
    return {
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(instance_path) / 'studentloan.sqlite3'}"
        ),
        # PostgreSQL connections each app process keeps open for its requests (webapp/db.py);
        # at least GUNICORN_THREADS. 0: a new connection per request.
        "DATABASE_POOL_SIZE": int(os.environ.get("DATABASE_POOL_SIZE", 16)),
        "MIGRATIONS_DIR": str(PROJECT_ROOT / "migrations"),
        "FONT_DIR": os.environ.get("FONT_DIR", str(PROJECT_ROOT / "build" / "fonts")),
        "SECRET_KEY": _secret_key(instance_path),
        # Argon2's cost (services/identity/passwords.py); not read from the environment, so that no
        # server is ever set cheaper: the tests pass CHEAPEST to create_app.
        "PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY",
        # Keys for resident ID numbers at rest (webapp/id_crypto.py); unset: instance/ keeps them.
        "ID_NUMBER_KEYS": os.environ.get("ID_NUMBER_KEYS", ""),
        "ID_NUMBER_INDEX_KEY": os.environ.get("ID_NUMBER_INDEX_KEY", ""),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "zh_Hans"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Asia/Shanghai"),
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": LOCALES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", True),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", True),
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),  # sign_in_sessions.MAX_AGE holds it on the server
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        # The largest request body (a roster file, an outbox export, a sync batch): 413 beyond.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 8 * 1024 * 1024)),
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", 5)),
        "LOGIN_LOCK_SECONDS": int(os.environ.get("LOGIN_LOCK_SECONDS", 900)),
        "LOGIN_DELAY_SECONDS": int(os.environ.get("LOGIN_DELAY_SECONDS", 30)),
        "CHECK_MIGRATIONS": True,
        # How many proxies (nginx) stand in front and add X-Forwarded-For (webapp/proxies.py).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        # One JSON line per request on stderr (webapp/request_log.py).
        "REQUEST_LOG": _flag("REQUEST_LOG", True),
        # /metrics answers a scraper that sends this as a bearer token; unset, it does not exist.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", "").strip(),
        # The address people outside reach the app at, e.g. https://zizhu.example.gov.cn: every
        # printed or sent link uses it (webapp/public_address.py).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").strip(),
        # The offline page: the first wait before retrying a failed sync (doubling up to five
        # minutes), how often it checks meanwhile whether the server is back, and how many days
        # records the centre has settled keep their details on the device.
        "SYNC_RETRY_BASE_MS": int(os.environ.get("SYNC_RETRY_BASE_MS", 5000)),
        "OUTBOX_KEEP_DAYS": int(os.environ.get("OUTBOX_KEEP_DAYS", 7)),
        # The task queue (webapp/task_queue.py): SQLite in instance/ unless REDIS_URL is set.
        "REDIS_URL": os.environ.get("REDIS_URL", "").strip(),
        "TASK_QUEUE_NAME": os.environ.get("TASK_QUEUE_NAME", "studentloan"),
        # How long one waiting-room screen stream lasts before the browser reconnects
        # (services/desk/screen_events.py).
        "SCREEN_STREAM_SECONDS": int(os.environ.get("SCREEN_STREAM_SECONDS", 25)),
        **_sms_settings(),
    }


def _sms_settings():
    """The text-message gateway (services/messaging/messages.py): SMS_BACKEND is log, aliyun or tencent."""
    env = os.environ.get
    return {
        "SMS_BACKEND": env("SMS_BACKEND", "log"),
        # a provider's error: tried again this many times, after 1, 2, 4 … times the base delay
        "SMS_RETRIES": int(env("SMS_RETRIES", 3)),
        "SMS_RETRY_BASE_SECONDS": int(env("SMS_RETRY_BASE_SECONDS", 60)),
        "SMS_SIGN_NAME": env("SMS_SIGN_NAME", ""),
        "SMS_PROTOCOL": env("SMS_PROTOCOL", "https"),
        # the provider's approved template id for each MessageTemplate
        "SMS_TEMPLATES": {t.value: env(f"SMS_TEMPLATE_{t.name}", "") for t in MessageTemplate},
        "ALIYUN_ACCESS_KEY_ID": env("ALIYUN_ACCESS_KEY_ID", ""),
        "ALIYUN_ACCESS_KEY_SECRET": env("ALIYUN_ACCESS_KEY_SECRET", ""),
        "ALIYUN_SMS_ENDPOINT": env("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com"),
        "TENCENT_SECRET_ID": env("TENCENT_SECRET_ID", ""),
        "TENCENT_SECRET_KEY": env("TENCENT_SECRET_KEY", ""),
        "TENCENT_SMS_APP_ID": env("TENCENT_SMS_APP_ID", ""),
        "TENCENT_SMS_REGION": env("TENCENT_SMS_REGION", "ap-guangzhou"),
        "TENCENT_SMS_ENDPOINT": env("TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com"),
    }
