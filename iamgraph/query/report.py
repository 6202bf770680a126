"""The typed report: what every renderer, the gate, diff and what-if consume.

`Report.to_json()` is the only writer of the JSON output contract (docs/output-format.md);
`Report.from_json()` reads a saved result back (baselines, `diff`), raising InputError with the
JSON path on a malformed one. Records keep fields of a newer version they do not know (`extra`),
so a result read and written again loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, TypeVar

from ..errors import InputError
from ..model import NodeKind
from ..model.slot_init import slot_init
from .base import DataNeed, QueryDef, QueryKind
from .severity import SEVERITIES, Severity

REPORT_SCHEMA_VERSION = "1.1"  # 1.1: admin_account, per-account admin sinks (issue 12)
Json = Any


# ---- leaf records ------------------------------------------------------------------------------


@slot_init
@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceRow:
    """One allowing statement of a hop: action, resource and the statement cited (ordered JSON fields)."""

    data: tuple[tuple[str, Json], ...]

    def get(self, key: str, default: Json = None) -> Json:
        for k, v in self.data:
            if k == key:
                return v
        return default

    @property
    def action(self) -> str:
        return str(self.get("action") or "")

    @property
    def resource(self) -> str:
        return str(self.get("resource") or "")

    @property
    def policy(self) -> str | None:
        p = self.get("policy")
        return None if p is None else str(p)

    @property
    def statement(self) -> int | None:
        s = self.get("statement")
        return s if isinstance(s, int) and not isinstance(s, bool) else None

    @property
    def sid(self) -> str:
        return str(self.get("sid") or "")

    def to_json(self) -> dict[str, Json]:
        return dict(self.data)

    @classmethod
    def from_json(cls, obj: Json, *, file: str, path: str) -> EvidenceRow:
        if not isinstance(obj, dict):
            raise InputError("an evidence row must be an object", file=file, path=path)
        return cls(data=tuple(obj.items()))


_HOP_KEYS = (
    "from",
    "to",
    "technique",
    "kind",
    "actions",
    "evidence",
    "conditional",
    "conditions",
    "missing",
    "via",
    "note",
)


@slot_init
@dataclass(frozen=True, slots=True, kw_only=True)
class HopRecord:
    """One step of a finding's path, with the statements that allow it."""

    src: str
    dst: str
    technique: str
    kind: str  # EdgeKind value (membership, pass_role, admin, ...)
    actions: tuple[str, ...] = ()
    evidence: tuple[EvidenceRow, ...] = ()
    conditional: bool = False
    conditions: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    via: str | None = None
    note: str = ""
    extra: tuple[tuple[str, Json], ...] = ()

    @property
    def label(self) -> str:
        """The technique id, or the edge kind when there is none."""
        return self.technique or self.kind

    def to_json(self) -> dict[str, Json]:
        d: dict[str, Json] = {
            "from": self.src,
            "to": self.dst,
            "technique": self.technique,
            "kind": self.kind,
            "actions": list(self.actions),
            "evidence": [e.to_json() for e in self.evidence],
            "conditional": self.conditional,
            "conditions": list(self.conditions),
        }
        if self.missing:
            d["missing"] = list(self.missing)
        if self.via:
            d["via"] = self.via
        if self.note:
            d["note"] = self.note
        d.update(self.extra)
        return d

    @classmethod
    def from_json(cls, obj: Json, *, file: str, path: str) -> HopRecord:
        if not isinstance(obj, dict):
            raise InputError("a path hop must be an object", file=file, path=path)
        return cls(
            src=_opt_str(obj, "from", file, path) or "",
            dst=_opt_str(obj, "to", file, path) or "",
            technique=str(obj.get("technique") or ""),
            kind=str(obj.get("kind") or ""),
            actions=_strs(obj, "actions", file, path),
            evidence=tuple(
                EvidenceRow.from_json(e, file=file, path=f"{path}.evidence[{i}]")
                for i, e in enumerate(_list(obj, "evidence", file, path))
            ),
            conditional=bool(obj.get("conditional")),
            conditions=_strs(obj, "conditions", file, path),
            missing=_strs(obj, "missing", file, path),
            via=_opt_str(obj, "via", file, path),
            note=str(obj.get("note") or ""),
            extra=tuple((k, v) for k, v in obj.items() if k not in _HOP_KEYS),
        )


