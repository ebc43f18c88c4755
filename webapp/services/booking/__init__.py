"""The half-day slots at the window: booking within the season's quotas and the days the centre
is closed."""
