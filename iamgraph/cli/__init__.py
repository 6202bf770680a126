"""Typer CLI: thin layer over `iamgraph.api`; the only place that prints or exits.

Each command group lives in its own module and registers on `app`.
"""

from __future__ import annotations

from .app import app, main

# Command modules register themselves on import.
from . import commands_simulate  # noqa: E402,F401

__all__ = ["app", "main"]
