"""Fail closed: which data the analysis lacks, and exactly which findings and principals that touches.

A gap in IAM authorization details (denied, throttled past retries, a failed page, garbled) makes
the whole analysis incomplete. A gap in data findings depend on (inventory, resource policies,
SCPs/RCPs, Identity Center) marks the findings that touch it, the principals whose permissions it
decides, and says which queries may miss findings because of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..model import Snapshot, account_of
from ..model.arn import region_of, service_of
from ..model.snapshot import CollectionGap
from .base import DataNeed
from .report import DataGap, FindingRecord, GapScope, Incompleteness, QueryInfo, Report

GAAD_API = "iam:GetAccountAuthorizationDetails"
_RESOURCE_POLICY_SERVICES = frozenset({"kms", "sqs", "sns", "secretsmanager", "ecr", "s3", "lambda-policy"})
_IDENTITY_CENTER = frozenset({"sso", "sso-admin", "identitystore", "sso-directory"})


def classify(gap: CollectionGap) -> DataGap:
    """What kind of data a collection gap leaves out (by the service and action it names)."""
    api = gap.api
    service, _, action = api.partition(":")
    service = service.lower()

    def gap_of(data: DataNeed, what: str, scope: GapScope = GapScope.DEPENDENT) -> DataGap:
        return DataGap(
            data=data, what=what, scope=scope, account=gap.account, region=gap.region, detail=gap.detail, api=api
        )

    if api == GAAD_API:
        return gap_of(DataNeed.IAM, "IAM authorization details", GapScope.ANALYSIS)
    if service == "iam":
        return gap_of(DataNeed.IAM, f"IAM identity providers ({action or api})")
    if service == "organizations":
        return gap_of(DataNeed.ORGANIZATION, "SCPs/RCPs (Organizations)")
    if service in _IDENTITY_CENTER:
        return gap_of(DataNeed.IDENTITY_CENTER, "IAM Identity Center")
    if service in _RESOURCE_POLICY_SERVICES and ("Policy" in action or "Attributes" in action or service != "s3"):
        return gap_of(DataNeed.RESOURCE_POLICIES, f"{service} resource policies")
    if service == "ec2" and action == "DescribeRegions":
        return gap_of(DataNeed.INVENTORY, "the list of enabled regions (only one region read)")
    return gap_of(DataNeed.INVENTORY, f"{service} inventory")


def _service(gap: DataGap) -> str:
    return gap.api.partition(":")[0].lower()


def _nodes(f: FindingRecord) -> list[str]:
    return [x for x in (f.source, f.target, *(n for h in f.path for n in (h.src, h.dst, h.via or ""))) if x]


def _accounts(f: FindingRecord) -> set[str]:
    """Accounts a finding touches: of the ARNs it names, and the account whose admin it reaches."""
    out = {a for a in (account_of(n) for n in _nodes(f) if n.startswith("arn:")) if a}
    out.update(str(v) for k, v in f.extra if k == "admin_account" and v)
    return out


def affects(gap: DataGap, f: FindingRecord) -> bool:
    """Could the finding be wrong, or stand for a worse one, because of this gap?"""
    in_account = not gap.account or gap.account in _accounts(f)
    if gap.data is DataNeed.IAM:
        return in_account
    if gap.data is DataNeed.ORGANIZATION:
        return in_account  # any step may be denied by an SCP/RCP we could not read
    if gap.data is DataNeed.IDENTITY_CENTER:
        return in_account and any("/aws-reserved/sso.amazonaws.com/" in n for n in _nodes(f))
    service = _service(gap)
    if gap.data is DataNeed.RESOURCE_POLICIES:
        return any(service_of(n) == service for n in _nodes(f)) or any(
            service_of(r.resource) == service for h in f.path for r in h.evidence
        )
    # inventory: hops that need (or used) this service's inventory, or name its resources
    needle = f"whether a {service} "
    return any(needle in m or f"{service} " in m for h in f.path for m in h.missing) or any(
        service_of(n) == service and gap.region in ("", "global", region_of(n))
        for n in _nodes(f)
        if n.startswith("arn:") and n.count(":") >= 5
    )


def _principal_gaps(snapshot: Snapshot, gaps: Iterable[DataGap]) -> dict[str, list[str]]:
    """Principals whose own permissions a gap decides: SCPs/RCPs of their account unread."""
    out: dict[str, list[str]] = {}
    org = [g for g in gaps if g.data is DataNeed.ORGANIZATION]
    if not org:
        return out
    for arn in (*snapshot.users, *snapshot.roles):
        for g in org:
            if not g.account or g.account == account_of(arn):
                out.setdefault(arn, []).append(g.text())
    return out


def _callouts(report: Report, gaps: tuple[DataGap, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for g in gaps:
        queries = [q.id for q in report.queries if g.data in q.needs]
        if not queries:
            continue
        where = (f" in {g.region}" if g.region and g.region != "global" else "") + (
            f" of account {g.account}" if g.account else ""
        )
        if g.scope is GapScope.ANALYSIS:
            out.append(
                f"no finding can be ruled out{where}: {g.what} could not be read; "
                f"{', '.join(queries)} saw no (or only part of the) principals there"
            )
        else:
            out.append(
                f"no path found is not proof of none: {g.what} was unreadable{where} "
                f"({', '.join(queries)} may miss findings that depend on it)"
            )
    return tuple(dict.fromkeys(out))


def assess(snapshot: Snapshot, report: Report) -> Report:
    """The report with its gaps, the findings and principals they touch marked, and callouts."""
    gaps = tuple(dict.fromkeys(classify(g) for g in snapshot.collection_gaps))
    if not gaps:
        return report
    findings = []
    for f in report.findings:
        said = " ".join(f.incomplete)  # a query may already name the gap (privesc-to-admin does)
        reasons = [g.text() for g in gaps if affects(g, f) and not (g.api and f"could not read {g.api}" in said)]
        findings.append(f.with_incomplete(reasons) if reasons else f)
    principals = {k: list(v) for k, v in report.incomplete_principals.items()}
    for arn, reasons in _principal_gaps(snapshot, gaps).items():
        principals[arn] = list(dict.fromkeys([*principals.get(arn, []), *reasons]))
    return replace(
        report,
        findings=tuple(findings),
        incomplete_principals={k: tuple(v) for k, v in sorted(principals.items())},
        incomplete=Incompleteness(gaps=gaps, callouts=_callouts(report, gaps)),
    )


class FanoutCompleteness:
    """For a report assembled as JSON, finding by finding (the organisation fan-out): `mark` adds
    the gaps that touch a finding to its `incomplete` list (in place); `member` is the report's
    `incomplete` member (None when nothing is missing)."""

    def __init__(self, gaps: Iterable[CollectionGap], query_ids: Iterable[str] = ("privesc-to-admin",)) -> None:
        self.gaps = tuple(dict.fromkeys(classify(g) for g in gaps))
        self._query_ids = tuple(query_ids)

    def mark(self, raw: dict[str, object], path: str = "$.findings[]") -> None:
        if not self.gaps:
            return
        rec = FindingRecord.from_json(raw, file="<fan-out>", path=path)
        reasons = [g.text() for g in self.gaps if affects(g, rec)]
        if reasons:
            raw["incomplete"] = list(dict.fromkeys([*rec.incomplete, *reasons]))

    def member(self) -> dict[str, object] | None:
        if not self.gaps:
            return None
        from .loader import load_queries

        known = load_queries()
        infos = tuple(QueryInfo.of(known[q]) for q in self._query_ids if q in known)
        return Incompleteness(gaps=self.gaps, callouts=_callouts(Report(queries=infos), self.gaps)).to_json()
