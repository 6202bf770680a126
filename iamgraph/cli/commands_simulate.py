"""`iamgraph simulate`: one request against a snapshot, or a JSONL batch of self-contained requests."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from ..errors import InputError
from ..evaluate.batch import run_batch
from ..evaluate.engine import evaluate
from ..evaluate.types import PolicySet, Request, Result
from ..model import Policy, Snapshot, account_of, role_arn_of_session
from .app import app, input_errors

_TRUST_ACTIONS = ("sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
                  "sts:tagsession", "sts:setsourceidentity")


def principal_context(snapshot: Snapshot, principal: str) -> dict[str, str]:
    """The request keys AWS derives from the principal itself (global condition context keys)."""
    ctx: dict[str, str] = {"aws:PrincipalArn": principal, "aws:PrincipalAccount": account_of(principal)}
    arn = role_arn_of_session(principal) or principal
    if (u := snapshot.users.get(arn)) is not None:
        ctx.update({"aws:username": u.name, "aws:PrincipalType": "User"})
        if u.user_id:
            ctx["aws:userid"] = u.user_id
        tags = u.tags
    elif (r := _role(snapshot, arn)) is not None:
        ctx["aws:PrincipalType"] = "AssumedRole"
        ctx["aws:PrincipalArn"] = r.arn
        if r.role_id:
            session = principal.rsplit("/", 1)[-1] if principal != arn else "session"
            ctx["aws:userid"] = f"{r.role_id}:{session}"
        tags = r.tags
    else:
        raise InputError(f"principal {principal} is not a user or role of the snapshot", path="--principal")
    for k, v in tags.items():
        ctx[f"aws:PrincipalTag/{k}"] = v
    return ctx


def _role(snapshot: Snapshot, arn: str):  # type: ignore[no-untyped-def]
    """Role by ARN; session ARNs carry no path, so fall back to matching account + name."""
    r = snapshot.roles.get(arn)
    if r is not None:
        return r
    name, acct = arn.rsplit("/", 1)[-1], account_of(arn)
    for role in snapshot.roles.values():
        if role.name == name and account_of(role.arn) == acct:
            return role
    return None


def snapshot_policy_set(snapshot: Snapshot, principal: str, action: str, resource: str) -> PolicySet:
    """Identity, boundary, SCP/RCP levels and the resource policy that apply to the request."""
    entity = role_arn_of_session(principal) or principal
    role = _role(snapshot, entity) if entity not in snapshot.users else None
    if role is not None:
        entity = role.arn
    caller_account = account_of(principal)
    resource_account = account_of(resource) or None
    resource_policy: Policy | None = None
    target = _role(snapshot, resource) if ":iam::" in resource and ":role/" in resource else None
    if target is not None and action.lower() in _TRUST_ACTIONS:
        resource_policy = target.trust_policy
    elif (rp := snapshot.resource_policy(resource)) is not None:
        resource_policy = rp.policy
    elif ":s3:::" in resource and "/" in resource:          # object ARN -> its bucket's policy
        rp = snapshot.resource_policy(resource.split("/", 1)[0])
        resource_policy = rp.policy if rp is not None else None
    return PolicySet(
        identity=snapshot.identity_policies(entity),
        boundaries=snapshot.boundary_policies(entity),
        scps=snapshot.scp_levels(caller_account),
        rcps=snapshot.rcp_levels(resource_account or caller_account),
        resource=resource_policy,
        resource_account=resource_account,
    )


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
    ctx: dict[str, str | tuple[str, ...]] = dict(principal_context(snapshot, principal))
    ctx.update(parse_context(context or []))
    pset = snapshot_policy_set(snapshot, principal, action, resource)
    result = evaluate(Request(principal_arn=principal, action=action, resource=resource, context=ctx), pset)
    typer.echo(format_text(result) if fmt == "text" else format_json(result))
    for reason in snapshot.incomplete.get(role_arn_of_session(principal) or principal, ()):
        typer.echo(f"warning: permissions of {principal} are incomplete: {reason}", err=True)


__all__ = ["simulate", "principal_context", "snapshot_policy_set", "parse_context"]
