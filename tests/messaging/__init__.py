"""Tests: text messages and their delivery."""
