"""Suppression files: accepted findings, by id or by pattern, with a reason and an optional expiry.

Format (JSON): {"suppressions": [{"id": "f316257b1f6006f1" | "pattern": {"query": ..., "source": ...,
"target": ..., "technique": ..., "severity": ...}, "reason": "...", "expires": "YYYY-MM-DD"}]}.
Pattern values are shell-style globs (`*`, `?`, `[...]`), case-sensitive; `technique` matches any hop.
A suppression silences through its `expires` day (inclusive) and stops silencing the day after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from ..collect.files import read_json
from ..errors import InputError
from ..query.report import FindingRecord, Report, Suppressed

PATTERN_FIELDS = ("query", "source", "target", "technique", "severity")
_ENTRY_KEYS = {"id", "pattern", "reason", "expires"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppression:
    """One entry of a suppression file; `index` is its position, used in notes."""

    index: int
    reason: str
    id: str | None = None
    pattern: dict[str, str] = field(default_factory=dict)
    expires: dt.date | None = None

    def label(self) -> str:
        if self.id:
            return f"#{self.index} (id {self.id})"
        return f"#{self.index} (" + ", ".join(f"{k}={v}" for k, v in sorted(self.pattern.items())) + ")"

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, finding: FindingRecord) -> bool:
        if self.id is not None:
            return finding.id == self.id
        for key, glob in self.pattern.items():
            if key == "technique":
                if not any(fnmatchcase(h.technique, glob) for h in finding.path):
                    return False
            elif not fnmatchcase(_field(finding, key), glob):
                return False
        return True


def _field(finding: FindingRecord, key: str) -> str:
    """The finding's value for a pattern key (query, source, target, severity)."""
    value = {
        "query": finding.query,
        "source": finding.source,
        "target": finding.target,
        "severity": finding.severity_name,
    }[key]
    return value or ""


def parse_suppressions(obj: Any, *, file: str) -> tuple[Suppression, ...]:
    """Validate a parsed suppression file; any problem is one InputError naming the JSON path."""
    if not isinstance(obj, dict) or not isinstance(obj.get("suppressions"), list):
        raise InputError('expected an object with a "suppressions" list', file=file, path="$")
    out: list[Suppression] = []
    for i, raw in enumerate(obj["suppressions"]):
        at = f"$.suppressions[{i}]"
        if not isinstance(raw, dict):
            raise InputError("a suppression must be an object", file=file, path=at)
        unknown = sorted(set(raw) - _ENTRY_KEYS)
        if unknown:
            raise InputError(
                f"unknown key {unknown[0]!r} (known: expires, id, pattern, reason)",
                file=file,
                path=f"{at}.{unknown[0]}",
            )
        if ("id" in raw) == ("pattern" in raw):
            raise InputError('give exactly one of "id" or "pattern"', file=file, path=at)
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError('"reason" is required (a non-empty string)', file=file, path=f"{at}.reason")
        sid = raw.get("id")
        if sid is not None and (not isinstance(sid, str) or not sid.strip()):
            raise InputError('"id" must be a non-empty string (a finding id)', file=file, path=f"{at}.id")
        pattern: dict[str, str] = {}
        if "pattern" in raw:
            pat = raw["pattern"]
            if not isinstance(pat, dict) or not pat:
                raise InputError(
                    f'"pattern" must be a non-empty object with keys among {", ".join(PATTERN_FIELDS)}',
                    file=file,
                    path=f"{at}.pattern",
                )
            for k, v in pat.items():
                if k not in PATTERN_FIELDS:
                    raise InputError(
                        f"unknown pattern key {k!r} (known: {', '.join(PATTERN_FIELDS)})",
                        file=file,
                        path=f"{at}.pattern.{k}",
                    )
                if not isinstance(v, str) or not v:
                    raise InputError(
                        "pattern values must be non-empty strings (globs)", file=file, path=f"{at}.pattern.{k}"
                    )
                pattern[k] = v
        expires = None
        if "expires" in raw:
            try:
                expires = dt.date.fromisoformat(raw["expires"]) if isinstance(raw["expires"], str) else None
            except ValueError:
                expires = None
            if expires is None or len(raw["expires"]) != 10:
                raise InputError('"expires" must be a date YYYY-MM-DD', file=file, path=f"{at}.expires")
        out.append(
            Suppression(
                index=i, reason=reason.strip(), id=sid.strip() if sid else None, pattern=pattern, expires=expires
            )
        )
    return tuple(out)


def load_suppressions(path: str | Path) -> tuple[Suppression, ...]:
    return parse_suppressions(read_json(path), file=str(path))


def apply_suppressions(
    report: Report, supps: tuple[Suppression, ...], *, today: dt.date, file: str = ""
) -> tuple[Report, list[str]]:
    """Move findings matched by a live suppression to `suppressed`; notes say what expired
    (and which suppressions matched nothing). The first live matching suppression wins."""
    notes: list[str] = []
    live = [s for s in supps if not s.expired(today)]
    for s in supps:
        if s.expired(today):
            assert s.expires is not None
            hits = sum(1 for f in report.findings if s.matches(f))
            notes.append(
                f"suppression {s.label()} expired on {s.expires.isoformat()}; it no longer silences"
                + (f" ({hits} finding(s) reported again)" if hits else "")
            )
    kept: list[FindingRecord] = []
    suppressed: list[Suppressed] = list(report.suppressed)
    used: set[int] = set()
    for f in report.findings:
        hit = next((s for s in live if s.matches(f)), None)
        if hit is None:
            kept.append(f)
            continue
        used.add(hit.index)
        suppressed.append(
            Suppressed(
                finding=f,
                reason=hit.reason,
                suppression=hit.index,
                expires=hit.expires.isoformat() if hit.expires else None,
            )
        )
    for s in live:
        if s.index not in used:
            notes.append(f"suppression {s.label()} matched no finding")
    out = replace(
        report,
        findings=tuple(kept),
        suppressed=tuple(suppressed),
        suppressions_file=file or report.suppressions_file or "",
    )
    return out, notes
