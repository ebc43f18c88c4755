"""Benchmarks of the speed targets; `make bench` runs them all and rewrites docs/benchmarks.md."""
