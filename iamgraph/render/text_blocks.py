"""Terminal blocks for findings: what a person reads first, so each finding explains itself.

A block: severity and title; id (never wrapped), query and status; source -> target; each hop with its
technique id and name, the actions, every statement allowing them (policy, statement index, Sid, type,
attached to whom), the condition keys / missing data that make it conditional; the remediation. Lines
are wrapped to the console width at spaces only, so ARNs and ids stay whole. Pure: Report in, rich Text out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from rich.text import Text

from ..model.arn import resource_of
from ..query.report import EvidenceRow, FindingRecord, HopRecord, Report
from ..query.severity import SEVERITIES
from .terminal import clean

Labeller = Callable[[str], str]
_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "bold yellow", "low": "cyan"}
_ORDER = {s.value: i for i, s in enumerate(SEVERITIES)}
_KIND_WORDS = (("user/", "user"), ("role/", "role"), ("group/", "group"))


def ordered(findings: Iterable[FindingRecord]) -> list[FindingRecord]:
    """Most severe first, then by id (stable across runs)."""
    return sorted(findings, key=lambda f: (_ORDER.get(f.severity_name, 9), f.id))


@lru_cache(maxsize=1)
def _technique_names() -> dict[str, str]:
    from ..techniques.registry import by_id

    return {tid: str(getattr(t, "name", "") or "") for tid, t in by_id().items()}


def technique_name(technique: str) -> str:
    """The catalogue's name of a technique id ('' for pseudo techniques such as ``admin``, ``trust``)."""
    special = {
        "admin": "administrator",
        "member-of": "group membership",
        "trust": "trust policy",
        "direct": "allowed directly",
    }
    return special.get(technique) or _technique_names().get(technique, "")


def holder(arn: str) -> str:
    """``user freelancer`` / ``role deploy-admin`` / ``group admins`` for an IAM ARN, else the text."""
    resource = resource_of(arn) or arn
    for prefix, word in _KIND_WORDS:
        if resource.startswith(prefix):
            return f"{word} {resource.rsplit('/', 1)[-1]}"
    return arn


def citation(ev: EvidenceRow) -> str:
    """``policy lambda-freelance-dev statement 4 (Sid PassRole), inline, attached to user freelancer``."""
    policy = ev.get("policy")
    if not policy:
        return "no statement recorded"
    text = f"policy {policy}"
    if ev.get("statement") is not None:
        text += f" statement {ev.get('statement')}"
    if ev.get("sid"):
        text += f" (Sid {ev.get('sid')})"
    if ev.get("policy_type"):
        text += f", {ev.get('policy_type')}"
    if ev.get("attached_to"):
        text += f", attached to {holder(str(ev.get('attached_to')))}"
    return text


_GLUE = ("statement ", "(Sid ", "attached to ", " on *")  # kept on one line when wrapping


