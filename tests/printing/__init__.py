"""Tests: printed documents and their fonts."""
