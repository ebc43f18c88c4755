"""Resident ID numbers at rest. Each value is encrypted with AES-GCM under the current key
(a random nonce per value, the key's id written beside it: "k2:…"), so a copy of the database
or a backup shows no ID number; a keyed HMAC of the number (the blind index) is what look-ups,
joins and the unique rule compare. Keys come from the environment (ID_NUMBER_KEYS: "k2=…,k1=…",
the first one current, base64; ID_NUMBER_INDEX_KEY) or are generated once into
instance/id_number_keys.json (0600). `flask id-numbers rotate` adds a key and re-encrypts."""

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app, has_app_context

KEY_FILE = "id_number_keys.json"
NONCE_BYTES = 12


@dataclass
class Keys:
    current: str
    secrets: dict[str, bytes]  # key id -> 256-bit AES key
    index_key: bytes
    source: Path | None = None  # the instance file they came from, when they did
    _ciphers: dict = field(default_factory=dict, repr=False)

    def cipher(self, key_id: str) -> AESGCM:
        if key_id not in self._ciphers:
            self._ciphers[key_id] = AESGCM(self.secrets[key_id])
        return self._ciphers[key_id]


_latest: Keys | None = None  # the keys of the app created last, for work outside a request


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode())


def _from_environment(value: str, index_key: str) -> Keys:
    pairs = [item.strip().split("=", 1) for item in value.split(",") if item.strip()]
    return Keys(current=pairs[0][0], secrets={k: _unb64(v) for k, v in pairs}, index_key=_unb64(index_key))


def _from_file(path: Path) -> Keys:
    if not path.exists():
        stored = {"current": "k1", "keys": {"k1": _b64(secrets.token_bytes(32))},
                  "index_key": _b64(secrets.token_bytes(32))}  # fmt: skip
        write_key_file(path, stored)
    stored = json.loads(path.read_text())
    return Keys(
        current=stored["current"],
        secrets={k: _unb64(v) for k, v in stored["keys"].items()},
        index_key=_unb64(stored["index_key"]),
        source=path,
    )


def write_key_file(path: Path, stored: dict) -> None:
    """Write the key file readable by its owner alone, replacing it in one step."""
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(stored, handle)
    os.replace(temporary, path)


def load(app) -> Keys:
    """The app's keys, from its configuration or its instance folder."""
    if app.config.get("ID_NUMBER_KEYS"):
        return _from_environment(app.config["ID_NUMBER_KEYS"], app.config["ID_NUMBER_INDEX_KEY"])
    return _from_file(Path(app.instance_path) / KEY_FILE)


def keys() -> Keys:
    if has_app_context() and "id_number_keys" in current_app.extensions:
        return current_app.extensions["id_number_keys"]
    if _latest is None:
        raise RuntimeError("ID-number keys are not loaded: create the app first.")
    return _latest


def encrypt(plain: str | None) -> str:
    if not plain:
        return ""
    chosen = keys()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = chosen.cipher(chosen.current).encrypt(nonce, plain.encode(), None)
    return f"{chosen.current}:{_b64(nonce + sealed)}"


def decrypt(stored: str | None) -> str:
    if not stored:
        return ""
    key_id, _, payload = stored.partition(":")
    raw = _unb64(payload)
    return keys().cipher(key_id).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()


def encrypt_bytes(plain: bytes) -> bytes:
    """A file held for a while (a national list waiting for its mapping): the key id, a colon,
    the nonce and the sealed bytes."""
    chosen = keys()
    nonce = secrets.token_bytes(NONCE_BYTES)
    return chosen.current.encode() + b":" + nonce + chosen.cipher(chosen.current).encrypt(nonce, plain, None)


def decrypt_bytes(stored: bytes) -> bytes:
    key_id, _, raw = bytes(stored).partition(b":")
    return keys().cipher(key_id.decode()).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None)


def blind_index(plain: str | None) -> str:
    """The same number (any case of X) always gives the same index; nothing leads back."""
    if not plain:
        return ""
    return hmac.new(keys().index_key, plain.strip().upper().encode(), hashlib.sha256).hexdigest()


def key_id_of(stored: str | None) -> str:
    return (stored or "").partition(":")[0]


def init_app(app):
    global _latest
    app.extensions["id_number_keys"] = _latest = load(app)
