"""Tests: iD numbers and their encryption."""
