"""Domain services: the rules routes and CLI commands call. Tested without HTTP."""
