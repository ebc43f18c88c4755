"""Tests: the reminders the task queue runs."""