_FINDING_KEYS = (
    "id",
    "query",
    "severity",
    "title",
    "source",
    "target",
    "reaches_admin",
    "conditional",
    "path",
    "remediation",
    "alternative_paths",
    "incomplete",
    "details",
)


@slot_init
@dataclass(frozen=True, slots=True, kw_only=True)
class FindingRecord:
    """One finding as the output contract states it (built from a query Finding or read from a result)."""

    id: str
    query: str
    severity_name: str  # as written; `severity` is None for one this version lacks
    title: str
    source: str
    target: str | None
    reaches_admin: bool
    conditional: bool
    path: tuple[HopRecord, ...] = ()
    remediation: str = ""
    alternatives: int = 0
    incomplete: tuple[str, ...] = ()
    details: Mapping[str, Json] | None = None
    extra: tuple[tuple[str, Json], ...] = ()

    @property
    def severity(self) -> Severity | None:
        return Severity.lenient(self.severity_name)

    @property
    def rank(self) -> int:
        """Severity rank; 0 for an unknown severity (which never trips a gate)."""
        sev = self.severity
        return sev.rank if sev is not None else 0

    def detail(self, key: str) -> Json:
        return (self.details or {}).get(key)

    def with_incomplete(self, reasons: Sequence[str]) -> FindingRecord:
        """The same finding with more incompleteness reasons (its id is unchanged)."""
        merged = tuple(dict.fromkeys([*self.incomplete, *reasons]))
        return self if merged == self.incomplete else replace(self, incomplete=merged)

    def to_json(self, hops: dict[int, tuple[HopRecord, dict[str, Json]]] | None = None) -> dict[str, Json]:
        """The finding's JSON object. `hops` (id of a HopRecord -> that record and its dict): a hop
        record already written is given as that same dict (for a document nobody changes)."""
        d: dict[str, Json] = {
            "id": self.id,
            "query": self.query,
            "severity": self.severity_name,
            "title": self.title,
            "source": self.source,
            "target": self.target,
            "reaches_admin": self.reaches_admin,
            "conditional": self.conditional,
            "path": [h.to_json() for h in self.path] if hops is None else [_hop_json(h, hops) for h in self.path],
            "remediation": self.remediation,
        }
        if self.alternatives:
            d["alternative_paths"] = self.alternatives
        if self.incomplete:
            d["incomplete"] = list(self.incomplete)
        if self.details is not None:
            d["details"] = dict(self.details)
        d.update(self.extra)
        return d

    @classmethod
    def from_json(cls, obj: Json, *, file: str, path: str) -> FindingRecord:
        if not isinstance(obj, dict):
            raise InputError("a finding must be an object", file=file, path=path)
        fid = obj.get("id")
        if not isinstance(fid, str) or not fid:
            raise InputError('finding without a string "id"', file=file, path=f"{path}.id")
        details = obj.get("details")
        if details is not None and not isinstance(details, dict):
            raise InputError('"details" must be an object', file=file, path=f"{path}.details")
        alternatives = obj.get("alternative_paths", 0)
        return cls(
            id=fid,
            query=str(obj.get("query") or ""),
            severity_name=str(obj.get("severity") or ""),
            title=str(obj.get("title") or ""),
            source=str(obj.get("source") or ""),
            target=_opt_str(obj, "target", file, path),
            reaches_admin=bool(obj.get("reaches_admin")),
            conditional=bool(obj.get("conditional")),
            path=tuple(
                HopRecord.from_json(h, file=file, path=f"{path}.path[{i}]")
                for i, h in enumerate(_list(obj, "path", file, path))
            ),
            remediation=str(obj.get("remediation") or ""),
            alternatives=alternatives if isinstance(alternatives, int) else 0,
            incomplete=_strs(obj, "incomplete", file, path),
            details=details,
            extra=tuple((k, v) for k, v in obj.items() if k not in _FINDING_KEYS),
        )


def _hop_json(hop: HopRecord, written: dict[int, tuple[HopRecord, dict[str, Json]]]) -> dict[str, Json]:
    """`hop.to_json()`, the same dict for the same record object (kept alive in `written`)."""
    held = written.get(id(hop))
    if held is None or held[0] is not hop:
        held = written[id(hop)] = (hop, hop.to_json())
    return held[1]


