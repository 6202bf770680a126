"""Resource-type-aware grants: a technique step is allowed only on resources of the types its
action really acts on, and only when every resource type the request needs is allowed too
(Service Authorization Reference, via evaluate.resource_types).

- An action without resource types is authorised on `*`: a statement naming an ARN (e.g. a Glue
  *database*) does not allow `glue:CreateDevEndpoint`.
- A resource of another type of the same service (a Glue database for a dev-endpoint action, a
  SageMaker app for `CreateNotebookInstance`) is no resource of the action: no grant.
- Each required type the resource does not cover needs its own allowed resource of that type
  ("companion"): `ec2:RunInstances` on an instance also needs an image, a network interface, a
  security group and a subnet; `ssm:SendCommand` on an instance needs a document — and only a
  document that runs the caller's commands makes it an escalation (`COMMAND_DOCUMENTS`).

A resource the catalogue cannot classify for its service keeps the plain behaviour (never
narrower than before on unknown data). Companions are cited as their own evidence rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from ..evaluate.resource_types import ActionTypes, action_types, service_types_of
from .evidence import Grant, combine
from .principal import PrincipalView, decision_rank
from .resources import instantiate

# AWS-owned SSM documents that run commands or code the caller supplies (a parameter, a script
# location or a playbook): with one of them, SendCommand runs anything on the instance.
COMMAND_DOCUMENTS = (
    "AWS-RunShellScript",
    "AWS-RunPowerShellScript",
    "AWS-RunRemoteScript",
    "AWS-RunDocument",
    "AWS-RunAnsiblePlaybook",
    "AWS-ApplyAnsiblePlaybooks",
    "AWS-RunSaltState",
    "AWS-ApplyChefRecipes",
    "AWS-InstallApplication",
)
# (action, companion type) -> the only resources that make the step useful to an attacker
_USEFUL: dict[tuple[str, str], Callable[[str, str, str], tuple[str, ...]]] = {
    ("ssm:sendcommand", "document"): lambda partition, region, account: tuple(
        f"arn:{partition}:ssm:{region}:{acct}:document/{name}" for name in COMMAND_DOCUMENTS for acct in ("", account)
    ),
}


@dataclass(frozen=True, slots=True)
class JointGrant(Grant):
    """A grant on the main resource plus the companion resources the same request needs; `result`
    is their conjunction (Unknown if any part is), the rows cite every part under its own resource."""

    parts: tuple[Grant, ...] = ()

    def to_json(self) -> list[dict[str, object]]:
        rows = Grant(self.action, self.resource, self.result, by=self.by).to_json()
        for p in self.parts:
            rows.extend(p.to_json())
        return rows


@dataclass(frozen=True, slots=True, kw_only=True)
class Shape:
    """How a request for (action, resource) is authorised: on `resource` (maybe `*`), plus one
    companion per group of `needs`; `usable` False: the resource is of a type the action lacks."""

    resource: str
    types: ActionTypes | None = None
    needs: tuple[frozenset[str], ...] = ()
    usable: bool = True


@lru_cache(maxsize=65536)
def shape(action: str, resource: str) -> Shape:
    """The authorisation shape of `action` on `resource` (see the module docstring; memoised)."""
    at = action_types(action)
    if at is None:
        return Shape(resource=resource)
    if not at.types:
        return Shape(resource="*", types=at)
    if resource == "*" or not resource.startswith("arn:"):
        return Shape(resource=resource, types=at)
    covered = at.types_of(resource)
    if not covered:
        service = action.split(":", 1)[0]
        if service_types_of(service, resource):
            return Shape(resource=resource, types=at, usable=False)  # another type of the same service
        return Shape(resource=resource, types=at)  # not classifiable: plain behaviour
    return Shape(resource=resource, types=at, needs=at.missing_requirements(covered))


@lru_cache(maxsize=65536)
def keep_candidate(action: str, template: str, candidate: str) -> bool:
    """May `candidate` stand for the attacker-named resource of `template`? Not when it is of
    another resource type of its service than the template's (any of the action's types for `*`);
    a candidate or template the catalogue cannot classify (a pattern instantiated without its
    `/id` part, say) is kept. Memoised like `shape`: a pure function of its three strings and the
    installed SAR catalogue (classifying a candidate against every type of a service is costly)."""
    at = action_types(action)
    if at is None or not at.types or candidate == template:
        return True
    want = at.types_of(template) if template != "*" else frozenset(t.name for t in at.types)
    if not want:
        return True
    have = at.types_of(candidate)
    if have:
        return bool(have & want)
    return not service_types_of(candidate.split(":", 3)[2] if candidate.count(":") >= 3 else "", candidate)


def companion_candidates(
    src: PrincipalView, action: str, types: ActionTypes, group: frozenset[str], main: str
) -> list[str]:
    """Resources of a type in `group` to try for `action` next to `main` (same partition/region)."""
    parts = main.split(":", 5)
    partition, region = (parts[1], parts[3] or "us-east-1") if len(parts) == 6 else ("aws", "us-east-1")
    out: list[str] = []
    low = action.lower()
    for name in sorted(group):
        useful = _USEFUL.get((low, name))
        if useful is not None:
            out.extend(useful(partition, region, src.account))
            continue
        rt = types.type_named(name)
        if rt is None:
            continue
        for pat in src.allow_resource_patterns(action):
            if pat == "*":
                continue
            cand = instantiate(pat, src)
            if name in types.types_of(cand):
                out.append(cand)
        out.append(rt.example(partition=partition, region=region, account=src.account))
    return list(dict.fromkeys(out))


def with_companions(main: Grant, companions: list[Grant | None]) -> Grant | None:
    """`main` joined with one grant per companion requirement (None when one has none)."""
    if not companions:
        return main
    if any(c is None for c in companions):
        return None
    parts = tuple(c for c in companions if c is not None)
    decisions = [main.result, *(p.result for p in parts)]
    d = combine(decisions)
    keys = frozenset().union(*(r.unknown_keys for r in decisions)) if d.value == "Unknown" else frozenset()
    res = replace(main.result, decision=d, unknown_keys=keys)  # the main request's citations and chosen context
    return JointGrant(main.action, main.resource, res, by=main.by, parts=parts)


def best(grants: list[Grant]) -> Grant | None:
    """The most permissive grant (Allowed before Unknown), first one on ties."""
    out: Grant | None = None
    for g in grants:
        if out is None or decision_rank(g.result.decision) > decision_rank(out.result.decision):
            out = g
    return out


__all__ = [
    "COMMAND_DOCUMENTS",
    "JointGrant",
    "Shape",
    "shape",
    "keep_candidate",
    "companion_candidates",
    "with_companions",
    "best",
]
