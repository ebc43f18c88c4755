"""Tests: the national system's lists."""
