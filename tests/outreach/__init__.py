"""Tests: offline capture's sync, rosters, capturers and device clocks."""
