"""Argon2's cost: servers hash at RFC 9106's low-memory profile; the suite's cheap profile is
only ever asked for, never the default."""

import argon2
import pytest
from argon2 import profiles

from webapp import create_app
from webapp.services.identity import passwords


@pytest.fixture
def restore_profile():
    yield
    passwords.use_profile("CHEAPEST")  # what the suite's other apps ask for


def test_a_server_hashes_with_the_production_parameters(tmp_path, restore_profile):
    create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    made = passwords.hash_password("correct horse battery staple")
    assert argon2.extract_parameters(made) == profiles.RFC_9106_LOW_MEMORY
    assert (
        profiles.RFC_9106_LOW_MEMORY.memory_cost == 64 * 1024 and profiles.RFC_9106_LOW_MEMORY.time_cost == 3
    )
    assert passwords.verify_password(made, "correct horse battery staple")
    assert not passwords.verify_password(made, "correct horse battery stapler")


def test_a_cheap_hash_is_upgraded_under_the_production_profile(tmp_path, restore_profile):
    passwords.use_profile("CHEAPEST")
    cheap = passwords.hash_password("secret-pass")
    assert argon2.extract_parameters(cheap) == profiles.CHEAPEST and not passwords.needs_rehash(cheap)
    create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert passwords.verify_password(cheap, "secret-pass") and passwords.needs_rehash(cheap)


def test_an_unknown_profile_is_refused_at_start(tmp_path, restore_profile):
    with pytest.raises(ValueError, match="PASSWORD_HASH_PROFILE"):
        create_app({"INSTANCE_PATH": str(tmp_path), "PASSWORD_HASH_PROFILE": "FAST"})
