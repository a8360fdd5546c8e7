"""Benchmark, load and setup scripts; importable as `scripts.<name>` from the project root."""
