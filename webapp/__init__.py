"""The application factory: configuration, extensions and blueprints, nothing else."""

from pathlib import Path

from flask import Flask

from webapp import config as config_module
from webapp.config import PROJECT_ROOT


def create_app(config=None):
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    if config and config.get("INSTANCE_PATH"):
        app.instance_path = config["INSTANCE_PATH"]
    # instance/ holds the secret key and the embedded database: its owner alone reads it
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    Path(app.instance_path).chmod(0o700)
    app.config.from_mapping(config_module.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)

    from webapp import (
        cli,
        compression,
        db,
        device_identity,
        errors,
        headers,
        i18n,
        id_crypto,
        input_checks,
        log_privacy,
        metrics,
        proxies,
        public_address,
        request_log,
        security,
        task_queue,
        templating,
    )
    from webapp.services.identity import passwords
    from webapp.services.printing import print_jobs

    proxies.init_app(app)
    request_log.init_app(app)  # early: its clock starts before the database connects
    input_checks.init_app(app)  # first: its <int:…> converter must be there before any route
    db.init_app(app)
    id_crypto.init_app(app)
    passwords.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    device_identity.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    log_privacy.init_app(app)
    cli.init_app(app)
    print_jobs.init_app(app)
    public_address.init_app(app)
    compression.init_app(app)
    task_queue.init_app(app)
    from webapp.services.desk.tickets import waiting_per_centre
    from webapp.services.jobs import periodic  # noqa: F401  (registers the timed tasks)
    from webapp.services.messaging import delivery  # noqa: F401  (registers the sending task)

    metrics.init_app(app, waiting_per_centre=waiting_per_centre)

    from webapp import admin, api, auth, desk, documents, main, outreach, staff, student, verify

    for blueprint in (
        main.bp,
        auth.bp,
        student.bp,
        staff.bp,
        admin.bp,
        api.bp,
        outreach.bp,
        documents.bp,
        verify.bp,
        desk.bp,
    ):
        app.register_blueprint(blueprint)
    return app
