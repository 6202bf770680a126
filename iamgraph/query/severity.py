"""The one severity table: order, SARIF level and GitHub `security-severity` score per severity."""

from __future__ import annotations

from enum import Enum

from ..errors import InputError


class Severity(str, Enum):
    """How bad a finding is; `rank` orders them (critical highest)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _TABLE[self][0]

    @property
    def sarif_level(self) -> str:
        """SARIF `level` of results at this severity."""
        return _TABLE[self][1]

    @property
    def security_score(self) -> str:
        """GitHub code scanning `security-severity` (a CVSS-like score, as a string)."""
        return _TABLE[self][2]

    @classmethod
    def parse(cls, text: str, *, option: str = "--fail-on") -> Severity:
        """The severity named by `text` (case-insensitive); anything else is an InputError."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise InputError(
                f"{option} must be one of {', '.join(s.value for s in cls)} (got {text!r})", file="<command line>"
            ) from None

    @classmethod
    def lenient(cls, text: object) -> Severity | None:
        """The severity named by `text`, or None for an unknown one (a saved result of another version)."""
        try:
            return cls(str(text).lower())
        except ValueError:
            return None


_TABLE: dict[Severity, tuple[int, str, str]] = {
    Severity.CRITICAL: (4, "error", "9.5"),
    Severity.HIGH: (3, "error", "8.0"),
    Severity.MEDIUM: (2, "warning", "5.5"),
    Severity.LOW: (1, "note", "3.0"),
}
SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: -s.rank))
