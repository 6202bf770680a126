"""Typer CLI: thin layer over `iamgraph.api`; the only place that prints or exits.

Each command group lives in its own module and registers on `app`.
"""

from __future__ import annotations

# Command modules register themselves on import.
import importlib

from .app import app, main

for _name in (
    "commands_scan",
    "commands_simulate",
    "commands_collect",
    "commands_techniques",
    "commands_gate",
    "commands_export",
    "commands_org",
):
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"{__name__}.{_name}":
            raise

__all__ = ["app", "main"]
