"""ARN parsing: `arn:partition:service:region:account:resource`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Arn:
        """Parse an ARN; raises ValueError when `text` is not one."""
        if not isinstance(text, str):
            raise ValueError(f"not an ARN: {text!r}")
        parts = text.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
            raise ValueError(f"not an ARN: {text!r}")
        return cls(parts[1], parts[2], parts[3], parts[4], parts[5])

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def is_arn(text: object) -> bool:
    try:
        Arn.parse(text)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def _part(arn: str, i: int) -> str:
    parts = arn.split(":", 5)
    return parts[i] if len(parts) == 6 and parts[0] == "arn" else ""


def partition_of(arn: str) -> str:
    """Partition of an ARN ('' when `arn` is not one)."""
    return _part(arn, 1)


def service_of(arn: str) -> str:
    """Service namespace of an ARN ('' when `arn` is not one)."""
    return _part(arn, 2)


def region_of(arn: str) -> str:
    """Region of an ARN ('' for global resources or when `arn` is not one)."""
    return _part(arn, 3)


def resource_of(arn: str) -> str:
    """Resource part of an ARN, after the fifth colon ('' when `arn` is not one)."""
    return _part(arn, 5)


def account_of(arn: str) -> str:
    """Account id of an ARN ('' for account-less ARNs such as S3 buckets)."""
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 else ""


def role_arn_of_session(arn: str) -> str | None:
    """`arn:aws:sts::A:assumed-role/R/s` -> `arn:aws:iam::A:role/R` (path unknown, so no path)."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        segs = parts[5].split("/")
        if len(segs) >= 3:
            return f"arn:{parts[1]}:iam::{parts[4]}:role/{segs[1]}"
    return None
