"""Tag each disagreement with the known class that explains it (first match wins).

Each class is one rule where iamgraph and iam-simulate differ; README.md gives the AWS doc that
decides it. Unclassified disagreements are printed for investigation.
"""

from __future__ import annotations

import json
import re
from typing import Any

DATE_OPS = re.compile(r"date", re.I)


def _docs(r: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(r.get("identity_policies") or []) + list(r.get("permission_boundaries") or [])
    for k in ("resource_policy", "session_policy"):
        if r.get(k):
            out.append(r[k])
    for lv in (r.get("scps") or []) + (r.get("rcps") or []):
        out.extend(lv)
    return out


def _stmts(r):
    for d in _docs(r):
        st = d.get("Statement", [])
        for s in st if isinstance(st, list) else [st]:
            yield d, s


def _conds(r):
    for _, s in _stmts(r):
        for op, kv in (s.get("Condition") or {}).items():
            for k, v in kv.items():
                yield op, k, (v if isinstance(v, list) else [v])


def _is_epoch(v: str) -> bool:
    return isinstance(v, str) and v.strip().isdigit()


def classify(r: dict[str, Any]) -> str:
    ctx = {k.lower(): v for k, v in (r.get("context") or {}).items()}
    if any(d.get("Version") != "2012-10-17" and "${" in json.dumps(d) for d in _docs(r)):
        return "version-2008-literal-variables"
    if "aws-service-role/" in r["principal"] and r.get("scps"):
        return "slr-exempt-from-scps"
    for op, k, vals in _conds(r):
        if DATE_OPS.search(op):
            c = ctx.get(k.lower())
            kinds = {_is_epoch(v) for v in vals} | ({_is_epoch(c)} if isinstance(c, str) else set())
            if len(kinds) > 1:
                return "date-epoch-seconds-vs-iso"
        if "ipaddress" in op.lower():
            c = ctx.get(k.lower())
            if any(str(v).endswith("/0") for v in vals):
                return "ip-cidr-slash-0"
            if isinstance(c, str) and any((":" in c) != (":" in v) for v in vals):
                return "ip-family-mismatch"
        if op.lower().startswith("numeric") and any("e" in str(v).lower() for v in vals):
            return "numeric-exponent-literal"
        if (
            op.lower().startswith(("foranyvalue", "forallvalues"))
            and op.lower().endswith("ifexists")
            and (k.lower() not in ctx or ctx.get(k.lower()) in ([], ""))
        ):
            return "set-operator-ifexists-missing-key"
        if (
            k.lower() in ctx
            and ctx[k.lower()] == []
            and (op.lower() == "null" or "ifexists" in op.lower() or "not" in op.lower())
        ):
            return "empty-list-is-null-data-set"
        if op.lower().startswith(("foranyvalue", "forallvalues")) and ctx.get(k.lower()) == "":
            return "empty-string-is-empty-set"
        if any(x in str(v) for v in vals for x in ("${*}", "${?}", "${$}")) and "like" not in op.lower():
            return "special-char-variable-outside-like"
        if isinstance(ctx.get(k.lower()), list) and not op.lower().startswith(("foranyvalue", "forallvalues", "null")):
            return "multivalued-key-without-set-operator"
        if op.lower().startswith("arn") and any("${" in v.rsplit(":", 1)[0] for v in vals if v.count(":") >= 5):
            return "arn-operator-variable-before-fifth-colon"
    for _, s in _stmts(r):
        pats = s.get("Resource", s.get("NotResource"))
        pats = pats if isinstance(pats, list) else [pats] if pats else []
        if any(
            p != "*" and (p.count(":") < 5 or re.search(r"\*[^:*]", p.split(":")[0] if p.count(":") < 5 else ""))
            for p in pats
        ) or any(re.search(r"\*[^:]*:", p) and not re.search(r"\*:", p) for p in pats if p.count(":") >= 5 and False):
            return "malformed-short-arn-pattern"
    rp = r.get("resource_policy") or {}
    if "NotPrincipal" in json.dumps(rp):
        return "notprincipal-needs-whole-chain"
    if r.get("session_policy") and rp:
        return "resource-policy-naming-session-not-limited-by-session-policy"
    return "UNCLASSIFIED"
