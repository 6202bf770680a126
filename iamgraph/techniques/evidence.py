"""Edge evidence: which technique, which actions, which statements allow each one."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ..evaluate.context_keys import classify
from ..evaluate.types import Decision, Result, StatementRef


class EdgeKind(str, Enum):
    MEMBERSHIP = "membership"
    ASSUME_ROLE = "assume_role"
    PASS_ROLE = "pass_role"
    SELF_ESCALATION = "self_escalation"
    PRINCIPAL_ACCESS = "principal_access"
    EXISTING_RESOURCE = "existing_resource"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True, init=False)
class Grant:
    """One action on one resource and the evaluator's answer for it."""

    action: str
    resource: str
    result: Result
    by: str = ""  # the principal that makes this request, when not the edge's source (two-principal steps)

    def __init__(self, action: str, resource: str, result: Result, by: str = "") -> None:
        # what the generated __init__ of a frozen dataclass does, through the slots' own setters
        # (a build makes tens of thousands; tests/techniques/test_evidence_init.py pins the fields)
        _g_action(self, action)
        _g_resource(self, resource)
        _g_result(self, result)
        _g_by(self, by)

    @property
    def conditional(self) -> bool:
        return self.result.decision is Decision.UNKNOWN

    def to_json(self) -> list[dict[str, object]]:
        """One evidence row per allowing statement (at least one row). Requests the attacker makes
        first (e.g. tagging the target) come before, marked `"step"`; values the attacker chose for
        keys it controls are the row's `"context"`, the credential it uses `"credential"`."""
        rows: list[dict[str, object]] = []
        for st in self.result.steps:
            for step_row in Grant(st.action, st.resource or self.resource, st.result).to_json():
                step_row["step"] = f"before {self.action}" if st.resource else f"with {self.action}"
                rows.append(step_row)
        refs: tuple[StatementRef, ...] = self.result.allowed_by
        for ref in refs or (None,):
            row: dict[str, object] = {"action": self.action, "resource": self.resource}
            if ref is not None:
                row.update(ref.to_json())
            else:
                row["policy"] = None
            if self.result.context:
                row["context"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.result.context}
            if self.result.credential:
                row["credential"] = self.result.credential
            if self.by:
                row["performed_by"] = self.by
            if self.conditional:
                row["conditional"] = True
                row["condition_keys"] = sorted(self.result.unknown_keys)
                if self.result.denied_by:  # the Deny statements whose undecided condition keeps it open
                    row["denied_by"] = [d.to_json() for d in self.result.denied_by]
            rows.append(row)
        return rows


@dataclass(frozen=True, slots=True, init=False)
class Evidence:
    """Everything that justifies one edge. `conditional` edges are potential, never definite."""

    technique: str
    kind: EdgeKind
    grants: tuple[Grant, ...] = ()
    missing: tuple[str, ...] = ()  # data the analysis lacks (e.g. inventory), makes it potential
    via: str | None = None  # intermediate resource/principal (function ARN, target role, ...)
    note: str = ""
    extra_conditions: tuple[str, ...] = ()  # condition keys from elsewhere (e.g. the target's trust policy)
    # decided by __init__ (a slot, not a property: the build and the queries read it per edge)
    conditional: bool = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        technique: str,
        kind: EdgeKind,
        grants: tuple[Grant, ...] = (),
        missing: tuple[str, ...] = (),
        via: str | None = None,
        note: str = "",
        extra_conditions: tuple[str, ...] = (),
    ) -> None:
        # the generated __init__ of a frozen dataclass, through the slots' own setters (one
        # Evidence per edge: tens of thousands a build; tests/techniques/test_evidence_init.py)
        _e_technique(self, technique)
        _e_kind(self, kind)
        _e_grants(self, grants)
        _e_missing(self, missing)
        _e_via(self, via)
        _e_note(self, note)
        _e_extra_conditions(self, extra_conditions)
        # immutable: decided once, stored on the object (no process-global cache); as
        # `bool(missing) or bool(extra_conditions) or any(g.conditional for g in grants)`
        conditional = bool(missing) or bool(extra_conditions)
        if not conditional:
            for g in grants:
                if g.result.decision is _UNKNOWN:
                    conditional = True
                    break
        _e_conditional(self, conditional)

    @property
    def actions(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for g in self.grants:
            for st in g.result.steps:  # e.g. iam:TagRole before the action it unlocks
                seen.setdefault(st.action, None)
            seen.setdefault(g.action, None)
        return tuple(seen)

    @property
    def conditions(self) -> tuple[str, ...]:
        keys: set[str] = set(self.extra_conditions)
        for g in self.grants:
            if g.conditional:
                keys.update(g.result.unknown_keys)
        return tuple(sorted(keys))

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {
            "technique": self.technique,
            "kind": self.kind.value,
            "actions": list(self.actions),
            "evidence": [row for g in self.grants for row in g.to_json()],
            "conditional": self.conditional,
            "conditions": list(self.conditions),
        }
        if self.conditions:  # who decides each key that kept this hop conditional (docs/condition-keys.md)
            d["condition_classes"] = {k: classify(k).value for k in self.conditions}
        if self.missing:
            d["missing"] = list(self.missing)
        if self.via:
            d["via"] = self.via
        if self.note:
            d["note"] = self.note
        return d


# the slots' setters (member descriptors: they store without the frozen __setattr__ check)
_g_action, _g_resource, _g_result, _g_by = (Grant.__dict__[f].__set__ for f in ("action", "resource", "result", "by"))
(_e_technique, _e_kind, _e_grants, _e_missing, _e_via, _e_note, _e_extra_conditions, _e_conditional) = (
    Evidence.__dict__[f].__set__
    for f in ("technique", "kind", "grants", "missing", "via", "note", "extra_conditions", "conditional")
)
_UNKNOWN = Decision.UNKNOWN


def combine(decisions: list[Result]) -> Decision:
    """Conjunction of several results: all Allowed -> Allowed; any impossible -> that; else Unknown."""
    out = Decision.ALLOWED
    for r in decisions:
        if r.decision in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY):
            return r.decision
        if r.decision is Decision.UNKNOWN:
            out = Decision.UNKNOWN
    return out
