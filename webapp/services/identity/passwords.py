"""Password hashing with Argon2id, a memory-hard scheme.

The cost is the process's: `init_app` sets it from PASSWORD_HASH_PROFILE, one of argon2-cffi's
named profiles. Servers keep the default, RFC 9106's low-memory profile (argon2-cffi's own
default); the test suite asks for the cheapest, so that thousands of sign-ins take seconds, not
minutes. A hash carries its own parameters, so a hash made under one profile verifies under any,
and `needs_rehash` upgrades it at the next sign-in under a dearer one."""

import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask

PRODUCTION_PROFILE = "RFC_9106_LOW_MEMORY"
PROFILES = {
    "RFC_9106_LOW_MEMORY": profiles.RFC_9106_LOW_MEMORY,
    "RFC_9106_HIGH_MEMORY": profiles.RFC_9106_HIGH_MEMORY,
    "CHEAPEST": profiles.CHEAPEST,  # for tests only: argon2-cffi's own words
}

_profile = PRODUCTION_PROFILE
_hasher = PasswordHasher.from_parameters(PROFILES[_profile])


def init_app(app: Flask) -> None:
    name = app.config.get("PASSWORD_HASH_PROFILE", PRODUCTION_PROFILE)
    if name not in PROFILES:
        raise ValueError(f"PASSWORD_HASH_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
    use_profile(name)


def use_profile(name: str) -> None:
    global _hasher, _profile
    _profile, _hasher = name, PasswordHasher.from_parameters(PROFILES[name])


def current_profile() -> str:
    return _profile


def dummy_hash() -> str:
    """A hash of nobody's password at the current cost: checking a password against it takes
    as long as against a real account's, so a sign-in does not tell who has an account."""
    return _dummy_hash(_profile)


@functools.lru_cache(maxsize=len(PROFILES))
def _dummy_hash(profile: str) -> str:
    return PasswordHasher.from_parameters(PROFILES[profile]).hash("not-a-password-of-anyone")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
