"""Concrete resource ARNs to test an action on when the attacker chooses the resource."""

from __future__ import annotations

from functools import lru_cache

from ..evaluate.request_keys import is_region
from .principal import PrincipalView

MAX_REGION_VARIANTS = 4  # regions named by aws:RequestedRegion conditions tried besides the template's


def instantiate(pattern: str, src: PrincipalView) -> str:
    """Turn a resource pattern into one concrete ARN it matches (variables from the principal)."""
    return _fill(src.substitute(pattern, "iamgraph"), src.account)


def _fill(text: str, account: str) -> str:
    """`instantiate` of a pattern whose variables are filled in already: a wildcard region is
    us-east-1, a wildcard account `account`, other wildcards literal text."""
    parts = text.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn":
        if parts[3] in ("*", "?*", "*?"):
            parts[3] = "us-east-1"
        if parts[4] == "*":
            parts[4] = account
        text = ":".join(parts)
    return text.replace("*", "iamgraph").replace("?", "x")


def candidate_resources(src: PrincipalView, action: str, template: str) -> tuple[str, ...]:
    """The template (with `{account}`) plus each allowed resource pattern of the same service.
    Memoised per view, like the patterns it reads (`allow_resource_patterns`, `requested_regions`):
    the techniques of a source ask one (action, template) again; without a policy variable in
    the patterns, a function of the template, the account, the patterns and the regions alone,
    shared between sources (`_plain_candidates`)."""
    key = "\0candidates:" + action + "\0" + template
    hit = src._patterns.get(key)
    if hit is None:
        pats = src.allow_resource_patterns(action)
        regions = requested_regions(src)
        if any("${" in p for p in pats):
            hit = _candidates(template, src.account, pats, regions, src)
        else:
            hit = _plain_candidates(template, src.account, pats, regions)
        src._patterns[key] = hit
    return hit


@lru_cache(maxsize=8192)
def _plain_candidates(template: str, account: str, pats: tuple[str, ...], regions: tuple[str, ...]) -> tuple[str, ...]:
    """`_candidates` of patterns without a policy variable (which `instantiate` leaves as they
    are): a pure function of its four arguments, memoised like `keep_candidate`."""
    return _candidates(template, account, pats, regions, None)


def _candidates(
    template: str, account: str, pats: tuple[str, ...], regions: tuple[str, ...], src: PrincipalView | None
) -> tuple[str, ...]:
    """`candidate_resources` for these Allow patterns of the action and `requested_regions`;
    `src` fills the patterns' variables (None: they hold none)."""
    concrete = template.format(account=account)
    out = [concrete]
    svc = concrete.split(":")[2] if concrete.startswith("arn:") else ""
    for pat in pats:
        if pat == "*":
            continue
        cand = _fill(pat if src is None else src.substitute(pat, "iamgraph"), account)
        parts = cand.split(":")
        if svc and (len(parts) < 6 or parts[2] not in (svc, "iamgraph")):
            continue
        out.append(cand)
    return tuple(dict.fromkeys(out + _region_copies(regions, out)))


def requested_regions(src: PrincipalView) -> tuple[str, ...]:
    """Regions named (literally) by aws:RequestedRegion conditions of the principal's identity
    policies, boundary, SCPs and RCPs: the region of an attacker-named resource is the attacker's
    choice, and a request on a regional resource goes to its region (evaluate.request_keys)."""
    key = "\0requested-regions"
    hit = src._patterns.get(key)
    if hit is None:
        found: list[str] = []
        pols = (
            *src.policies.identity,
            *src.policies.boundaries,
            *(p for lvl in src.policies.scps for p in lvl),
            *(p for lvl in src.policies.rcps for p in lvl),
        )
        for pol in pols:
            for st in pol.document.statements:
                for c in st.conditions:
                    if c.key.lower() == "aws:requestedregion":
                        found.extend(v for v in c.values if is_region(v))
        hit = src._patterns[key] = tuple(dict.fromkeys(found))[:MAX_REGION_VARIANTS]
    return hit


def _region_copies(regions: tuple[str, ...], arns: list[str]) -> list[str]:
    """Copies of the regional ARNs in `arns` in each of `regions` (other than their own)."""
    out: list[str] = []
    if not regions:
        return out
    for arn in arns:
        parts = arn.split(":", 5)
        if len(parts) == 6 and is_region(parts[3]):
            out.extend(":".join([*parts[:3], r, *parts[4:]]) for r in regions if r != parts[3])
    return out
