"""The typer app and the error boundary: InputError -> one line on stderr, exit 2."""

from __future__ import annotations

import atexit
import functools
import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

try:  # typer >= 0.22 vendors click as typer._click; older versions use click itself
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from ..errors import InputError
from ..gate.exit_codes import ExitCode
from ..render.terminal import clean


class OneLineErrors(TyperGroup):
    """The command group: a usage error (unknown option, missing argument, bad choice) is one line on stderr,
    ``iamgraph: error: ...``, and exit 2, as the README's exit-code table promises (no multi-line box)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click_exceptions.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:  # `iamgraph` alone: help
                typer.echo(exc.ctx.get_help())
                sys.exit(0)
            where = exc.ctx.command_path if exc.ctx is not None else "iamgraph"
            message = " ".join(exc.format_message().split()).rstrip(".")
            typer.echo(f"iamgraph: error: {clean(message)} (see '{where} --help')", err=True)
            sys.exit(int(ExitCode.USAGE))
        except typer.Abort:
            typer.echo("iamgraph: aborted", err=True)
            sys.exit(130)
        except click_exceptions.ClickException as exc:
            typer.echo(f"iamgraph: error: {clean(' '.join(exc.format_message().split()))}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"iamgraph {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    name="iamgraph",
    help="What can this AWS principal really reach? IAM escalation graph, evaluator and reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=OneLineErrors,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """What can this AWS principal really reach? IAM escalation graph, evaluator and reports."""


# the one set of exit codes lives in gate/exit_codes.py
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INCOMPLETE = (
    ExitCode.OK,
    ExitCode.FINDINGS,
    ExitCode.USAGE,
    ExitCode.INCOMPLETE,
)

F = TypeVar("F", bound=Callable[..., Any])


def input_errors(fn: F) -> F:
    """Decorator for commands: bad input becomes one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            typer.echo(f"iamgraph: error: {clean(exc.one_line())}", err=True)  # account text: escaped
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper  # type: ignore[return-value]


T = TypeVar("T")
_kept: list[object] = []  # what keep_until_exit holds in a run of main()
_holding = False  # set by main(): the process ends through _exit_without_teardown


def keep_until_exit(obj: T) -> T:
    """`obj`, held until the process ends when the run goes through `main()`: that exit skips
    freeing the heap object by object, but a command's graph, snapshot or report would otherwise
    be freed when its frames unwind (~0.1 s for a quota-size graph). Elsewhere (CliRunner, library
    callers) nothing is held."""
    if _holding:
        _kept.append(obj)
    return obj


def main() -> None:
    # One short-lived run that frees almost nothing until exit: the cyclic GC would only rescan a
    # growing heap (measured: ~30% of a quota-size scan). Reference counting still frees memory.
    global _holding
    gc.disable()
    _kept.clear()  # a caller's earlier run of main() (one that kept threads alive) let go
    _holding = True
    try:
        app()
    except SystemExit as exc:
        _exit_without_teardown(exc)


def _exit_without_teardown(exc: SystemExit) -> NoReturn:
    """Exit with `exc`'s status as the interpreter would, but without freeing the heap object by
    object (~0.3 s after a quota-size scan): atexit handlers run and the standard streams are
    flushed first. With other threads alive, the normal shutdown (which joins them) is kept."""
    if threading.active_count() > 1:
        _kept.clear()  # the normal shutdown frees it all anyway
        raise exc
    code = exc.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1, as Python does
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed pipe (`| head`) or closed stream: Python's own 120
            status = 120
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
