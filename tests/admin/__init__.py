"""Tests: the centre admin's pages, by area."""
