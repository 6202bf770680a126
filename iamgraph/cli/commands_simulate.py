"""`iamgraph simulate`: one request against a snapshot, or a JSONL batch of self-contained requests."""

from __future__ import annotations

import json
import sys
from enum import Enum

import typer

from ..errors import InputError
from ..evaluate import applicable
from ..evaluate.engine import evaluate
from ..evaluate.types import ContextValue, PolicySet, Request, Result
from ..model import Snapshot, role_arn_of_session
from ..render.terminal import clean, clean_lines
from .app import app, input_errors, keep_until_exit


class SimulateFormat(str, Enum):
    """What simulate prints for one request."""

    TEXT = "text"
    JSON = "json"


def principal_context(snapshot: Snapshot, principal: str) -> dict[str, ContextValue]:
    """The request keys AWS derives from the principal itself (see evaluate.applicable)."""
    pc = applicable.principal_context(snapshot, principal, default_session="session")
    if pc is None:
        raise InputError(f"principal {principal} is not a user or role of the snapshot", path="--principal")
    return dict(pc.values)


def snapshot_policy_set(snapshot: Snapshot, principal: str, action: str, resource: str) -> PolicySet:
    """Identity, boundary, SCP/RCP levels and the resource policy that apply to the request."""
    return applicable.policy_set_for(snapshot, principal, action, resource)


def parse_context(items: list[str]) -> dict[str, str | tuple[str, ...]]:
    """`key=value` (repeat a key for a multi-valued key) -> context mapping."""
    ctx: dict[str, str | tuple[str, ...]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"context must be key=value, not {item!r}", path="--context")
        if key in ctx:
            prev = ctx[key]
            ctx[key] = (*(prev if isinstance(prev, tuple) else (prev,)), value)
        else:
            ctx[key] = value
    return ctx


def _cite(ref) -> str:  # type: ignore[no-untyped-def]
    sid = f" ({ref.sid})" if ref.sid else ""
    return f"{ref.policy.label()} statement {ref.index}{sid}"


def format_text(result: Result) -> str:
    lines = [result.decision.value]
    lines += [f"  allowed by: {_cite(r)}" for r in result.allowed_by]
    lines += [f"  denied by:  {_cite(r)}" for r in result.denied_by]
    if result.unknown_keys:
        lines.append("  depends on: " + ", ".join(sorted(result.unknown_keys)))
    return "\n".join(lines)


def format_json(result: Result) -> str:
    out: dict[str, object] = {
        "decision": result.decision.value,
        "allowed_by": [r.to_json() for r in result.allowed_by],
        "denied_by": [r.to_json() for r in result.denied_by],
    }
    if result.unknown_keys:
        out["unknown_keys"] = sorted(result.unknown_keys)
    return json.dumps(out, indent=2)


@app.command("simulate")
@input_errors
def simulate(
    input: list[str] | None = typer.Option(
        None, "--input", "-i", metavar="FILE", help="Snapshot or GAAD JSON file (repeatable)."
    ),
    principal: str | None = typer.Option(
        None,
        "--principal",
        metavar="PRINCIPAL",
        help="The calling user or role (ARN, name or path/name) or session ARN.",
    ),
    action: str | None = typer.Option(None, "--action", metavar="ACTION", help="e.g. s3:GetObject"),
    resource: str = typer.Option("*", "--resource", metavar="ARN", help="Resource ARN (default *)."),
    context: list[str] | None = typer.Option(
        None, "--context", metavar="KEY=VALUE", help="Request context (repeatable; repeat a key for several values)."
    ),
    fmt: SimulateFormat = typer.Option(
        SimulateFormat.TEXT, "--format", "-f", case_sensitive=False, help="Output format (single request)."
    ),
    batch: str | None = typer.Option(
        None,
        "--batch",
        metavar="FILE",
        help="JSONL file of requests ('-' = stdin); with --input each line is evaluated "
        "against that snapshot (docs/simulate-batch.md).",
    ),
) -> None:
    """Would AWS allow this request? Offline evaluation with citations of the deciding statements.
    Exit 2 on bad input, including any batch line that is an error."""
    if batch is not None:
        if principal or action or context or resource != "*":
            raise InputError(
                "--batch takes the requests from the file; drop --principal/--action/--resource/--context",
                file="<command line>",
                path="--batch",
            )
        snapshot = None
        if input:
            from ..collect.loader import load_snapshot

            snapshot = keep_until_exit(load_snapshot(list(input)))
        try:
            stream = sys.stdin if batch == "-" else open(batch, encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read batch file ({exc.strerror})", file=batch) from None
        errors = 0
        try:
            if snapshot is not None:
                from ..simulate.snapshot import simulate_lines

                for obj in simulate_lines(snapshot, stream):
                    errors += "error" in obj
                    typer.echo(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
            else:
                from ..simulate.batch import run_batch

                for out in run_batch(stream):
                    errors += '"error"' in out and "error" in json.loads(out)
                    typer.echo(out)
        except UnicodeDecodeError:
            raise InputError("batch file is not UTF-8 text", file=batch) from None
        finally:
            if stream is not sys.stdin:
                stream.close()
        if errors:
            typer.echo(
                f"iamgraph: error: {errors} batch line{'s' if errors != 1 else ''} could not be evaluated "
                '(see their "error")',
                err=True,
            )
            raise typer.Exit(2)
        return
    if not input or not principal or not action:
        raise InputError("give --input, --principal and --action (or --batch FILE)", path="simulate")
    from ..collect.loader import load_snapshot
    from ..model.action_catalog import checked_action
    from ..simulate.snapshot import resolve_caller

    action = checked_action(action, option="--action")  # before loading: a typo costs nothing
    snapshot = keep_until_exit(load_snapshot(list(input)))
    principal = resolve_caller(snapshot, principal)
    ctx: dict[str, ContextValue] = principal_context(snapshot, principal)
    ctx.update(parse_context(context or []))
    pset = snapshot_policy_set(snapshot, principal, action, resource)
    result = evaluate(Request(principal_arn=principal, action=action, resource=resource, context=ctx), pset)
    typer.echo(clean_lines(format_text(result)) if fmt == "text" else format_json(result))
    for reason in snapshot.incomplete.get(role_arn_of_session(principal) or principal, ()):
        typer.echo(clean(f"warning: permissions of {principal} are incomplete: {reason}"), err=True)


__all__ = ["simulate", "principal_context", "snapshot_policy_set", "parse_context"]
