"""Benchmarks that print figures; run them as commands, never as timed tests."""
