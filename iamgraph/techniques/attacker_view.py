"""The attacker model a graph build uses: scan time, pinned context keys (`--context key=value`),
who may tag what, and which principals IAM cannot modify."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..evaluate.attacker import Attacker, actions_of, forget_memos, may_change, resolve, tests_tags
from ..evaluate.conditions import Context, parse_date
from ..evaluate.engine import decide, resource_signature
from ..evaluate.special_rules import is_protected_role
from ..evaluate.types import ContextValue, Decision, PolicySet, Request, Result, Step
from ..model import NodeKind, PolicyDocument, Role, Snapshot, User

if TYPE_CHECKING:
    from .principal import PrincipalView


@dataclass(frozen=True, kw_only=True, slots=True)
class AttackerOptions:
    """`pins`: condition keys the user fixes for every request (never chosen by the search);
    `now`: the scan time in epoch seconds (None: the wall clock when the build starts; a pinned
    aws:CurrentTime or aws:EpochTime overrides it)."""

    pins: tuple[tuple[str, ContextValue], ...] = ()
    now: float | None = None

    def scan_time(self) -> float:
        for k, v in self.pins:
            if k.lower() in ("aws:currenttime", "aws:epochtime") and isinstance(v, str):
                try:
                    return parse_date(v)
                except ValueError:
                    pass
        return self.now if self.now is not None else time.time()

    def pinned_context(self) -> dict[str, ContextValue]:
        return {k: v for k, v in self.pins}


def time_context(now: float) -> dict[str, ContextValue]:
    """aws:CurrentTime / aws:EpochTime of a request made at `now` ("always included", global keys page)."""
    iso = datetime.fromtimestamp(int(now), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"aws:CurrentTime": iso, "aws:EpochTime": str(int(now))}


def epoch(text: str | None) -> float | None:
    """A CreateDate as epoch seconds (None when absent or unreadable)."""
    if not text:
        return None
    try:
        return parse_date(text.replace(" ", "T", 1) if "T" not in text else text)
    except (ValueError, OverflowError):
        return None


# Tagging API per resource kind (Service Authorization Reference: each service's tag action)
_TAG_ACTIONS = {
    ("iam", "role"): "iam:TagRole",
    ("iam", "user"): "iam:TagUser",
    ("iam", "policy"): "iam:TagPolicy",
    ("iam", "instance-profile"): "iam:TagInstanceProfile",
    ("lambda", "function"): "lambda:TagResource",
    ("glue", ""): "glue:TagResource",
    ("sagemaker", ""): "sagemaker:AddTags",
    ("ec2", ""): "ec2:CreateTags",
    ("ssm", ""): "ssm:AddTagsToResource",
    ("cloudformation", "stack"): "cloudformation:TagResource",
}


def tag_action_for(resource_arn: str) -> str | None:
    """The action that tags `resource_arn` (None: unknown resource type, or a protected role)."""
    parts = resource_arn.split(":", 5)
    if len(parts) != 6 or is_protected_role(resource_arn):
        return None
    svc, rest = parts[2], parts[5]
    kind = rest.split("/", 1)[0].split(":", 1)[0]
    if svc == "codebuild":
        return None  # CodeBuild tags through UpdateProject, which also needs the project's other fields
    return _TAG_ACTIONS.get((svc, kind)) or _TAG_ACTIONS.get((svc, ""))


def _resource_tag_context(tags: dict[str, str]) -> dict[str, ContextValue]:
    ctx: dict[str, ContextValue] = {}
    for k, v in tags.items():
        ctx[f"aws:ResourceTag/{k}"] = v
        ctx[f"iam:ResourceTag/{k}"] = v
    return ctx


def condition_tag_keys(snapshot: Snapshot) -> frozenset[str]:
    """Tag keys (lower case) named by any ResourceTag/PrincipalTag condition key of the snapshot."""
    keys: set[str] = set()
    for d in _documents(snapshot):
        for s in d.statements:
            for c in s.conditions:
                low = c.key.lower()
                for marker in (":resourcetag/", ":principaltag/"):
                    if marker in low:
                        keys.add(low.split(marker, 1)[1])
    return frozenset(keys)


def _documents(snapshot: Snapshot) -> list[PolicyDocument]:
    docs = [p.document for u in snapshot.users.values() for p in u.inline_policies]
    docs += [p.document for r in snapshot.roles.values() for p in (*r.inline_policies, r.trust_policy)]
    docs += [p.document for g in snapshot.groups.values() for p in g.inline_policies]
    docs += [v.document for mp in snapshot.policies.values() for v in mp.versions]
    docs += [q.document for path in snapshot.org_paths.values() for n in path for q in (*n.scps, *n.rcps)]
    docs += [rp.policy.document for rp in snapshot.resource_policies]
    return docs


def _request_values(
    base: Mapping[str, ContextValue], fixed: tuple[tuple[str, ContextValue], ...], context: Mapping[str, ContextValue]
) -> dict[str, ContextValue]:
    """The values of a request's context, keys lower case: `fixed` over `base`, `context` over
    both (a later layer hides an earlier one's key whatever its spelling, as Context.over does)."""
    out = {k.lower(): v for k, v in base.items()}
    for k, v in fixed:
        out[k.lower()] = v
    for k, v in context.items():
        out[k.lower()] = v
    return out


def _parts(pset: PolicySet) -> tuple[object, ...]:
    """The policy objects of `pset` (with its resource account, all `decide` reads of it)."""
    return (pset.identity, pset.boundaries, pset.session, pset.scps, pset.rcps, pset.resource)


class CreationTimes(Mapping[str, "float | None"]):
    """Principal ARN -> `epoch` of its CreateDate: the snapshot's role of that ARN, else its user
    (as `{**users, **roles}` would give), each read on first lookup (a build asks about a third)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._users = snapshot.users
        self._roles = snapshot.roles
        self._done: dict[str, float | None] = {}

    def __getitem__(self, arn: str) -> float | None:
        try:
            return self._done[arn]
        except KeyError:
            pass
        e: User | Role | None = self._roles.get(arn)
        if e is None:
            e = self._users.get(arn)
            if e is None:
                raise KeyError(arn)
        t = self._done[arn] = epoch(e.create_date)
        return t

    def get(self, arn: str, default: float | None = None) -> float | None:  # type: ignore[override]
        try:
            return self[arn]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._users), **dict.fromkeys(self._roles)})

    def __len__(self) -> int:
        return len(self._users.keys() | self._roles.keys())


@dataclass(kw_only=True)
class AttackerView:
    """The attacker model shared by every principal view of one build (see evaluate/attacker.py)."""

    now: float
    pinned: frozenset[str]  # lower-case keys the user fixed
    tag_keys: frozenset[str]  # tag keys named by tag conditions (lower case)
    tags_of: Callable[[str], dict[str, str] | None]
    created: Mapping[str, float | None]  # principal ARN -> creation time (epoch seconds)
    time: dict[str, ContextValue] = field(default_factory=dict)  # aws:CurrentTime / aws:EpochTime of the scan
    # redecide's answers shared between resources of one view (see `redecide`): key -> (held objects, answer)
    _shared: dict[tuple[object, ...], tuple[tuple[object, ...], Result]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # admin.py's denials shared between views (`admin._shared_denial`): a signature -> (held
    # objects, its number, the condition keys it reads, whether one is aws:TokenIssueTime) or
    # None (not shared); and (number, facts, creation time, key values) -> the decision
    denial_plans: dict[tuple[object, ...], tuple[tuple[object, ...], int, tuple[str, ...], bool] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    denials: dict[tuple[object, ...], Decision] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def create(cls, snapshot: Snapshot, options: AttackerOptions) -> AttackerView:
        def tags_of(arn: str) -> dict[str, str] | None:
            e = snapshot.users.get(arn) or snapshot.roles.get(arn)
            return dict(e.tags) if e is not None else None

        forget_memos()  # a new build: the previous one's policy sets are no longer asked about
        created = CreationTimes(snapshot)
        now = options.scan_time()
        pinned = frozenset(k.lower() for k, _ in options.pins)
        clock = {k: v for k, v in time_context(now).items() if k.lower() not in pinned}
        return cls(
            now=now, pinned=pinned, tag_keys=condition_tag_keys(snapshot), tags_of=tags_of, created=created, time=clock
        )

    def apply(self, views: dict[str, PrincipalView], options: AttackerOptions) -> None:
        """Give every view the scan time, the pinned keys and this attacker model."""
        fixed = options.pinned_context()
        if not (self.pinned or fixed):  # nothing pinned: the views' own keys stand as they are
            for v in views.values():
                v.attacker = self
            return
        for v in views.values():
            base = {k: val for k, val in v.base_context.items() if k.lower() not in self.pinned}
            v.base_context = {**base, **fixed}
            v.base_absent = v.base_absent - self.pinned
            v.attacker = self

    def resource_context(
        self, resource: str, context: dict[str, ContextValue] | None, absent: frozenset[str]
    ) -> tuple[dict[str, ContextValue] | None, frozenset[str]]:
        """A request's context with the scan time (unless pinned) and the known tags of an IAM
        user/role resource (as aws:/iam:ResourceTag keys) added."""
        base = self.time if context is None else {**self.time, **context}
        if not self.tag_keys:
            return base, absent
        tags = self.tags_of(resource)
        if tags is None:
            return base, absent
        have = {t.lower() for t in tags}
        gone = frozenset(
            p + t for t in self.tag_keys if t not in have for p in ("aws:resourcetag/", "iam:resourcetag/")
        )
        return {**_resource_tag_context(tags), **base}, absent | gone

    def redecide(
        self,
        view: PrincipalView,
        first: Result,
        req: Request,
        pset: PolicySet,
        fixed: tuple[tuple[str, ContextValue], ...],
        context: dict[str, ContextValue],
        absent: frozenset[str],
        tagging: bool,
    ) -> Result:
        """`first` re-decided with the values the attacker controls (evaluate/attacker.resolve).
        The re-decisions see exactly the keys `first` saw: the principal's own, the request-fixed
        `fixed` (scope.keys) over them, then `context` over both (as PrincipalView.can lays them)."""
        if first.decision is not Decision.UNKNOWN and not self.tag_keys:
            return first
        if not may_change(first, req.action, pset):
            return first  # what resolve would answer, without building the taggers
        arn, resource = req.principal_arn, req.resource

        def dec(action: str, ctx: Context) -> Result:
            return decide(arn, action, resource, pset, ctx)

        tag_resource = tag_self = None
        key: tuple[object, ...] | None = None
        held: tuple[object, ...] = ()
        if not tagging and tests_tags(req.action, pset):  # else resolve never calls them
            tag_resource = self._tagger(view, resource)
            tag_self = self._tagger(view, view.arn) if resource != view.arn else tag_resource
        else:
            # without taggers, resolve reads the resource only through `decide`: a resource of the
            # same signature (and the same everything else) gets the same answer
            sig = resource_signature(arn, actions_of(req.action.lower()), resource, pset)
            if sig is not None:
                held = (view, view.base_context, view.base_absent, *_parts(pset))
                key = (
                    *map(id, held),
                    pset.resource_account,
                    arn,
                    req.action,
                    fixed,
                    tuple(context.items()),
                    absent,
                    tagging,
                    sig,
                    first,
                )
                hit = self._shared.get(key)
                if hit is not None and all(a is b for a, b in zip(hit[0], held)):
                    return hit[1]
        attacker = Attacker(is_user=view.kind is NodeKind.USER, now=self.now, created=self.created.get(view.arn))
        res = resolve(
            first,
            action=req.action,
            decide=dec,
            values=_request_values(view.base_context, fixed, context),
            absent=view.base_absent | absent,
            policies=pset,
            attacker=attacker,
            pinned=self.pinned,
            tag_resource=tag_resource,
            tag_self=tag_self,
        )
        if key is not None:
            self._shared[key] = (held, res)
        return res

    def _tagger(self, view: PrincipalView, resource: str) -> Callable[[Mapping[str, str]], Step | None] | None:
        """Whether (and with which grant) `view` may put given tags on `resource` first."""
        action = tag_action_for(resource)
        if action is None or not view.may(action):
            return None

        def tag(tags: Mapping[str, str]) -> Step | None:
            ctx: dict[str, ContextValue] = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
            ctx["aws:TagKeys"] = tuple(tags)
            r = view.can(action, resource, context=ctx, _tagging=True)
            return Step(action=action, resource=resource, result=r) if r.possible else None

        return tag


__all__ = [
    "AttackerOptions",
    "AttackerView",
    "CreationTimes",
    "time_context",
    "epoch",
    "tag_action_for",
    "condition_tag_keys",
]
