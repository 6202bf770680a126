"""Concrete resource ARNs to test an action on when the attacker chooses the resource."""

from __future__ import annotations

from .principal import PrincipalView


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
    return list(dict.fromkeys(out))