@slot_init
@dataclass(frozen=True, slots=True, kw_only=True)
class NodeInfo:
    """What the graph says about a node a finding names: its kind and display label."""

    kind: NodeKind | None  # None: not a graph node (e.g. a resource ARN)
    label: str
    hub: bool = False  # one node standing for many roles a service may run as

    def to_json(self) -> dict[str, Json]:
        d: dict[str, Json] = {"kind": self.kind.value if self.kind else None, "label": self.label}
        if self.hub:
            d["hub"] = True
        return d


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryInfo:
    """The self-description of a query that contributed findings (from its QueryDef)."""

    id: str
    title: str
    description: str
    severity: Severity
    kind: QueryKind
    needs: frozenset[DataNeed] = frozenset()

    @classmethod
    def of(cls, q: QueryDef[Any]) -> QueryInfo:
        return cls(id=q.id, title=q.title, description=q.description, severity=q.severity, kind=q.kind, needs=q.needs)

    def to_json(self) -> dict[str, Json]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "severity": self.severity.value,
            "kind": self.kind.value,
            "needs": sorted(n.value for n in self.needs),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppressed:
    """A finding a live suppression silenced, and why."""

    finding: FindingRecord
    reason: str
    suppression: int
    expires: str | None = None

    def to_json(self) -> dict[str, Json]:
        return {
            "finding": self.finding.to_json(),
            "reason": self.reason,
            "suppression": self.suppression,
            "expires": self.expires,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineEffect:
    """What the baseline filter removed: counts relative to the baseline file."""

    file: str
    new: int
    resolved: int
    unchanged: int

    def to_json(self) -> dict[str, Json]:
        return {"file": self.file, "new": self.new, "resolved": self.resolved, "unchanged": self.unchanged}


@dataclass(frozen=True, slots=True, kw_only=True)
class GateResult:
    """The `--fail-on` verdict: the ids at or above the threshold, and whether incompleteness blocked a pass."""

    fail_on: Severity | None
    failing: tuple[str, ...]
    incomplete: bool = False  # the analysis is incomplete (exit 3 unless --allow-incomplete)
    allow_incomplete: bool = False

    def to_json(self) -> dict[str, Json]:
        d: dict[str, Json] = {"fail_on": self.fail_on.value if self.fail_on else None, "failing": list(self.failing)}
        if self.incomplete:
            d["incomplete"] = True
            d["allow_incomplete"] = self.allow_incomplete
        return d


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangedFinding:
    before: FindingRecord
    after: FindingRecord
    changes: tuple[str, ...]

    def to_json(self) -> dict[str, Json]:
        return {"before": self.before.to_json(), "after": self.after.to_json(), "changes": list(self.changes)}


@dataclass(frozen=True, slots=True, kw_only=True)
class DiffResult:
    """New, resolved and changed findings between two results."""

    new: tuple[FindingRecord, ...]
    resolved: tuple[FindingRecord, ...]
    changed: tuple[ChangedFinding, ...]
    unchanged: int

    def to_json(self) -> dict[str, Json]:
        return {
            "new": [f.to_json() for f in self.new],
            "resolved": [f.to_json() for f in self.resolved],
            "changed": [c.to_json() for c in self.changed],
            "unchanged": self.unchanged,
        }


class GapScope(str, Enum):
    """How far a data gap reaches: the whole analysis (IAM unread), or what depends on one kind of data."""

    ANALYSIS = "analysis"
    DEPENDENT = "dependent"


@dataclass(frozen=True, slots=True, kw_only=True)
class DataGap:
    """Data the analysis lacks: which kind, where, and why."""

    data: DataNeed
    what: str  # e.g. "IAM authorization details", "lambda inventory"
    account: str = ""
    region: str = ""
    detail: str = ""
    api: str = ""
    scope: GapScope = GapScope.DEPENDENT

    def text(self) -> str:
        where = " ".join(
            x
            for x in (
                f"account {self.account}" if self.account else "",
                f"in {self.region}" if self.region and self.region != "global" else "",
            )
            if x
        )
        return (
            f"{self.what} unreadable" + (f" ({where})" if where else "") + (f": {self.detail}" if self.detail else "")
        )

    def to_json(self) -> dict[str, Json]:
        return {
            "data": self.data.value,
            "what": self.what,
            "api": self.api,
            "account": self.account,
            "region": self.region,
            "detail": self.detail,
            "scope": self.scope.value,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Incompleteness:
    """Why the report may not tell the whole story: the gaps, and absent findings they may hide."""

    gaps: tuple[DataGap, ...] = ()
    callouts: tuple[str, ...] = ()  # "no path found, but lambda inventory was unreadable in eu-west-1"

    @property
    def analysis(self) -> bool:
        """True when IAM itself is missing or partial: nothing the report says can be relied on as complete."""
        return any(g.scope is GapScope.ANALYSIS for g in self.gaps)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(g.text() for g in self.gaps)

    def to_json(self) -> dict[str, Json]:
        return {
            "analysis": self.analysis,
            "reasons": list(self.reasons),
            "gaps": [g.to_json() for g in self.gaps],
            "callouts": list(self.callouts),
        }


class ReportKind(str, Enum):
    SCAN = "scan"
    DIFF = "diff"


# ---- the report ---------------------------------------------------------------------------------

_REPORT_KEYS = (
    "schema_version",
    "tool",
    "kind",
    "accounts",
    "summary",
    "findings",
    "warnings",
    "incomplete",
    "incomplete_principals",
    "suppressed",
    "suppressions_file",
    "baseline",
    "gate",
    "inputs",
    "compared_with",
    "diff",
    "queries",
    "nodes",
    "graph",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """A scan (or diff) result. Counts in the summary are derived from `findings` when written."""

    schema_version: str = REPORT_SCHEMA_VERSION
    tool_name: str = "iamgraph"
    tool_version: str = ""
    kind: ReportKind = ReportKind.SCAN
    accounts: tuple[str, ...] = ()
    principals: int = 0
    admins: int = 0
    findings: tuple[FindingRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    incomplete: Incompleteness | None = None
    incomplete_principals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    queries: tuple[QueryInfo, ...] = ()
    nodes: Mapping[str, NodeInfo] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    suppressed: tuple[Suppressed, ...] = ()
    suppressions_file: str | None = None
    baseline: BaselineEffect | None = None
    gate: GateResult | None = None
    compared_with: str | None = None
    diff: DiffResult | None = None
    graph: Mapping[str, Json] | None = None  # the HTML page's graph data; never in --format json
    extra: tuple[tuple[str, Json], ...] = ()

    # ---- derived views ---------------------------------------------------------------------------

    def query_kind(self, query_id: str) -> QueryKind | None:
        for q in self.queries:
            if q.id == query_id:
                return q.kind
        return None

    def query_info(self, query_id: str) -> QueryInfo | None:
        return next((q for q in self.queries if q.id == query_id), None)

    def escalations(self) -> list[FindingRecord]:
        """Findings of escalation queries (paths to admin)."""
        kinds = {q.id for q in self.queries if q.kind is QueryKind.ESCALATION}
        return [f for f in self.findings if f.query in kinds]

    def node(self, node_id: str) -> NodeInfo | None:
        return self.nodes.get(node_id)

    def node_kind(self, node_id: str) -> NodeKind | None:
        info = self.nodes.get(node_id)
        return info.kind if info else None

    def is_admin_sink(self, node_id: str) -> bool:
        return self.node_kind(node_id) is NodeKind.ADMIN

    def by_severity(self) -> dict[str, int]:
        counts = {s.value: 0 for s in SEVERITIES}
        for f in self.findings:
            counts[f.severity_name] = counts.get(f.severity_name, 0) + 1
        return counts

    @property
    def analysis_incomplete(self) -> bool:
        return self.incomplete is not None and self.incomplete.analysis

    def admin_path_sources(self) -> tuple[set[str], set[str]]:
        """(sources with a definite path to an admin sink, sources with any such path) over escalation and
        exploration findings (scan, path, reach): one count per principal, whichever query found it."""
        kinds = {q.id for q in self.queries if q.kind in (QueryKind.ESCALATION, QueryKind.EXPLORATION)}
        definite: set[str] = set()
        anyway: set[str] = set()
        for f in self.findings:
            if f.query in kinds and any(
                self.is_admin_sink(h.dst)
                or (self.node(h.dst) is None and (h.dst == "iamgraph:admin" or h.dst.startswith("iamgraph:admin:")))
                for h in f.path
            ):
                anyway.add(f.source)
                if not f.conditional:
                    definite.add(f.source)
        return definite, anyway

    def summary_json(self) -> dict[str, Json]:
        definite, potential = self.admin_path_sources()
        d: dict[str, Json] = {
            "principals": self.principals,
            "admins": self.admins,
            "findings": len(self.findings),
            "by_severity": {k: v for k, v in self.by_severity().items()},
            "reaching_admin": len(definite),
            "potential": len(potential - definite),
            "complete": self.incomplete is None or not self.incomplete.gaps,
        }
        if self.diff is not None:
            d.update(
                {
                    "new": len(self.diff.new),
                    "resolved": len(self.diff.resolved),
                    "changed": len(self.diff.changed),
                    "unchanged": self.diff.unchanged,
                }
            )
        return d

    # ---- the one writer of the JSON contract -------------------------------------------------------

    def to_json(self, *, include_graph: bool = True, share_hops: bool = False) -> dict[str, Json]:
        """The report as the documented JSON document (`graph` only when present and asked for).
        `share_hops`: findings holding the same hop record hold one dict for it (1,914 hops, 690
        records at 5,000 roles): only for a caller that reads the document and never changes it."""
        d: dict[str, Json] = {
            "schema_version": self.schema_version,
            "tool": {"name": self.tool_name, "version": self.tool_version},
        }
        if self.kind is not ReportKind.SCAN:
            d["kind"] = self.kind.value
        d["accounts"] = list(self.accounts)
        d["summary"] = self.summary_json()
        written: dict[int, tuple[HopRecord, dict[str, Json]]] | None = {} if share_hops else None
        d["findings"] = [f.to_json(written) for f in self.findings]
        d["warnings"] = list(self.warnings)
        if self.incomplete is not None and (self.incomplete.gaps or self.incomplete.callouts):
            d["incomplete"] = self.incomplete.to_json()
        if self.incomplete_principals:
            d["incomplete_principals"] = {k: list(v) for k, v in self.incomplete_principals.items()}
        if self.suppressions_file is not None or self.suppressed:
            d["suppressed"] = [s.to_json() for s in self.suppressed]
        if self.suppressions_file:
            d["suppressions_file"] = self.suppressions_file
        if self.baseline is not None:
            d["baseline"] = self.baseline.to_json()
        if self.gate is not None:
            d["gate"] = self.gate.to_json()
        if self.inputs:
            d["inputs"] = list(self.inputs)
        if self.compared_with is not None:
            d["compared_with"] = self.compared_with
        if self.diff is not None:
            d["diff"] = self.diff.to_json()
        d["queries"] = [q.to_json() for q in self.queries]
        d["nodes"] = {k: v.to_json() for k, v in sorted(self.nodes.items())}
        d.update(self.extra)
        if include_graph and self.graph is not None:
            d["graph"] = dict(self.graph)
        return d

    def with_findings(self, findings: Sequence[FindingRecord]) -> Report:
        return replace(self, findings=tuple(findings))

    # ---- reading a saved result ----------------------------------------------------------------------

    @classmethod
    def from_json(cls, obj: Json, *, file: str = "<report>") -> Report:
        """A saved result (or a report dict) as a Report; InputError naming the JSON path when malformed.
        Counts are recomputed from the findings; query kinds come from the result's `queries` member."""
        if not isinstance(obj, dict):
            raise InputError("an iamgraph result must be a JSON object", file=file, path="$")
        tool: dict[str, Json] = obj["tool"] if isinstance(obj.get("tool"), dict) else {}
        summary: dict[str, Json] = obj["summary"] if isinstance(obj.get("summary"), dict) else {}
        findings = tuple(
            FindingRecord.from_json(f, file=file, path=f"$.findings[{i}]")
            for i, f in enumerate(_list(obj, "findings", file, "$"))
        )
        suppressed = []
        for i, s in enumerate(_list(obj, "suppressed", file, "$")):
            at = f"$.suppressed[{i}]"
            if not isinstance(s, dict):
                raise InputError("a suppressed entry must be an object", file=file, path=at)
            sup = s.get("suppression")
            suppressed.append(
                Suppressed(
                    finding=FindingRecord.from_json(s.get("finding"), file=file, path=f"{at}.finding"),
                    reason=str(s.get("reason") or ""),
                    suppression=sup if isinstance(sup, int) else -1,
                    expires=s.get("expires") if isinstance(s.get("expires"), str) else None,
                )
            )
        queries = []
        for i, q in enumerate(_list(obj, "queries", file, "$")):
            if not isinstance(q, dict) or not isinstance(q.get("id"), str):
                raise InputError(
                    'a query entry must be an object with a string "id"', file=file, path=f"$.queries[{i}]"
                )
            queries.append(
                QueryInfo(
                    id=q["id"],
                    title=str(q.get("title") or ""),
                    description=str(q.get("description") or ""),
                    severity=Severity.lenient(q.get("severity")) or Severity.LOW,
                    kind=_enum(QueryKind, q.get("kind")) or QueryKind.EXPLORATION,
                    needs=frozenset(n for n in (_enum(DataNeed, x) for x in _seq(q.get("needs"))) if n),
                )
            )
        if "queries" not in obj:  # a result of a version before self-describing queries
            queries = _bundled_infos({f.query for f in findings} | {s.finding.query for s in suppressed})
        nodes: dict[str, NodeInfo] = {}
        raw_nodes = obj.get("nodes")
        if isinstance(raw_nodes, dict):
            for nid, n in raw_nodes.items():
                if isinstance(n, dict):
                    nodes[nid] = NodeInfo(
                        kind=_enum(NodeKind, n.get("kind")), label=str(n.get("label") or nid), hub=bool(n.get("hub"))
                    )
        elif isinstance(obj.get("graph"), dict):
            nodes = nodes_from_graph_export(obj["graph"])
        inc = obj.get("incomplete")
        incomplete = _incompleteness_from_json(inc, file) if isinstance(inc, dict) else None
        ip = obj.get("incomplete_principals")
        baseline = obj.get("baseline")
        gate = obj.get("gate")
        diff = obj.get("diff")
        kind = obj.get("kind")
        return cls(
            schema_version=str(obj.get("schema_version") or REPORT_SCHEMA_VERSION),
            tool_name=str(tool.get("name") or "iamgraph"),
            tool_version=str(tool.get("version") or ""),
            kind=ReportKind.DIFF if kind == "diff" else ReportKind.SCAN,
            accounts=tuple(str(a) for a in _seq(obj.get("accounts"))),
            principals=_int(summary.get("principals")),
            admins=_int(summary.get("admins")),
            findings=findings,
            warnings=tuple(str(w) for w in _seq(obj.get("warnings"))),
            incomplete=incomplete,
            incomplete_principals={str(k): tuple(map(str, _seq(v))) for k, v in ip.items()}
            if isinstance(ip, dict)
            else {},
            queries=tuple(queries),
            nodes=nodes,
            inputs=tuple(str(x) for x in _seq(obj.get("inputs"))),
            suppressed=tuple(suppressed),
            suppressions_file=obj.get("suppressions_file") if isinstance(obj.get("suppressions_file"), str) else None,
            baseline=BaselineEffect(
                file=str(baseline.get("file") or ""),
                new=_int(baseline.get("new")),
                resolved=_int(baseline.get("resolved")),
                unchanged=_int(baseline.get("unchanged")),
            )
            if isinstance(baseline, dict)
            else None,
            gate=GateResult(
                fail_on=Severity.lenient(gate.get("fail_on")),
                failing=tuple(str(x) for x in _seq(gate.get("failing"))),
                incomplete=bool(gate.get("incomplete")),
                allow_incomplete=bool(gate.get("allow_incomplete")),
            )
            if isinstance(gate, dict)
            else None,
            compared_with=obj.get("compared_with") if isinstance(obj.get("compared_with"), str) else None,
            diff=_diff_from_json(diff, file) if isinstance(diff, dict) else None,
            graph=obj.get("graph") if isinstance(obj.get("graph"), dict) else None,
            extra=tuple((k, v) for k, v in obj.items() if k not in _REPORT_KEYS),
        )


def _bundled_infos(ids: set[str]) -> list[QueryInfo]:
    """Descriptions of the bundled queries with these ids (unknown ids are left out)."""
    from .loader import load_queries

    known = load_queries()
    return [QueryInfo.of(known[i]) for i in sorted(ids) if i in known]


def nodes_from_graph_export(graph: Mapping[str, Json]) -> dict[str, NodeInfo]:
    """Node kinds and labels from a report's `graph` member (render/graph_data.graph_export)."""
    out: dict[str, NodeInfo] = {}
    for n in _seq(graph.get("nodes")):
        if isinstance(n, dict) and isinstance(n.get("id"), str):
            out[n["id"]] = NodeInfo(
                kind=_enum(NodeKind, n.get("kind")), label=str(n.get("label") or n["id"]), hub=bool(n.get("hub"))
            )
    return out


def _incompleteness_from_json(obj: dict[str, Json], file: str) -> Incompleteness:
    gaps = []
    for g in _seq(obj.get("gaps")):
        data = _enum(DataNeed, g.get("data")) if isinstance(g, dict) else None
        if isinstance(g, dict) and data is not None:
            gaps.append(
                DataGap(
                    data=data,
                    what=str(g.get("what") or ""),
                    account=str(g.get("account") or ""),
                    region=str(g.get("region") or ""),
                    detail=str(g.get("detail") or ""),
                    api=str(g.get("api") or ""),
                    scope=GapScope.ANALYSIS if g.get("scope") == "analysis" else GapScope.DEPENDENT,
                )
            )
    return Incompleteness(gaps=tuple(gaps), callouts=tuple(str(c) for c in _seq(obj.get("callouts"))))


def _diff_from_json(obj: dict[str, Json], file: str) -> DiffResult:
    def recs(key: str) -> tuple[FindingRecord, ...]:
        return tuple(
            FindingRecord.from_json(f, file=file, path=f"$.diff.{key}[{i}]")
            for i, f in enumerate(_list(obj, key, file, "$.diff"))
        )

    changed = []
    for i, c in enumerate(_list(obj, "changed", file, "$.diff")):
        at = f"$.diff.changed[{i}]"
        if not isinstance(c, dict):
            raise InputError("a changed entry must be an object", file=file, path=at)
        changed.append(
            ChangedFinding(
                before=FindingRecord.from_json(c.get("before"), file=file, path=f"{at}.before"),
                after=FindingRecord.from_json(c.get("after"), file=file, path=f"{at}.after"),
                changes=tuple(str(x) for x in _seq(c.get("changes"))),
            )
        )
    unchanged = obj.get("unchanged")
    return DiffResult(
        new=recs("new"),
        resolved=recs("resolved"),
        changed=tuple(changed),
        unchanged=unchanged if isinstance(unchanged, int) else 0,
    )


# ---- small JSON accessors --------------------------------------------------------------------------

E = TypeVar("E", bound=Enum)


def _enum(cls: type[E], value: Json) -> E | None:
    """The member of `cls` whose value is the string `value`; None for anything else (never raises)."""
    if not isinstance(value, str):
        return None
    try:
        return cls(value)
    except ValueError:
        return None


def _seq(value: Json) -> list[Json]:
    """A list member as a list; anything else (a string, an object, a number) as empty."""
    return value if isinstance(value, list) else []


def _int(value: Json) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _list(obj: dict[str, Json], key: str, file: str, path: str) -> list[Json]:
    v = obj.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        raise InputError(f'"{key}" must be a list', file=file, path=f"{path}.{key}")
    return v


def _strs(obj: dict[str, Json], key: str, file: str, path: str) -> tuple[str, ...]:
    return tuple(str(x) for x in _list(obj, key, file, path))


def _str(obj: dict[str, Json], key: str, file: str, path: str) -> str:
    v = obj.get(key)
    if not isinstance(v, str):
        raise InputError(f'"{key}" must be a string', file=file, path=f"{path}.{key}")
    return v


def _opt_str(obj: dict[str, Json], key: str, file: str, path: str) -> str | None:
    v = obj.get(key)
    if v is not None and not isinstance(v, str):
        raise InputError(f'"{key}" must be a string or null', file=file, path=f"{path}.{key}")
    return v
