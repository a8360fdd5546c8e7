"""Incubator Policy Atlas domain: data models, loader, tables and the payout engine (no UI).

The public Python API (`simulate`, `simulate_many`, `load`) is documented in the README.
"""

from policies.api import RejectedRowsWarning, SimulationError, load, simulate, simulate_many
from policies.loader import DataError, load_all

__all__ = [
    "DataError",
    "RejectedRowsWarning",
    "SimulationError",
    "load",
    "load_all",
    "simulate",
    "simulate_many",
]
