"""Benchmarks that print figures (speed, accuracy); run with `make bench`."""
