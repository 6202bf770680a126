"""Typer CLI: thin layer over `iamgraph.api`; the only place that prints or exits.

Each command group lives in its own module and registers on `app`. The package is imported with
the cyclic GC paused (its previous state restored after): the import only builds modules, classes
and tables that live until exit, so collections during it rescan a growing heap for nothing
(~0.02 s of a CLI run's start-up).
"""

from __future__ import annotations

import gc
import importlib

_gc_was_enabled = gc.isenabled()
gc.disable()
try:
    from .app import app, main

    # Command modules register themselves on import.
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
finally:
    if _gc_was_enabled:
        gc.enable()
del _gc_was_enabled

__all__ = ["app", "main"]
