"""The typer app and the error boundary: InputError -> one line on stderr, exit 2."""

from __future__ import annotations

import functools
import gc
from typing import Any, Callable, TypeVar

import typer

from ..errors import InputError
from ..gate.exit_codes import ExitCode
from ..render.terminal import clean

app = typer.Typer(
    name="iamgraph",
    help="What can this AWS principal really reach? IAM escalation graph, evaluator and reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# the one set of exit codes lives in gate/exit_codes.py
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INCOMPLETE = ExitCode.OK, ExitCode.FINDINGS, ExitCode.USAGE, ExitCode.INCOMPLETE

F = TypeVar("F", bound=Callable[..., Any])


def input_errors(fn: F) -> F:
    """Decorator for commands: bad input becomes one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            typer.echo(f"iamgraph: error: {clean(exc.one_line())}", err=True)   # account text: escaped
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper  # type: ignore[return-value]


def main() -> None:
    # One short-lived run that frees almost nothing until exit: the cyclic GC would only rescan a
    # growing heap (measured: ~30% of a quota-size scan). Reference counting still frees memory.
    gc.disable()
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
