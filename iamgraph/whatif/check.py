"""check-policy: evaluate the account as if a policy were attached, and report what it adds.

Pure over Snapshots: `apply_change` builds the modified Snapshot (dataclasses.replace on the frozen
model), `compare` runs the graph and queries before and after and returns a JSON-ready dict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from .. import api
from ..errors import InputError
from ..evaluate.types import Decision
from ..graph.model import IamGraph
from ..model import (
    Effect,
    Group,
    ManagedPolicy,
    NodeKind,
    Policy,
    PolicyDocument,
    PolicyKind,
    PolicyRef,
    PolicyVersion,
    Role,
    Snapshot,
    User,
    account_of,
)
from ..model.action_catalog import unknown_actions
from ..model.arn import partition_of, resource_of
from ..query.base import QueryKind
from ..query.paths import action_graph
from ..query.report import EvidenceRow, FindingRecord, Report
from ..techniques.principal import decision_rank
from .categories import categorize, statement_pairs, unknown_action_notes

ADMIN_KINDS = (QueryKind.ESCALATION, QueryKind.INVENTORY)  # queries whose reaches_admin means "is or becomes admin"
MAX_PAIRS = 600  # (action, resource) evaluations per principal for the newly-allowed table
_NAME_RE = re.compile(r"^[\w+=,.@-]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """The policy to try, and where: exactly one of attach_to / new_user / new_role."""

    name: str  # inline policy name (the file stem)
    document: PolicyDocument
    attach_to: str | None = None  # ARN or name of a user, role or group
    as_boundary: bool = False  # set as the principal's permissions boundary instead
    new_user: str | None = None
    new_role: str | None = None
    trust: PolicyDocument | None = None  # trust policy of the new role


@dataclass(frozen=True, slots=True, kw_only=True)
class Applied:
    """The modified snapshot; `subjects` are the users/roles whose permissions changed."""

    snapshot: Snapshot
    mode: str  # inline | group | boundary | new-user | new-role
    target: str  # ARN the policy went to
    subjects: tuple[str, ...]
    ref: PolicyRef  # how evidence cites the tried policy
    notes: tuple[str, ...] = ()


# ---- building the modified snapshot ---------------------------------------------------------


def resolve_principal(snapshot: Snapshot, text: str) -> str:
    """ARN of the user, role or group named by `text` (ARN, name, or path/name); InputError otherwise."""
    every = [*snapshot.users, *snapshot.roles, *snapshot.groups]
    if text in every:
        return text
    hits = [a for a in every if a.rsplit("/", 1)[-1] == text or a.endswith("/" + text.lstrip("/"))]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise InputError(
            f"no user, role or group named {text!r} in the account", file="<command line>", path="--attach-to"
        )
    raise InputError(
        f"{text!r} is ambiguous: {', '.join(sorted(hits))}; give the ARN", file="<command line>", path="--attach-to"
    )


def _new_arn(snapshot: Snapshot, kind: str, name: str, option: str) -> tuple[str, str, str]:
    """(arn, name, path) for a principal that must not exist yet."""
    if name.startswith("arn:"):
        arn = name
        res = arn.split(":", 5)[-1]
        if not res.startswith(kind + "/"):
            raise InputError(f"{name!r} is not a {kind} ARN", file="<command line>", path=option)
        rest = res[len(kind) + 1 :]
    else:
        accounts = sorted(set(snapshot.account_ids))
        if len(accounts) != 1:
            raise InputError(
                f"the input holds {len(accounts)} accounts; give the full {kind} ARN",
                file="<command line>",
                path=option,
            )
        rest = name.strip("/")
        arn = f"arn:{_partition(snapshot)}:iam::{accounts[0]}:{kind}/{rest}"
    short = rest.rsplit("/", 1)[-1]
    if not _NAME_RE.match(short):
        raise InputError(f"invalid IAM {kind} name {short!r}", file="<command line>", path=option)
    if any(
        resource_of(a).rsplit("/", 1)[-1] == short and account_of(a) == account_of(arn)
        for a in (*snapshot.users, *snapshot.roles)
        if f":{kind}/" in a
    ):
        raise InputError(
            f"a {kind} named {short!r} already exists; use --attach-to", file="<command line>", path=option
        )
    path = "/" + rest.rsplit("/", 1)[0] + "/" if "/" in rest else "/"
    return arn, short, path


def _partition(snapshot: Snapshot) -> str:
    for a in (*snapshot.users, *snapshot.roles, *snapshot.groups):
        return partition_of(a)
    return "aws"


def apply_change(snapshot: Snapshot, change: Change) -> Applied:
    """The snapshot with the policy attached (inline), set as boundary, or on a new principal."""
    chosen = [x for x in (change.attach_to, change.new_user, change.new_role) if x]
    if len(chosen) != 1:
        raise InputError("give exactly one of --attach-to, --new-user, --new-role", file="<command line>")
    if change.as_boundary and not change.attach_to:
        raise InputError("--as-boundary needs --attach-to (an existing user or role)", file="<command line>")
    if change.new_role and change.trust is None:
        raise InputError("--new-role needs --trust TRUST.json", file="<command line>", path="--trust")
    if change.new_user:
        arn, short, path = _new_arn(snapshot, "user", change.new_user, "--new-user")
        ref = PolicyRef(PolicyKind.INLINE, change.name, change.name, owner=arn)
        user = User(arn=arn, name=short, path=path, inline_policies=(Policy(ref, change.document),))
        return Applied(
            snapshot=replace(snapshot, users={**snapshot.users, arn: user}),
            mode="new-user",
            target=arn,
            subjects=(arn,),
            ref=ref,
        )
    if change.new_role:
        assert change.trust is not None
        arn, short, path = _new_arn(snapshot, "role", change.new_role, "--new-role")
        ref = PolicyRef(PolicyKind.INLINE, change.name, change.name, owner=arn)
        trust = Policy(PolicyRef(PolicyKind.TRUST, arn, short, owner=arn), change.trust)
        role = Role(arn=arn, name=short, path=path, trust_policy=trust, inline_policies=(Policy(ref, change.document),))
        return Applied(
            snapshot=replace(snapshot, roles={**snapshot.roles, arn: role}),
            mode="new-role",
            target=arn,
            subjects=(arn,),
            ref=ref,
        )
    assert change.attach_to is not None
    arn = resolve_principal(snapshot, change.attach_to)
    if change.as_boundary:
        return _as_boundary(snapshot, change, arn)
    ref = PolicyRef(PolicyKind.INLINE, change.name, change.name, owner=arn)
    pol = Policy(ref, change.document)
    if (u := snapshot.users.get(arn)) is not None:
        _no_clash(u.inline_policies, change.name, arn)
        return Applied(
            snapshot=replace(
                snapshot, users={**snapshot.users, arn: replace(u, inline_policies=(*u.inline_policies, pol))}
            ),
            mode="inline",
            target=arn,
            subjects=(arn,),
            ref=ref,
        )
    if (r := snapshot.roles.get(arn)) is not None:
        _no_clash(r.inline_policies, change.name, arn)
        return Applied(
            snapshot=replace(
                snapshot, roles={**snapshot.roles, arn: replace(r, inline_policies=(*r.inline_policies, pol))}
            ),
            mode="inline",
            target=arn,
            subjects=(arn,),
            ref=ref,
        )
    g: Group = snapshot.groups[arn]
    _no_clash(g.inline_policies, change.name, arn)
    members = tuple(sorted(u.arn for u in snapshot.users.values() if g in snapshot.groups_of(u)))
    notes = () if members else (f"group {g.name} has no members: nobody gains these permissions today",)
    return Applied(
        snapshot=replace(
            snapshot, groups={**snapshot.groups, arn: replace(g, inline_policies=(*g.inline_policies, pol))}
        ),
        mode="group",
        target=arn,
        subjects=members,
        ref=ref,
        notes=notes,
    )


def _no_clash(existing: tuple[Policy, ...], name: str, owner: str) -> None:
    if any(p.ref.id == name for p in existing):
        raise InputError(
            f"{owner} already has an inline policy named {name!r}; rename the policy file", file="<command line>"
        )


def _as_boundary(snapshot: Snapshot, change: Change, arn: str) -> Applied:
    entity = snapshot.users.get(arn) or snapshot.roles.get(arn)
    if entity is None:
        raise InputError(
            "a permissions boundary can only be set on a user or a role (not a group)",
            file="<command line>",
            path="--attach-to",
        )
    parn = f"arn:{arn.split(':')[1]}:iam::{account_of(arn)}:policy/iamgraph-whatif/{change.name}"
    mp = ManagedPolicy(
        arn=parn,
        name=change.name,
        path="/iamgraph-whatif/",
        default_version_id="v1",
        versions=(PolicyVersion("v1", True, change.document),),
    )
    notes: tuple[str, ...] = ()
    if entity.permissions_boundary_arn:
        notes = (
            f"replaces the current permissions boundary {entity.permissions_boundary_arn} (a principal has at most one)",
        )
    new_entity = replace(entity, permissions_boundary_arn=parn)
    snap = replace(snapshot, policies={**snapshot.policies, parn: mp})
    snap = (
        replace(snap, users={**snap.users, arn: new_entity})
        if isinstance(new_entity, User)
        else replace(snap, roles={**snap.roles, arn: new_entity})
    )
    return Applied(
        snapshot=snap,
        mode="boundary",
        target=arn,
        subjects=(arn,),
        ref=PolicyRef(PolicyKind.BOUNDARY, parn, change.name, version_id="v1"),
        notes=notes,
    )


# ---- comparing before and after ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scan:
    """A graph and its report (the default queries)."""

    graph: IamGraph
    report: Report


def scan(snapshot: Snapshot) -> Scan:
    graph = api.build_graph(snapshot)
    return Scan(graph, api.run(graph))


def is_admin_finding(report: Report, f: FindingRecord) -> bool:
    """A finding saying its source is, or can become, administrator."""
    return f.reaches_admin and report.query_kind(f.query) in ADMIN_KINDS


def admin_reach(report: Report) -> dict[str, bool]:
    """Source -> True (definite) / False (only potential) for every principal that is or can become admin."""
    out: dict[str, bool] = {}
    for f in report.findings:
        if is_admin_finding(report, f):
            out[f.source] = out.get(f.source, False) or not f.conditional
    return out


def reachable(graph: IamGraph, src: str) -> dict[str, bool]:
    """Users, roles and the admin sink reachable from `src` -> definite?"""
    if src not in graph.g:
        return {}
    anyway = nx.descendants(action_graph(graph, definite_only=False), src)
    definite = nx.descendants(action_graph(graph, definite_only=True), src)
    keep = (NodeKind.USER, NodeKind.ROLE, NodeKind.ADMIN)
    return {n: n in definite for n in sorted(anyway) if n != src and graph.kind(n) in keep}


def _pairs(docs: list[PolicyDocument]) -> tuple[list[tuple[str, str]], list[str]]:
    """(action, resource) pairs the documents' Allow statements name (each statement's own actions with its own
    resources: the real pairs, no cross product), plus notes on what was skipped."""
    pairs: dict[tuple[str, str], None] = {}
    notes: list[str] = []
    for doc in docs:
        found, skipped = statement_pairs(doc)
        pairs.update(dict.fromkeys(found))
        notes += skipped
    out = list(pairs)
    if len(out) > MAX_PAIRS:
        notes.append(f"compared only the first {MAX_PAIRS} of {len(out)} action/resource pairs")
        out = out[:MAX_PAIRS]
    return out, notes


def permission_changes(
    before: IamGraph, after: IamGraph, applied: Applied, document: PolicyDocument
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(newly allowed, newly denied, notes) over the actions the policy names (and, for a boundary,
    the principal's own identity policies), each evaluated on `*` and on the named resources."""
    docs = [document]
    if applied.mode == "boundary":
        docs += [p.document for p in after.snapshot.identity_policies(applied.target)]
    pairs, notes = _pairs(docs)
    gained: list[dict[str, Any]] = []
    lost: list[dict[str, Any]] = []
    for subject in applied.subjects:
        b_view = before.context.views.get(subject)
        a_view = after.context.views.get(subject)
        if a_view is None:
            continue
        for action, resource in pairs:
            b = b_view.can(action, resource) if b_view is not None else None
            a = a_view.can(action, resource)
            b_dec = b.decision if b is not None else Decision.IMPLICIT_DENY
            if decision_rank(a.decision) > decision_rank(b_dec) and a.possible:
                gained.append(
                    {
                        "principal": subject,
                        "action": action,
                        "resource": resource,
                        "before": b_dec.value,
                        "after": a.decision.value,
                        "allowed_by": [r.to_json() for r in a.allowed_by],
                        "condition_keys": sorted(a.unknown_keys),
                    }
                )
            elif decision_rank(a.decision) < decision_rank(b_dec) and b is not None and b.possible:
                lost.append(
                    {
                        "principal": subject,
                        "action": action,
                        "resource": resource,
                        "before": b_dec.value,
                        "after": a.decision.value,
                        "denied_by": [r.to_json() for r in a.denied_by],
                    }
                )
    return gained, lost, notes