def _wrap(text: str, width: int, first: str, rest: str | None = None) -> list[str]:
    """`text` (cleaned) wrapped at spaces to `width`; words (ARNs, ids) are never split."""
    t = clean(text)
    for g in _GLUE:
        t = t.replace(g, g.replace(" ", "\x00"))
    lines = textwrap.wrap(
        t,
        width=max(width, 40),
        initial_indent=first,
        subsequent_indent=rest if rest is not None else first,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [ln.replace("\x00", " ") for ln in lines] or [first.rstrip()]


def wrap(text: str, width: int, first: str, rest: str | None = None) -> list[str]:
    """Public form of the block wrapper: `text` cleaned and wrapped at spaces, words never split."""
    return _wrap(text, width, first, rest)


def node_text(node_id: str, label: Labeller, report_nodes: Callable[[str], object] | None = None) -> str:
    """A node's label; a target that is no graph node (a resource ARN) is shown whole."""
    if report_nodes is not None and report_nodes(node_id) is None and node_id.startswith("arn:"):
        return node_id
    return label(node_id)


def _status(f: FindingRecord) -> str:
    return "conditional" if f.conditional else "definite"


def finding_line(f: FindingRecord, label: Labeller) -> Text:
    """One line per finding (``--quiet``): severity, id, path, query, status."""
    from .text import path_text

    out = Text()
    out.append(f.severity_name.upper().ljust(8), style=_STYLE.get(f.severity_name))
    out.append(f" {f.id}  ")
    out.append(clean(path_text(f, label)))
    out.append(f"  [{clean(f.query)}, {_status(f)}]")
    return out


def _attacker_lines(ev: EvidenceRow, width: int) -> list[str]:
    """The attacker's part of an evidence row: a step it takes first, who performs the action, the
    values it chose for keys it controls, the credential it uses (issue 10)."""
    lines: list[str] = []
    if ev.get("step"):
        lines += _wrap("attacker step: " + str(ev.get("step")), width, "       ", "         ")
    if ev.get("performed_by"):
        lines += _wrap("performed by " + str(ev.get("performed_by")), width, "       ", "         ")
    chosen = ev.get("context")
    if isinstance(chosen, dict) and chosen:
        parts = [
            f"{k}={'[' + ', '.join(map(str, v)) + ']' if isinstance(v, list) else v}" for k, v in sorted(chosen.items())
        ]
        lines += _wrap("attacker-chosen context: " + "; ".join(parts), width, "       ", "         ")
    if ev.get("credential"):
        lines += _wrap("credential: " + str(ev.get("credential")), width, "       ", "         ")
    return lines


def _hop_lines(
    i: int, hop: HopRecord, label: Labeller, width: int, nodes: Callable[[str], object] | None = None
) -> list[str]:
    name = technique_name(hop.technique or hop.kind)
    head = f"{i}. {node_text(hop.src, label, nodes)} -> {node_text(hop.dst, label, nodes)}: {hop.label}" + (
        f" ({name})" if name else ""
    )
    lines = _wrap(head, width, "  ", "     ")
    if hop.note:
        lines += _wrap(hop.note, width, "     ")
    if hop.actions:
        lines += _wrap("actions: " + ", ".join(hop.actions), width, "     ", "       ")
    for ev in hop.evidence:
        act = f"{ev.action} on {ev.resource}" if ev.get("resource") else str(ev.action)
        lines += _wrap(act, width, "     ", "       ")
        lines += _wrap("allowed by " + citation(ev), width, "       ", "         ")
        if ev.get("conditional"):
            keys = ev.get("condition_keys") or []
            lines += _wrap(
                "conditional on " + (", ".join(map(str, keys)) if keys else "an undecidable condition"),
                width,
                "       ",
                "         ",
            )
        lines += _attacker_lines(ev, width)
        for deny in ev.get("denied_by") or []:
            if isinstance(deny, dict):
                lines += _wrap(
                    "unless denied by " + citation(EvidenceRow(data=tuple(deny.items()))), width, "       ", "         "
                )
    if hop.conditional:
        why = []
        if hop.conditions:
            classes = dict(hop.extra).get("condition_classes")
            cls = classes if isinstance(classes, dict) else {}
            why.append("condition keys " + ", ".join(f"{k} ({cls[k]})" if k in cls else k for k in hop.conditions))
        if hop.missing:
            why.append("missing data: " + "; ".join(hop.missing))
        lines += _wrap(
            "conditional: " + ("; ".join(why) if why else "rests on an undecidable evaluation"),
            width,
            "     ",
            "       ",
        )
    return lines


def finding_block(
    f: FindingRecord, label: Labeller, *, width: int = 80, nodes: Callable[[str], object] | None = None
) -> list[Text]:
    """The lines of one finding's block."""
    head = Text()
    head.append(f" {f.severity_name.upper()} ", style=_STYLE.get(f.severity_name))
    head.append(" ")
    head.append(clean(f.title), style="bold")
    out = [head]
    meta = Text("  id ")
    meta.append(f.id, style="bold")
    meta.append(f"  {clean(f.query)}  {_status(f)}" + ("  reaches admin" if f.reaches_admin else ""))
    out.append(meta)
    target = node_text(f.target or "", label, nodes) if f.target else "-"
    for ln in _wrap(f"{label(f.source)} -> {target}", width, "  ", "    "):
        out.append(Text(ln))
    for i, hop in enumerate(f.path, start=1):
        out += [Text(ln) for ln in _hop_lines(i, hop, label, width, nodes)]
    if f.incomplete:
        for reason in f.incomplete:
            out += [Text(ln, style="yellow") for ln in _wrap("incomplete data: " + reason, width, "  ", "    ")]
    if f.remediation:
        out += [Text(ln, style="green") for ln in _wrap("fix: " + f.remediation, width, "  ", "       ")]
    return out


def gate_lines(report: Report, width: int = 80) -> list[str]:
    """Baseline, suppression and gate effects, e.g. ``1 new since baseline (1 resolved, 2 unchanged)``,
    ``3 suppressed``, ``exit 1: 1 finding \u2265 high``."""
    parts: list[str] = []
    if report.baseline is not None:
        b = report.baseline
        parts.append(f"{b.new} new since baseline ({b.resolved} resolved, {b.unchanged} unchanged)")
    if report.suppressions_file is not None or report.suppressed:
        parts.append(f"{len(report.suppressed)} suppressed")
    if report.gate is not None and report.gate.fail_on is not None:
        g = report.gate
        n = len(g.failing)
        level = report.gate.fail_on.value
        if n:
            parts.append(f"exit 1: {n} finding{'s' if n != 1 else ''} \u2265 {level}")
        elif g.incomplete and not g.allow_incomplete:
            parts.append(f"exit 3: nothing \u2265 {level}, but the analysis is incomplete")
        else:
            parts.append(f"exit 0: nothing \u2265 {level}")
    if not parts:
        return []
    joined = "; ".join(parts)
    return [joined] if len(joined) <= width else [p + (";" if i < len(parts) - 1 else "") for i, p in enumerate(parts)]


def _perm_lines(effective: Sequence[object], width: int) -> list[str]:
    lines: list[str] = []
    for entry in effective:
        if not isinstance(entry, dict):
            continue
        lines += _wrap(str(entry.get("action")), width, "    ")
        for r in entry.get("resources") or []:
            if not isinstance(r, dict):
                continue
            text = f"on {r.get('resource')}"
            if r.get("status") == "conditional":
                text += " (conditional on " + ", ".join(map(str, r.get("conditions") or [])) + ")"
            cites = [
                citation(EvidenceRow(data=tuple(c.items()))) for c in r.get("allowed_by") or [] if isinstance(c, dict)
            ]
            lines += _wrap(text, width, "      ", "        ")
            for c in cites:
                lines += _wrap("allowed by " + c, width, "        ", "          ")
    return lines


def permission_blocks(report: Report, label: Labeller, *, width: int = 80) -> list[Text]:
    """`reach`: effective permissions (action -> resources, conditions, citations) of the principal itself,
    then of each principal it can become, grouped by hop count."""
    found = [f for f in report.findings if isinstance(f.detail("effective"), list)]
    if not found:
        return []
    out: list[Text] = [Text("")]
    by_hops: dict[int, list[FindingRecord]] = {}
    for f in found:
        hops = f.detail("hops")
        by_hops.setdefault(int(hops) if isinstance(hops, int) else len(f.path), []).append(f)
    for hops in sorted(by_hops):
        title = (
            "What it can do itself"
            if hops == 0
            else f"What it gains through principals {hops} step{'s' if hops != 1 else ''} away"
        )
        out.append(Text(title, style="bold"))
        for f in sorted(by_hops[hops], key=lambda f: f.target or ""):
            who = label(f.target or f.source)
            eff = f.detail("effective") or []
            assert isinstance(eff, list)
            out.append(
                Text(
                    f"  as {clean(who)}"
                    + (" (administrator)" if f.reaches_admin and hops else "")
                    + f": {len(eff)} action{'s' if len(eff) != 1 else ''}"
                )
            )
            out += [Text(ln) for ln in _perm_lines(eff, width)]
            notes = f.detail("effective_notes")
            if isinstance(notes, list):
                out += [Text(ln, style="yellow") for n in notes for ln in _wrap("note: " + str(n), width, "    ")]
    return out
