"""Command-line tools: `flask db upgrade`, `create-user`, `seed-demo`, `backup`, `restore`, `translate`,
`id-numbers rotate`, `tasks consume`."""

import json
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp import id_crypto, task_queue
from webapp.config import LOCALES, PROJECT_ROOT
from webapp.db import database, migration_runner, pending_migrations
from webapp.models import Centre
from webapp.services.common.errors import RuleError
from webapp.services.identity import accounts
from webapp.services.messaging import messages
from webapp.services.ops import backup as backups
from webapp.services.ops import demo, id_key_rotation
from webapp.services.printing.fonts import build_slim_fonts, default_cache_dir, font_status
from webapp.services.province import centres
from webapp.vocabulary import STAFF_ROLES, Role

TRANSLATIONS = Path(__file__).parent / "translations"
POT_FILE = PROJECT_ROOT / "build" / "messages.pot"


@click.group("db")
def db_group():
    """Database migrations (peewee's playhouse.migrations)."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply every pending migration."""
    with database.connection_context():
        applied = migration_runner().up()
    for name in applied:
        click.echo(f"applied: {name}")
    click.echo("database is up to date." if not applied else f"{len(applied)} migration(s) applied.")


@db_group.command("status")
@with_appcontext
def db_status():
    """List pending migrations; exit 1 when there are any."""
    with database.connection_context():
        pending = pending_migrations()
    for name in pending:
        click.echo(f"pending: {name}")
    if pending:
        sys.exit(1)
    click.echo("database is up to date.")


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--name", required=True, help="Full name shown in the app.")
@click.option(
    "--role", type=click.Choice([role.value for role in (*STAFF_ROLES, Role.PROVINCE)]), required=True
)
@click.option("--centre", "region_code", help="Region code of the centre, e.g. 140623.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user(username, name, role, region_code, password):
    """Create a staff account."""
    with database.connection_context():
        centre = None
        if region_code:
            centre = Centre.get_or_none(Centre.region_code == region_code)
            if centre is None:
                raise click.BadParameter(f"no centre with region code {region_code}", param_hint="--centre")
        elif role != Role.PROVINCE and Centre.select().count() == 1:
            centre = Centre.get()
        try:
            user = accounts.create_staff_user(username, name, role, password, centre=centre)
        except accounts.AccountError as exc:
            raise click.BadParameter(str(exc.message), param_hint=f"--{exc.field}") from None
    click.echo(f"created {user.role} account '{user.username}'.")


@click.command("create-centre")
@click.option("--region", "region_code", required=True, help="The county's six-digit region code.")
@click.option("--name", required=True, help="The centre's name, e.g. 右玉县学生资助管理中心.")
@with_appcontext
def create_centre(region_code, name):
    """Add a county centre with a season of this year (then: flask create-user … --centre CODE)."""
    with database.connection_context():
        try:
            centre, _admin, _password = centres.create_centre(region_code, name)
        except centres.CentreErrors as exc:
            field, message = next(iter(exc.errors.items()))
            raise click.BadParameter(
                str(message), param_hint="--region" if field == "region_code" else "--name"
            ) from None
    click.echo(f"created centre {centre.region_code} {centre.name} with its {centre.seasons[0].year} season.")
    click.echo(f"next: flask create-user --role admin --centre {centre.region_code} --username … --name …")


@click.group("messages")
def messages_group():
    """The text-message log."""


@messages_group.command("list")
@click.option("--to", "to_mobile", help="Only messages to this mobile number.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--limit", default=50, show_default=True)
@with_appcontext
def messages_list(to_mobile, as_json, limit):
    """The newest messages first: time, to, state, provider id, the words, any error."""
    with database.connection_context():
        rows = list(messages.recent(to_mobile=to_mobile, limit=limit))
        for message in rows:
            fields = {
                "time": message.created_at.isoformat(timespec="seconds"),
                "to": message.to_mobile,
                "template": message.template,
                "state": message.state,
                "provider": message.provider,
                "provider_id": message.provider_id,
                "text": messages.text_of(message),
                "error": message.error,
            }
            if as_json:
                click.echo(json.dumps(fields, ensure_ascii=False))
            else:
                click.echo(
                    "  ".join(str(fields[k]) for k in ("time", "to", "state", "text"))
                    + (f"  ({message.error})" if message.error else "")
                )
    if not rows and not as_json:
        click.echo("no messages.")


@click.group("tasks")
def tasks_group():
    """The task queue: text messages and reminders (webapp/task_queue.py)."""


@tasks_group.command("consume")
@click.option("--workers", default=2, show_default=True, help="Threads running tasks.")
@with_appcontext
def tasks_consume(workers):
    """Run the queued and periodic work until stopped (Ctrl+C); beside gunicorn."""
    queue = current_app.extensions["huey"]
    click.echo(f"task queue: {task_queue.backend(current_app)}, {workers} workers")
    queue.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@tasks_group.command("status")
@with_appcontext
def tasks_status():
    """What waits in the queue: tasks to run now, and tasks held for later (quiet hours, retries)."""
    queue = current_app.extensions["huey"]
    click.echo(f"task queue: {task_queue.backend(current_app)}")
    click.echo(f"waiting to run: {queue.pending_count()}")
    click.echo(f"held for later: {queue.scheduled_count()}")


@click.group("id-numbers")
def id_numbers_group():
    """Resident ID numbers at rest: the encryption keys."""


@id_numbers_group.command("rotate")
@with_appcontext
def id_numbers_rotate():
    """Add a new key (in instance/id_number_keys.json), then re-encrypt every number under it."""
    try:
        id_key_rotation.add_key(current_app)
    except RuleError as exc:
        raise click.ClickException(str(exc.message)) from None
    id_numbers_reencrypt.callback()


@id_numbers_group.command("reencrypt")
@with_appcontext
def id_numbers_reencrypt():
    """Re-encrypt every number not yet under the current key (after changing ID_NUMBER_KEYS)."""
    with database.connection_context():
        rows = id_key_rotation.reencrypt()
    click.echo(f"Key {id_crypto.keys().current} is current; {rows} ID numbers re-encrypted.")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load the demo centre once and print its sign-ins."""
    with database.connection_context():
        created = demo.seed_demo()
    click.echo("demo data loaded." if created else "demo data already present.")
    click.echo(f"Demo sign-ins (password: {demo.DEMO_PASSWORD}):")
    for role, username, _name in demo.STAFF:
        click.echo(f"  {role:<9} {username}")
    click.echo("  province  province")
    for _name, birth, seq, mobile, stage in demo.STUDENTS:
        click.echo(f"  student   {demo.demo_id_number(birth, seq)} or {mobile}  ({stage})")
    click.echo(f"  and {len(demo.HALL)} more students booked for this morning, for the desk.")


@click.command("backup")
@click.argument("destination", default=None, required=False)
@with_appcontext
def backup(destination):
    """Write a backup of the database (default: instance/backups/): an online copy of the SQLite
    file, or a pg_dump in custom format of PostgreSQL."""
    destination = destination or str(Path(current_app.instance_path) / "backups")
    with database.connection_context():
        try:
            path = backups.backup(current_app.config["DATABASE_URL"], destination)
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {path}")
    source = id_crypto.keys().source
    if source is not None:
        click.echo(f"ID numbers in it are encrypted: keep a copy of {source} safe, apart from the backups.")


@click.command("restore")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--into",
    "target_url",
    required=True,
    help="An empty PostgreSQL database, e.g. a scratch one for a drill.",
)
@with_appcontext
def restore(dump, target_url):
    """Restore a PostgreSQL backup into an empty database and compare its rows with the live one."""
    try:
        restored = backups.restore_postgres(dump, target_url, current_app.config["DATABASE_URL"])
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    live = backups.row_counts(current_app.config["DATABASE_URL"])
    for table in sorted(restored):
        difference = "" if restored[table] == live.get(table) else f"  (live now: {live.get(table)})"
        click.echo(f"  {table:<32} {restored[table]:>9}{difference}")
    click.echo(
        f"restored {sum(restored.values())} rows in {len(restored)} tables into {backups.libpq_url(target_url)}"
    )


@click.group("translate")
def translate():
    """Extract, update and compile the message catalogues."""


def _pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)  # noqa: S603 (our own argv)


@translate.command("extract")
def translate_extract():
    """Collect every marked string into build/messages.pot."""
    POT_FILE.parent.mkdir(exist_ok=True)
    _pybabel(
        "extract",
        "-F",
        str(PROJECT_ROOT / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "bi",
        "-k",
        "zh",
        "--no-location",
        "--sort-output",
        "-o",
        str(POT_FILE),
        str(PROJECT_ROOT / "webapp"),
        str(PROJECT_ROOT / "templates"),
    )


@translate.command("update")
def translate_update():
    """Merge new strings into every catalogue."""
    translate_extract.callback()
    for locale in LOCALES:
        _pybabel(
            "update",
            "-i",
            str(POT_FILE),
            "-d",
            str(TRANSLATIONS),
            "-l",
            locale,
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        )


@translate.command("traditional")
@click.option("--all", "redo", is_flag=True, help="Convert every message again, not only the missing ones.")
def translate_traditional(redo):
    """Fill zh_Hant from zh_Hans: OpenCC, then the reviewed glossary; the glossary is applied to
    every zh_Hant message either way."""
    from babel.messages.pofile import read_po, write_po

    from webapp.services.printing.chinese_script import apply_glossary, to_traditional

    def read(locale):
        with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            return read_po(handle)

    simplified, traditional = read("zh_Hans"), read("zh_Hant")
    changed = 0
    for message in traditional:
        source = simplified.get(message.id)
        if not message.id or source is None:
            continue
        convert = to_traditional if (redo or not message.string or message.fuzzy) else apply_glossary
        original = source.string if convert is to_traditional else message.string
        if isinstance(original, tuple):
            new = tuple(convert(text) for text in original)
        else:
            new = convert(original)
        if new != message.string:
            message.string, changed = new, changed + 1
            message.flags.discard("fuzzy")
    with (TRANSLATIONS / "zh_Hant" / "LC_MESSAGES" / "messages.po").open("wb") as handle:
        write_po(handle, traditional, sort_output=True, width=100)
    click.echo(f"zh_Hant: {changed} messages changed")


@translate.command("compile")
def translate_compile():
    """Build the .mo files the app loads."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@click.group("fonts")
def fonts_group():
    """The slim CJK fonts printed documents embed."""


@fonts_group.command("build")
@click.option(
    "--cache/--no-cache",
    default=True,
    help="Keep the fonts derived in the user's cache too, and copy them from there when they are.",
)
@with_appcontext
def fonts_build(cache):
    """Derive the slim fonts from the system's Noto Sans CJK (once; takes a minute or two)."""
    written = build_slim_fonts(
        current_app.config["FONT_DIR"], log=click.echo, cache_dir=default_cache_dir() if cache else None
    )
    status = font_status(current_app.config["FONT_DIR"])
    if not status.ok:
        raise click.ClickException("no CJK font installed (Debian/Ubuntu: apt install fonts-noto-cjk)")
    click.echo(f"{len(written)} font(s) written; slim faces ready: {', '.join(status.slim_faces)}")


def init_app(app):
    for command in (
        db_group,
        create_user,
        create_centre,
        messages_group,
        tasks_group,
        id_numbers_group,
        seed_demo,
        backup,
        restore,
        translate,
        fonts_group,
    ):
        app.cli.add_command(command)
