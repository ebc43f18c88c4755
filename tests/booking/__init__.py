"""Tests: booking half-days and closed days."""
