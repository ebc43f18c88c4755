"""The hall on an acceptance day: tickets and the queue, calling to a window and the screen,
the desk's day and search, acceptance, papers now and contract later, the duty rota and the
incident log."""
