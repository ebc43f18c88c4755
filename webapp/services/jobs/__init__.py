"""Timed work the task queue runs: the reminders."""
