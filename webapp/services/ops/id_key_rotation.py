"""Rotating the key that encrypts resident ID numbers: a new key becomes current and every
stored number is re-encrypted under it, a batch at a time; the blind index does not change."""

import secrets

from flask_babel import lazy_gettext as _l

from webapp import id_crypto
from webapp.db import database
from webapp.models import ALL_MODELS
from webapp.models.fields import IdNumberField
from webapp.services.common import audit
from webapp.services.common.errors import RuleError

BATCH = 500


def encrypted_columns():
    """(model, field) of every column holding an encrypted ID number."""
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, IdNumberField):
                yield model, field


def add_key(app) -> str:
    """A new current key in the instance's key file; the old ones stay to read older rows."""
    keys = id_crypto.keys()
    if keys.source is None:
        raise RuleError(
            _l("The keys come from ID_NUMBER_KEYS: put the new key first there, restart, then re-encrypt.")
        )
    new_id = f"k{max(int(k[1:]) for k in keys.secrets if k[1:].isdigit()) + 1}"
    stored = {
        "current": new_id,
        "keys": {new_id: id_crypto._b64(secrets.token_bytes(32)),
                 **{k: id_crypto._b64(v) for k, v in keys.secrets.items()}},
        "index_key": id_crypto._b64(keys.index_key),
    }  # fmt: skip
    id_crypto.write_key_file(keys.source, stored)
    id_crypto.init_app(app)
    return new_id


def reencrypt() -> int:
    """Every stored number not yet under the current key, re-encrypted; how many were."""
    current = id_crypto.keys().current + ":"
    changed = 0
    for model, field in encrypted_columns():
        table, column = model._meta.table_name, field.column_name
        sql = (
            f'SELECT "id", "{column}" FROM "{table}" WHERE "{column}" <> \'\' AND "{column}" NOT LIKE {database.param}'
            f' ORDER BY "id" LIMIT {BATCH}'
        )
        while rows := database.execute_sql(sql, (current + "%",)).fetchall():
            with database.atomic():
                for row_id, stored in rows:
                    model.update({field: id_crypto.decrypt(stored)}).where(model.id == row_id).execute()
            changed += len(rows)
    audit.record("id_numbers.reencrypted", None, rows=changed, key=current[:-1])
    return changed
