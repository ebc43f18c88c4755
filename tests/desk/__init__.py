"""Tests: the desk's day, the queue and acceptance."""
