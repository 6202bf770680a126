"""Per-account collection context: guarded boto3 clients, gap log, pagination and JSON helpers.

Every client comes from `AccountContext.client`, which attaches the read-only guard
(`readonly.OperationRecorder`) and the retry configuration; nothing else creates clients.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

from ..readonly import OperationRecorder, ReadOnlyViolation, iam_action

DEFAULT_MAX_ATTEMPTS = 10


def botocore_config() -> Config:
    """Adaptive retries (throttling); AWS_MAX_ATTEMPTS, when set, overrides the 10 attempts (total
    attempts, first call included: botocore's `total_max_attempts`; its `max_attempts` counts retries)."""
    attempts = int(os.environ.get("AWS_MAX_ATTEMPTS") or DEFAULT_MAX_ATTEMPTS)
    return Config(retries={"mode": "adaptive", "total_max_attempts": attempts}, user_agent_extra="iamgraph")


class GapLog:
    """Thread-safe list of what could not be read, and of inventory services left incomplete."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.gaps: list[dict[str, str]] = []
        self.failed_services: set[str] = set()

    def add(self, *, api: str, region: str, detail: str, service: str | None = None) -> None:
        with self._lock:
            gap = {"api": api, "region": region, "detail": detail}
            if gap not in self.gaps:
                self.gaps.append(gap)
            if service:
                self.failed_services.add(service)

    def add_error(self, exc: BaseException, *, api: str, region: str, service: str | None, note: str = "") -> None:
        """Record an exception raised while calling `api` (IAM action); ReadOnlyViolation is a bug
        and re-raised, never swallowed."""
        if isinstance(exc, ReadOnlyViolation):
            raise exc
        if isinstance(exc, ClientError):
            err = exc.response.get("Error", {})
            detail = f"{err.get('Code', 'Error')}: {str(err.get('Message', ''))[:300]}"
        else:
            detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        detail += f" (needs {api})" + (f"; {note}" if note else "")
        self.add(api=api, region=region, detail=detail, service=service)


@dataclass
class AccountContext:
    """What every collection step of one account needs."""

    session: boto3.Session
    account_id: str
    partition: str
    recorder: OperationRecorder
    default_region: str
    gaps: GapLog = field(default_factory=GapLog)
    progress: Callable[[str], None] | None = None
    config: Config = field(default_factory=botocore_config)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, service: str, region: str | None = None) -> Any:
        """A cached, guarded client (boto3 sessions are not thread-safe: creation is locked)."""
        key = (service, region or self.default_region)
        with self._lock:
            if key not in self._clients:
                c = self.session.client(service, region_name=key[1], config=self.config)
                self._clients[key] = self.recorder.attach(c)
            return self._clients[key]

    def fail(self, exc: BaseException, *, region: str, service: str | None, api: str = "", note: str = "") -> None:
        """Record `exc` as a gap, naming the IAM action of the operation this thread last issued."""
        op = self.recorder.current_operation()
        self.gaps.add_error(
            exc, api=iam_action(*op) if op else (api or service or "unknown"), region=region, service=service, note=note
        )

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


def call(client: Any, operation: str, **params: Any) -> dict[str, Any]:
    """Call `operation` by its API name (e.g. "ListFunctions")."""
    return getattr(client, xform_name(operation))(**params)


def paginate(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    """All items under `key` across pages (single call when the operation has no paginator)."""
    name = xform_name(operation)
    if client.can_paginate(name):
        out: list[Any] = []
        for page in client.get_paginator(name).paginate(**params):
            out.extend(page.get(key) or [])
        return out
    return list(getattr(client, name)(**params).get(key) or [])


def error_code(exc: BaseException) -> str:
    return exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""


def policy_json(raw: Any) -> Any:
    """A policy as returned by an API (JSON text or object) -> object when parseable, else as is."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def jsonable(obj: Any) -> Any:
    """Deep copy with datetimes as ISO-8601 strings and bytes dropped to text (JSON-serialisable)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items() if k != "ResponseMetadata"}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "replace")
    return obj
