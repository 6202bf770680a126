"""Query / Finding contract. A query is a module in queries/ defining QUERY (a Query)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from ..graph.model import IamGraph
from ..techniques.evidence import Evidence


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"critical": 4, "high": 3, "medium": 2, "low": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Hop:
    src: str
    dst: str
    evidence: Evidence

    def to_json(self) -> dict[str, Any]:
        return {"from": self.src, "to": self.dst, **self.evidence.to_json()}


@dataclass(frozen=True)
class Finding:
    """One claim about the account; `conditional` findings are potential, never definite."""

    query: str
    severity: Severity
    title: str
    source: str
    target: str | None = None
    reaches_admin: bool = False
    path: tuple[Hop, ...] = ()
    remediation: str = ""
    alternatives: int = 0
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    conditional_override: bool | None = None
    incomplete: tuple[str, ...] = ()
    admin_account: str | None = None      # the account whose admin the finding reaches (issue 12)

    @property
    def conditional(self) -> bool:
        if self.conditional_override is not None:
            return self.conditional_override
        return any(h.evidence.conditional for h in self.path)

    @property
    def id(self) -> str:
        """Stable fingerprint: query, source, target and the techniques along the path."""
        basis = "|".join([self.query, self.source, self.target or "", ",".join(h.evidence.technique for h in self.path),
                          str(self.details.get("fingerprint", ""))])
        return hashlib.sha256(basis.encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "query": self.query, "severity": self.severity.value, "title": self.title,
            "source": self.source, "target": self.target, "reaches_admin": self.reaches_admin,
            "conditional": self.conditional, "path": [h.to_json() for h in self.path],
            "remediation": self.remediation,
        }
        if self.alternatives:
            d["alternative_paths"] = self.alternatives
        if self.incomplete:
            d["incomplete"] = list(self.incomplete)
        if self.admin_account:
            d["admin_account"] = self.admin_account
        shown = {k: v for k, v in self.details.items() if k != "fingerprint"}
        if shown:
            d["details"] = shown
        return d


class Query(Protocol):
    name: str
    description: str

    def run(self, graph: IamGraph, **params: Any) -> list[Finding]:
        """Findings for this graph; params come from the CLI (e.g. principal=...)."""
        ...


@dataclass(frozen=True)
class SimpleQuery:
    """A query made of a name, a description and a function."""

    name: str
    description: str
    fn: Any
    needs: tuple[str, ...] = ()          # required params (e.g. ("principal",)); run by default if empty

    def run(self, graph: IamGraph, **params: Any) -> list[Finding]:
        return list(self.fn(graph, **params))
