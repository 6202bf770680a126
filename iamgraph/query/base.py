"""Query / Finding contract. A query is a module in queries/ defining QUERY (a QueryDef): it describes
itself (id, title, description, severity, kind, typed parameters, the data it needs) and runs over a graph."""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from ..errors import InputError
from ..graph.model import IamGraph
from ..model.slot_init import slot_init
from ..techniques.evidence import Evidence
from .severity import Severity


@slot_init
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
    admin_account: str | None = None  # the account whose admin the finding reaches (issue 12)

    @property
    def conditional(self) -> bool:
        if self.conditional_override is not None:
            return self.conditional_override
        return any(h.evidence.conditional for h in self.path)

    @property
    def id(self) -> str:
        """Stable fingerprint: query, source, target and the techniques along the path."""
        basis = "|".join(
            [
                self.query,
                self.source,
                self.target or "",
                ",".join(h.evidence.technique for h in self.path),
                str(self.details.get("fingerprint", "")),
            ]
        )
        return hashlib.sha256(basis.encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "query": self.query,
            "severity": self.severity.value,
            "title": self.title,
            "source": self.source,
            "target": self.target,
            "reaches_admin": self.reaches_admin,
            "conditional": self.conditional,
            "path": [h.to_json() for h in self.path],
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


class QueryKind(str, Enum):
    """What a query's findings are, for summaries and renderers (never decided from the query id)."""

    ESCALATION = "escalation"  # paths to admin: counted as reaching_admin / potential, drawn as paths
    POSTURE = "posture"  # risky configuration (e.g. trust policies)
    INVENTORY = "inventory"  # facts (e.g. who is admin outright): paths are not escalations
    EXPLORATION = "exploration"  # answers to a question with parameters (reach, who-can, path)


class DataNeed(str, Enum):
    """Data a query's answer may depend on beyond IAM (a gap in it is called out on the report)."""

    IAM = "iam"
    INVENTORY = "inventory"
    RESOURCE_POLICIES = "resource_policies"
    ORGANIZATION = "organization"  # SCPs and RCPs
    IDENTITY_CENTER = "identity_center"


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    """One parameter of a query (a field of its parameter dataclass)."""

    name: str
    type: type
    required: bool
    default: object
    help: str = ""
    positional: bool = False  # a positional argument of the query's own CLI command


_SCALARS: tuple[type, ...] = (str, int, float, bool)
P = TypeVar("P")


def _convert(value: object, typ: type, *, query: str, name: str, where: str) -> object:
    if isinstance(value, typ) and not (typ is int and isinstance(value, bool)):
        return value
    text = str(value)
    try:
        if typ is bool:
            low = text.strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        return typ(text)
    except ValueError:
        raise InputError(
            f"query {query}: parameter {name} must be {typ.__name__}, not {text!r}", file="<command line>", path=where
        ) from None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryDef(Generic[P]):
    """A self-describing query. `params` is a frozen dataclass type (None: no parameters); `run`
    gets the graph and an instance of it. `default` queries run in `scan` without `--query`;
    `command` queries also get their own CLI command named by the id (positional fields first)."""

    id: str
    title: str
    description: str
    severity: Severity  # the highest severity its findings carry
    kind: QueryKind
    fn: Callable[..., Iterable[Finding]]
    params: type[P] | None = None
    needs: frozenset[DataNeed] = frozenset({DataNeed.IAM})
    default: bool = False
    command: bool = False

    @property
    def name(self) -> str:
        """Former name of `id` (user queries written for older versions)."""
        return self.id

    def parameters(self) -> tuple[Param, ...]:
        if self.params is None:
            return ()
        hints = typing.get_type_hints(self.params)
        out = []
        for f in dataclasses.fields(self.params):  # type: ignore[arg-type]
            typ = hints.get(f.name, str)
            args = [a for a in typing.get_args(typ) if a is not type(None)]
            if typing.get_origin(typ) is not None and len(args) == 1:
                typ = args[0]  # Optional[X] -> X
            if typ not in _SCALARS:
                raise TypeError(f"query {self.id}: parameter {f.name} must be str, int, float or bool")
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            out.append(
                Param(
                    name=f.name,
                    type=typ,
                    required=required,
                    default=None if required else f.default,
                    help=str(f.metadata.get("help", "")),
                    positional=bool(f.metadata.get("positional", False)),
                )
            )
        return tuple(out)

    def parse_params(self, raw: Mapping[str, object], *, where: str = "--param") -> P | None:
        """The parameter dataclass from `raw` (strings from the command line, or typed values);
        a missing required, unknown or ill-typed parameter is one InputError."""
        params = self.parameters()
        known = {p.name: p for p in params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            have = ", ".join(known) or "none"
            raise InputError(
                f"query {self.id} has no parameter {unknown[0]!r} (parameters: {have})",
                file="<command line>",
                path=where,
            )
        missing = [p.name for p in params if p.required and p.name not in raw]
        if missing:
            raise InputError(
                f"query {self.id} needs parameter(s) {', '.join(missing)}: give "
                + " ".join(f"--param {self.id}.{m}=VALUE" for m in missing)
                + (f" (or use `iamgraph {self.id}`)" if self.command else ""),
                file="<command line>",
                path=where,
            )
        if self.params is None:
            return None
        values = {k: _convert(v, known[k].type, query=self.id, name=k, where=where) for k, v in raw.items()}
        return self.params(**values)

    def run(self, graph: IamGraph, params: P | Mapping[str, object] | None = None) -> list[Finding]:
        """Findings for this graph; `params` is the parameter dataclass (or a mapping parsed into it)."""
        if params is None or isinstance(params, Mapping):
            params = self.parse_params(dict(params or {}))
        if params is None:
            return list(self.fn(graph))
        return list(self.fn(graph, params))


def SimpleQuery(
    name: str, description: str, fn: Callable[..., Iterable[Finding]], needs: tuple[str, ...] = ()
) -> QueryDef[Any]:
    """A query written for older versions: a name, a description and `fn(graph, **params)` whose
    required keyword parameters are `needs` (all strings)."""
    fields_ = [(n, str) for n in needs]
    params = (
        dataclasses.make_dataclass(f"{name.replace('-', '_')}_params", fields_, frozen=True, kw_only=True)
        if needs
        else None
    )

    def call(graph: IamGraph, p: object = None) -> Iterable[Finding]:
        return fn(graph, **(dataclasses.asdict(p) if p is not None else {}))  # type: ignore[call-overload]

    return QueryDef(
        id=name,
        title=description.rstrip("."),
        description=description,
        severity=Severity.LOW,
        kind=QueryKind.EXPLORATION,
        fn=call,
        params=params,
    )


Query = QueryDef  # the name other modules use for "a loaded query"
