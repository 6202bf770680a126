"""`iamgraph simulate`: one request against a snapshot, or a JSONL batch of self-contained requests."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from ..errors import InputError
from ..evaluate.batch import run_batch
from ..evaluate.engine import evaluate
from ..evaluate import applicable
from ..evaluate.types import ContextValue, PolicySet, Request, Result
from ..model import Snapshot, role_arn_of_session
from ..render.terminal import clean, clean_lines
from .app import app, input_errors

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
    out: dict[str, object] = {"decision": result.decision.value,
                              "allowed_by": [r.to_json() for r in result.allowed_by],
                              "denied_by": [r.to_json() for r in result.denied_by]}
    if result.unknown_keys:
        out["unknown_keys"] = sorted(result.unknown_keys)
    return json.dumps(out, indent=2)


@app.command("simulate")
@input_errors
def simulate(
    input: Optional[list[str]] = typer.Option(None, "--input", "-i", help="Snapshot or GAAD JSON file (repeatable)."),
    principal: Optional[str] = typer.Option(None, "--principal", help="ARN of the calling user, role or session."),
    action: Optional[str] = typer.Option(None, "--action", help="e.g. s3:GetObject"),
    resource: str = typer.Option("*", "--resource", help="Resource ARN (default *)."),
    context: Optional[list[str]] = typer.Option(None, "--context", help="key=value request context (repeatable)."),
    fmt: str = typer.Option("text", "--format", help="text | json"),
    batch: Optional[str] = typer.Option(None, "--batch", help="JSONL file of requests ('-' = stdin)."),
) -> None:
    """Would AWS allow this request? Offline evaluation with citations of the deciding statements."""
    if batch is not None:
        try:
            stream = sys.stdin if batch == "-" else open(batch, encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read batch file ({exc.strerror})", file=batch) from None
        try:
            for out in run_batch(stream):
                typer.echo(out)
        except UnicodeDecodeError:
            raise InputError("batch file is not UTF-8 text", file=batch) from None
        finally:
            if stream is not sys.stdin:
                stream.close()
        return
    if not input or not principal or not action:
        raise InputError("give --input, --principal and --action (or --batch FILE)", path="simulate")
    if fmt not in ("text", "json"):
        raise InputError(f"--format must be text or json, not {fmt!r}", path="--format")
    from ..collect.loader import load_snapshot

    snapshot = load_snapshot(list(input))
    ctx: dict[str, ContextValue] = principal_context(snapshot, principal)
    ctx.update(parse_context(context or []))
    pset = snapshot_policy_set(snapshot, principal, action, resource)
    result = evaluate(Request(principal_arn=principal, action=action, resource=resource, context=ctx), pset)
    typer.echo(clean_lines(format_text(result)) if fmt == "text" else format_json(result))
    for reason in snapshot.incomplete.get(role_arn_of_session(principal) or principal, ()):
        typer.echo(clean(f"warning: permissions of {principal} are incomplete: {reason}"), err=True)


__all__ = ["simulate", "principal_context", "snapshot_policy_set", "parse_context"]
