"""Fail closed against moto: a denied, throttled, truncated or garbled GetAccountAuthorizationDetails
makes the account unanalysed (no partial GAAD kept), and the scan says so and fails its gate with 3."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto.core.authorization import enable_iam_authentication

from iamgraph.collect.live import collect_document
from iamgraph.collect.live import session as live_session
from iamgraph.collect.live.iam import GAAD_LISTS, authorization_details
from iamgraph.collect.readonly import OperationRecorder, minimal_policy

GAAD = "GetAccountAuthorizationDetails"


def _local(name: str) -> Any:
    """A helper module of this folder by path (a bare `import conftest` may find another folder's)."""
    key = f"iamgraph_live_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None and spec.loader is not None
        sys.modules[key] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[key]


user_keys = _local("livekit").user_keys
assert_incomplete_everywhere, scan = (
    _local("incomplete_checks").assert_incomplete_everywhere,
    _local("incomplete_checks").scan,
)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def _response(status: int, body: str) -> AWSResponse:
    return AWSResponse("https://iam.amazonaws.com/", status, {"Content-Type": "text/xml"}, _Raw(body.encode()))


def _error(code: str, message: str, status: int = 400) -> AWSResponse:
    return _response(
        status,
        '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>'
        f"<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>",
    )


def _hook_iam(monkeypatch: pytest.MonkeyPatch, event: str, handler: Any) -> None:
    """Register `handler` for `event` (e.g. before-send.iam.GetAccountAuthorizationDetails) on every IAM
    client the collector creates (its own guarded clients; nothing else is changed)."""
    original = live_session.AccountContext.client

    def client(self: live_session.AccountContext, service: str, region: str | None = None) -> Any:
        c = original(self, service, region)
        if service == "iam" and not getattr(c, "_iamgraph_test_hooked", False):
            c.meta.events.register(event, handler)
            c._iamgraph_test_hooked = True
        return c

    monkeypatch.setattr(live_session.AccountContext, "client", client)


def _collect(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    doc = collect_document(
        profiles=[None], regions=["us-east-1"], role_arn=None, external_id=None, recorder=OperationRecorder()
    )
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return doc, path


def _gaad_gap(doc: dict[str, Any]) -> dict[str, str]:
    acc = doc["accounts"][0]
    assert all(acc["authorization_details"][k] == [] for k in GAAD_LISTS), "no partial GAAD is kept"
    [gap] = [g for g in acc["collection_gaps"] if g["api"] == f"iam:{GAAD}"]
    return gap


def test_denied_iam_read_is_incomplete_and_exit_3(moto_account, monkeypatch, tmp_path):
    policy = minimal_policy()
    actions = [a for a in policy["Statement"][0]["Action"] if a != f"iam:{GAAD}"]
    key = user_keys("scanner-no-gaad", {**policy, "Statement": [{**policy["Statement"][0], "Action": actions}]})
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key[1])
    with enable_iam_authentication():
        doc, snapshot = _collect(tmp_path)
        # the live path of the CLI says the same as the offline scan of what it collected
        live = scan("--region", "us-east-1", "--format", "json", "--fail-on", "high", "--quiet")
    assert "AccessDenied" in _gaad_gap(doc)["detail"]
    assert live.exit_code == 3, live.output
    assert json.loads(live.stdout)["incomplete"]["analysis"] is True
    assert_incomplete_everywhere(snapshot, tmp_path, reason="IAM authorization details unreadable")


def test_throttling_past_the_retry_budget_is_incomplete(moto_account, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    attempts: list[int] = []

    def throttle(**_: Any) -> AWSResponse:
        attempts.append(1)
        return _error("Throttling", "Rate exceeded")

    _hook_iam(monkeypatch, f"before-send.iam.{GAAD}", throttle)
    doc, snapshot = _collect(tmp_path)
    assert len(attempts) == 3  # botocore retried up to its budget, then gave up
    assert "Throttling" in _gaad_gap(doc)["detail"]
    assert_incomplete_everywhere(snapshot, tmp_path, reason="Throttling")


def test_a_failing_second_page_drops_the_first_and_is_incomplete(moto_account, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    calls: list[str] = []

    def truncate_first(parsed: dict[str, Any], **_: Any) -> None:
        if "Error" in parsed:  # after-call also sees the failed page's error
            return
        if not calls:  # moto's real first page, made to announce a second
            parsed["IsTruncated"], parsed["Marker"] = True, "page-2"
        calls.append("page")

    def fail_second(request: Any, **_: Any) -> AWSResponse | None:
        body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
        return _error("ServiceUnavailable", "try later", 503) if "Marker=page-2" in body else None

    _hook_iam(monkeypatch, f"after-call.iam.{GAAD}", truncate_first)
    original = live_session.AccountContext.client

    def client(self: live_session.AccountContext, service: str, region: str | None = None) -> Any:
        c = original(self, service, region)
        if service == "iam" and not getattr(c, "_iamgraph_second_page", False):
            c.meta.events.register(f"before-send.iam.{GAAD}", fail_second)
            c._iamgraph_second_page = True
        return c

    monkeypatch.setattr(live_session.AccountContext, "client", client)
    doc, snapshot = _collect(tmp_path)
    assert calls == ["page"]  # the first page was read...
    gap = _gaad_gap(doc)  # ...and thrown away with the failed second one
    assert "page 2 failed after 1 page(s) were read; none are used" in gap["detail"]
    assert_incomplete_everywhere(snapshot, tmp_path, reason="IAM authorization details unreadable")


def test_a_garbled_response_is_incomplete(moto_account, monkeypatch, tmp_path):
    _hook_iam(
        monkeypatch,
        f"before-send.iam.{GAAD}",
        lambda **_: _response(200, "<GetAccountAuthorizationDetailsResponse><<<garbled"),
    )
    doc, snapshot = _collect(tmp_path)
    _gaad_gap(doc)
    assert_incomplete_everywhere(snapshot, tmp_path, reason="IAM authorization details unreadable")
    # `collect` itself says, last, that a scan of what it wrote cannot be complete
    from typer.testing import CliRunner

    from iamgraph.cli.app import app

    r = CliRunner().invoke(app, ["collect", "--region", "us-east-1", "--output", str(tmp_path / "c.json")])
    assert r.exit_code == 0, r.output
    assert r.stderr.strip().splitlines()[-1].startswith("iamgraph: warning: INCOMPLETE: IAM of account(s) 123456789012")


def test_a_page_of_the_wrong_shape_is_garbled_and_nothing_is_kept():
    """A page that parsed but whose lists are not lists of objects (a broken proxy, a bad stub)."""

    class Paginator:
        def paginate(self) -> Any:
            yield {"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a"}]}
            yield {"UserDetailList": "not a list"}

    class Client:
        def get_paginator(self, name: str) -> Paginator:
            return Paginator()

    class Ctx:
        gaps = live_session.GapLog()

        def client(self, service: str, region: str | None = None) -> Client:
            return Client()

    ctx = Ctx()
    out = authorization_details(ctx)  # type: ignore[arg-type]
    assert all(out[k] == [] for k in GAAD_LISTS)
    [gap] = ctx.gaps.gaps
    assert gap["api"] == f"iam:{GAAD}" and "GarbledPage" in gap["detail"] and "page 2" in gap["detail"]
