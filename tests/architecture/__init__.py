"""Tests: the import graph's shape."""
