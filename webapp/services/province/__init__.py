"""The province's work across centres: adding a centre, and reading every centre's loans."""