def compare(before: Scan, after: Scan, applied: Applied, document: PolicyDocument) -> dict[str, Any]:
    """What the change adds: new findings, admin paths opened, reach gained, actions allowed."""
    old_ids = {f.id for f in before.report.findings}
    new_ids = {f.id for f in after.report.findings}
    new_findings = [f.to_json() for f in after.report.findings if f.id not in old_ids]
    gone = [f.to_json() for f in before.report.findings if f.id not in new_ids]
    was, now = admin_reach(before.report), admin_reach(after.report)
    opened = sorted(s for s, definite in now.items() if s not in was or (definite and not was[s]))
    opened_definite = [s for s in opened if now[s]]
    newly: list[dict[str, Any]] = []
    for subject in applied.subjects:
        if before.graph.is_admin(subject):
            continue  # an administrator already reaches everything: nothing is new
        b, a = reachable(before.graph, subject), reachable(after.graph, subject)
        for node, definite in a.items():
            if node not in b or (definite and not b[node]):
                newly.append(
                    {
                        "principal": subject,
                        "reaches": node,
                        "definite": definite,
                        "admin": after.graph.is_admin_sink(node) or after.graph.is_admin(node),
                    }
                )
    gained, lost, notes = permission_changes(before.graph, after.graph, applied, document)
    unreal = set(unknown_actions([g["action"] for g in gained]))
    gained = [g for g in gained if g["action"] not in unreal]  # a misspelt action is noted, not "allowed"
    return {
        "mode": applied.mode,
        "target": applied.target,
        "subjects": list(applied.subjects),
        "policy": applied.ref.id,
        "opens_admin_path": bool(opened),
        "opened": [{"principal": s, "definite": now[s]} for s in opened],
        "opens_definite_admin_path": bool(opened_definite),
        "new_findings": new_findings,
        "removed_findings": gone,
        "newly_reachable": newly,
        "newly_allowed": gained,
        "newly_denied": lost,
        "services_newly_allowed": sorted({g["action"].split(":", 1)[0].lower() for g in gained if ":" in g["action"]}),
        "categories": categorize(gained),
        "unknown_actions": unknown_action_notes(document),
        "notes": [*applied.notes, *notes, *unknown_action_notes(document)],
    }


def check_policy(
    snapshot: Snapshot, change: Change, *, before: Scan | None = None
) -> tuple[dict[str, Any], Applied, Scan]:
    """Compare the account with and without the change: (result dict, applied change, after-scan)."""
    applied = apply_change(snapshot, change)
    before = before or scan(snapshot)
    after = scan(applied.snapshot)
    return compare(before, after, applied, change.document), applied, after


def cites(evidence_row: EvidenceRow, ref: PolicyRef) -> bool:
    """Does an evidence row cite the tried policy?"""
    if evidence_row.get("policy") != ref.id:
        return False
    return ref.kind is not PolicyKind.INLINE or evidence_row.get("attached_to") == ref.owner


def effect_statements(doc: PolicyDocument, effect: Effect) -> list[int]:
    return [s.index for s in doc.statements if s.effect is effect]
