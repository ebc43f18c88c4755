"""Tests: commands, migrations and installs."""
