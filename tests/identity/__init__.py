"""Tests: accounts, passwords, sessions and the sign-in throttle."""
