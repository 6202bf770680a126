"""The one set of exit codes of every command (README "Exit codes", docs/ci-gating.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # nothing at or above the --fail-on threshold (always 0 without --fail-on)
    FINDINGS = 1  # a (new, unsuppressed) finding at or above the threshold; check-policy: opens an admin path
    USAGE = 2  # usage or input error (one line on stderr naming the file and JSON path)
    INCOMPLETE = 3  # --fail-on given but the analysis is incomplete (IAM unread or partial)
