"""A county centre's own setting: its seasons and their settings, and its staff accounts."""
