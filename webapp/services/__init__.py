"""Domain services: the rules routes and CLI commands call, one package a domain, lowest layer
first in docs/architecture.md; pyproject.toml's import contract keeps the order. Tested without
HTTP."""
