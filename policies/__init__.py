"""Incubator Policy Atlas domain: data models, loader, tables and the payout engine (no UI)."""

from policies.loader import DataError, load_all

__all__ = ["DataError", "load_all"]
