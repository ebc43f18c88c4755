"""Tests: what holds across the app: access, the API's schema, bad input, pages, headers, languages, two centres, metrics and privacy in logs."""
