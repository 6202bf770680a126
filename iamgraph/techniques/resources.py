"""Concrete resource ARNs to test an action on when the attacker chooses the resource."""

from __future__ import annotations

from ..evaluate.request_keys import is_region
from .principal import PrincipalView

MAX_REGION_VARIANTS = 4  # regions named by aws:RequestedRegion conditions tried besides the template's


def instantiate(pattern: str, src: PrincipalView) -> str:
    """Turn a resource pattern into one concrete ARN it matches (variables from the principal)."""
    text = src.substitute(pattern, "iamgraph")
    parts = text.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn":
        if parts[3] in ("*", "?*", "*?"):
            parts[3] = "us-east-1"
        if parts[4] == "*":
            parts[4] = src.account
        text = ":".join(parts)
    return text.replace("*", "iamgraph").replace("?", "x")


def candidate_resources(src: PrincipalView, action: str, template: str) -> list[str]:
    """The template (with `{account}`) plus each allowed resource pattern of the same service."""
    concrete = template.format(account=src.account)
    out = [concrete]
    svc = concrete.split(":")[2] if concrete.startswith("arn:") else ""
    for pat in src.allow_resource_patterns(action):
        if pat == "*":
            continue
        cand = instantiate(pat, src)
        parts = cand.split(":")
        if svc and (len(parts) < 6 or parts[2] not in (svc, "iamgraph")):
            continue
        out.append(cand)
    return list(dict.fromkeys(out + region_variants(src, out)))


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


def region_variants(src: PrincipalView, arns: list[str]) -> list[str]:
    """Copies of the regional ARNs in `arns` in each region the principal's policies name."""
    regions = requested_regions(src)
    out: list[str] = []
    if not regions:
        return out
    for arn in arns:
        parts = arn.split(":", 5)
        if len(parts) == 6 and is_region(parts[3]):
            out.extend(":".join([*parts[:3], r, *parts[4:]]) for r in regions if r != parts[3])
    return out
