"""AccountIndex: the indexed account that techniques query (views, trust index, inventory)."""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..evaluate.engine import evaluate
from ..evaluate.matching import compile_marked, statement_matches_action
from ..evaluate.org_keys import org_context
from ..evaluate.resource_types import ActionTypes
from ..evaluate.types import ContextValue, Decision, PolicySet, Request, Result
from ..evaluate.variables import mark
from ..model import InventoryResource, NodeKind, Policy, PolicyDocument, Role, Snapshot, account_of
from .admin import ADMIN_POLICY_ARN, AdminStatus, admin_status, document_is_admin
from .assume_share import Consulted, consulted, policy_documents, rebind, role_facts, share_key
from .attacker_view import AttackerOptions, AttackerView
from .base import Hub, Proposal
from .evidence import EdgeKind, Evidence, Grant
from .grant_share import SharedAnswers
from .principal import PrincipalView, build_views, decision_rank
from .resource_grants import best, companion_candidates, keep_candidate, shape, with_companions
from .resources import candidate_resources, requested_regions
from .trust import TrustIndex, build_trust_index

ASSUME_ACTIONS = ("sts:AssumeRole",)
# the decisions as module constants (an Enum member read through its class costs ~0.15 us in
# CPython 3.11) and decision_rank's table, for the grant loops
_ALLOWED, _UNKNOWN = Decision.ALLOWED, Decision.UNKNOWN
_RANK = {d: decision_rank(d) for d in Decision}
_ASSUME_ROLE = EdgeKind.ASSUME_ROLE
_NOT_ASKED = object()  # a `grant` memo miss (None, a denial, is an answer too)


def _runs_as(service: str, role: Role, trust: Result, missing: tuple[str, ...] = ()) -> tuple[str, Evidence]:
    """Hub member: the service may run as `role` (its trust evaluation is the evidence)."""
    return role.arn, Evidence(
        "service-runs-as",
        _ASSUME_ROLE,
        (Grant("sts:AssumeRole", role.arn, trust),),
        missing=missing,
        note=f"{service} may run as this role",
    )


def _match_signatures(arns: list[str], hits: list[frozenset[str]]) -> dict[str, int]:
    """For each of `arns` that some member of `hits` holds: the bitmask of the hit sets holding
    it (bit i: `hits[i]`); an ARN no set holds has no entry (its mask is 0), and the map may hold
    ARNs of the sets besides `arns`. Equal masks <=> equal `tuple(arn in h for h in hits)`. Built
    from the smaller side: walking every hit set, or testing each ARN against each set."""
    sig: dict[str, int] = {}
    if sum(map(len, hits)) <= len(arns) * len(hits):
        for i, h in enumerate(hits):
            bit = 1 << i
            for a in h:
                sig[a] = sig.get(a, 0) | bit
        return sig
    for a in arns:
        mask = 0
        for i, h in enumerate(hits):
            if a in h:
                mask |= 1 << i
        if mask:
            sig[a] = mask
    return sig


@dataclass(eq=False)
class AccountIndex:
    snapshot: Snapshot
    views: dict[str, PrincipalView] = field(default_factory=dict)
    _admin: dict[str, AdminStatus] = field(default_factory=dict)
    _service_trust: dict[tuple[str, str], Result] = field(default_factory=dict)
    _trusting: dict[str, list[tuple[Role, Result]]] = field(default_factory=dict)
    _trusting_counts: dict[tuple[str, bool], int] = field(default_factory=dict)
    _role_lookup: dict[str, dict[str, tuple[Role, Result]]] = field(default_factory=dict)
    _classes: dict[tuple, list[tuple[tuple[Role, Result], ...]]] = field(default_factory=dict)
    _set_digests: dict[int, tuple[tuple[tuple[Role, Result], ...], str]] = field(default_factory=dict)
    _hubs: dict[tuple, Hub] = field(default_factory=dict)
    # hub members by (service, role ARN, missing) -> (the trust result they cite, the member): one
    # immutable member for every hub of the build that holds the role under that trust (`_member`)
    _hub_members: dict[tuple[str, str, tuple[str, ...]], tuple[Result, tuple[str, Evidence]]] = field(
        default_factory=dict
    )
    _member_grants: dict[tuple[str, str], tuple[Result, tuple[Grant, ...]]] = field(default_factory=dict)
    # families.passrole.ExistingResource._hub_proposal: (id of the technique, scope) -> (it, its
    # hub); (id of the technique, scope, id of the service grants) -> (it, the grants, the proposal)
    technique_hubs: dict[tuple[int, str | None], tuple[object, Hub]] = field(default_factory=dict)
    hub_proposals: dict[tuple[int, str | None, int], tuple[object, tuple[Grant, ...], Proposal]] = field(
        default_factory=dict
    )
    _cross_rcps: dict[tuple[str, str], PolicySet] = field(default_factory=dict)
    _pattern_class: dict[tuple[str, str], str] = field(default_factory=dict)
    _pattern_hits: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _passable: dict[tuple[str, str], list] = field(default_factory=dict)
    _passable_shared: dict[tuple[object, ...], list] = field(default_factory=dict)  # by `_passrole_key`
    _service_arns: dict[str, list[str]] = field(default_factory=dict)
    _sorted_arns: dict[str, list[str]] = field(default_factory=dict)
    # Set by the graph build while it proposes edges for a source of a multi-account snapshot: a
    # service in account A only runs as roles of A, so service lookups and hubs see A's roles only.
    scope_account: str | None = None
    _companions: dict[tuple[str, str, frozenset[str], str], Grant | None] = field(default_factory=dict)
    _trusting_account: dict[str, frozenset[str]] = field(default_factory=dict)
    # sts:AssumeRole answers of one source, shared between roles that `_assume_key` does not tell apart
    _assume_source: PrincipalView | None = None
    _assume_shared: dict[tuple[object, ...], tuple[Role, Result]] = field(default_factory=dict)
    _assume_consulted: dict[tuple[str, int], tuple[PolicyDocument, Consulted | None]] = field(default_factory=dict)
    # role ARN -> (the scope asked with, the number of its `role_facts` in _facts_numbers), for every source
    _role_facts: dict[str, tuple[object, int]] = field(default_factory=dict)
    _facts_numbers: dict[tuple[object, ...], int] = field(default_factory=dict)
    # ids of the documents `consulted` read -> (those documents, its answer), for every source
    _consulted_shared: dict[tuple[int, ...], tuple[list[PolicyDocument], Consulted | None]] = field(
        default_factory=dict
    )
    # service trust answers shared between roles with one trust document (`_service_share`)
    _service_shared: dict[tuple[object, ...], tuple[Role, Result]] = field(default_factory=dict)
    _trust_consulted: dict[int, tuple[PolicyDocument, Consulted | None]] = field(default_factory=dict)
    _relevant_pats: dict[tuple[str, str], tuple[PolicySet, tuple[str, ...] | None]] = field(default_factory=dict)
    _doc_pats: dict[tuple[int, str], tuple[PolicyDocument, tuple[str, ...] | None]] = field(default_factory=dict)
    # answers shared between principals the answer cannot tell apart (techniques/grant_share.py)
    shared: SharedAnswers = field(default_factory=SharedAnswers)
    # results of grant-only computations (families.passrole._service_grants) keyed by `grants_key`
    step_grants: dict[tuple[object, ...], tuple[Grant, ...] | None] = field(default_factory=dict)
    # families.passrole._plan: id of a steps tuple -> (the tuple, its number, its actions); the numbers
    step_plans: dict[int, tuple[tuple[object, ...], int, tuple[str, ...]]] = field(default_factory=dict)
    step_numbers: dict[tuple[object, ...], int] = field(default_factory=dict)
    # `grant` answers without keyword arguments, for one source view and policy set at a time
    # (`_source_grants`): the techniques of a source ask many (action, resource) pairs again
    _grants_view: PrincipalView | None = None
    _grants_policies: PolicySet | None = None
    _grants_memo: dict[tuple[str, str], Grant | None] = field(default_factory=dict)

    @classmethod
    def create(cls, snapshot: Snapshot, options: AttackerOptions | None = None) -> AccountIndex:
        """`options`: the attacker model (scan time, `--context` pins); default: now, nothing pinned."""
        views = build_views(snapshot)
        opts = options or AttackerOptions()
        AttackerView.create(snapshot, opts).apply(views, opts)
        return cls(snapshot, views)

    # ---- admin -----------------------------------------------------------------------------
    def roles_trusting_account(self, account: str) -> frozenset[str]:
        """Role ARNs whose trust policy names `account`'s root (as a set, built once per account)."""
        hit = self._trusting_account.get(account)
        if hit is None:
            hit = self._trusting_account[account] = frozenset(self.trust_index.by_account.get(account, ()))
        return hit

    def admin(self, arn: str) -> AdminStatus:
        st = self._admin.get(arn)
        if st is None:
            view = self.views[arn]
            st = admin_status(view, ask=lambda action, resource: self.shared.can(view, action, resource))
            self._admin[arn] = st
        return st

    @cached_property
    def admin_policy_arns(self) -> tuple[str, ...]:
        """Managed policies whose default version allows `*` on `*` (AdministratorAccess first)."""
        out = [ADMIN_POLICY_ARN]
        for mp in self.snapshot.policies.values():
            d = mp.default_document
            if mp.arn != ADMIN_POLICY_ARN and d is not None and document_is_admin(d):
                out.append(mp.arn)
        return tuple(out)

    def attachable_admin_policies(self, src: PrincipalView) -> list[tuple[str, tuple[Grant, ...]]]:
        """Admin-granting managed policies `src` could attach: existing ones (no extra grant), then
        a policy it may create itself (the iam:CreatePolicy grant is needed first)."""
        out: list[tuple[str, tuple[Grant, ...]]] = [(a, ()) for a in self.admin_policy_arns]
        if src.may("iam:CreatePolicy"):
            for cand in candidate_resources(src, "iam:CreatePolicy", "arn:aws:iam::{account}:policy/iamgraph-admin"):
                if cand in self.snapshot.policies:
                    continue  # the name is taken: CreatePolicy would fail
                g = self.grant(src, "iam:CreatePolicy", cand)
                if g is not None:
                    out.append((cand, (g,)))
        return out

    # ---- grants ----------------------------------------------------------------------------
    def grant(self, src: PrincipalView, action: str, resource: str, **kw: object) -> Grant | None:
        """Grant for one request, or None when it is denied (explicitly or implicitly). Resource
        types per the Service Authorization Reference (techniques.resource_grants): `*` for an
        action without resource types, none on a resource of a type the action lacks, and every
        other required type of the request allowed too (cited as companion rows). Without keyword
        arguments, kept for the source while it is the one asked (`_source_grants`)."""
        if kw:
            return self._grant_of(src, action, resource, **kw)
        memo = self._grants_memo if self._grants_view is src and self._grants_policies is src.policies else None
        if memo is None:
            memo = self._source_grants(src)
        key = (action, resource)
        got = memo.get(key, _NOT_ASKED)
        if got is _NOT_ASKED:
            got = memo[key] = self._grant_of(src, action, resource)
        return got  # type: ignore[return-value]  # only grants and None are stored

    def _source_grants(self, src: PrincipalView) -> dict[tuple[str, str], Grant | None]:
        """The `grant` memo, emptied for `src` under its current policy set. A plain grant reads
        the source only through that set, its own keys and attacker model (fixed for a view once
        the build starts) and its ARN and account: one view's answers hold while its set does."""
        self._grants_view, self._grants_policies = src, src.policies
        memo = self._grants_memo
        memo.clear()
        return memo

    def _grant_of(self, src: PrincipalView, action: str, resource: str, **kw: object) -> Grant | None:
        """`grant`, computed."""
        sh = shape(action, resource)
        if not sh.usable:
            return None
        g = self._plain_grant(src, action, sh.resource, **kw)
        if g is None or not sh.needs or sh.types is None:
            return g
        types = sh.types
        return with_companions(g, [self._companion(src, action, types, group, sh.resource) for group in sh.needs])

    def _companion(
        self, src: PrincipalView, action: str, types: ActionTypes, group: frozenset[str], main: str
    ) -> Grant | None:
        """The best grant for `action` on a resource of a type in `group` beside `main` (memoised)."""
        key = (src.arn, action, group, main.split(":", 4)[3] if main.count(":") >= 4 else "")
        if key not in self._companions:
            cands = companion_candidates(src, action, types, group, main)
            self._companions[key] = best([g for c in cands if (g := self._plain_grant(src, action, c)) is not None])
        return self._companions[key]

    def _plain_grant(self, src: PrincipalView, action: str, resource: str, **kw: object) -> Grant | None:
        """Grant for exactly (action, resource), or None when it is denied."""
        if "resource_policy" not in kw and not src.may_on(action, resource):
            return None  # no identity Allow could cover it (and no resource policy is involved)
        # a plain request may share another principal's answer (grant_share); others are asked here
        res = src.can(action, resource, **kw) if kw else self.shared.can(src, action, resource)  # type: ignore[arg-type]
        d = res.decision
        if d is _ALLOWED or d is _UNKNOWN:
            return Grant(action, resource, res)
        return None

    def chosen_grant(self, src: PrincipalView, action: str, template: str, **kw: object) -> Grant | None:
        """Best grant for an action on a resource the attacker names (e.g. a new function)."""
        if not src.may(action):
            return None
        best: Grant | None = None
        for res_arn in candidate_resources(src, action, template):
            if not keep_candidate(action, template, res_arn):
                continue  # a resource of another type than the one the attacker names
            g = self.grant(src, action, res_arn, **kw)
            if g is not None and (best is None or _RANK[g.result.decision] > _RANK[best.result.decision]):
                best = g
                if g.result.decision is _ALLOWED:
                    break
        return best

    def grants_key(self, src: PrincipalView, actions: tuple[str, ...]) -> tuple[object, ...] | None:
        """Everything `grant` and `chosen_grant` (without keyword arguments) read of `src` for
        requests for `actions`, on any resource the attacker names: the shared-answer part of each
        action (grant_share: policies consulted, the keys their conditions read, caller facts),
        `may`, the identity Allow patterns (candidates; with no variable in them, which the key
        requires, they are the resolved patterns of the may_on prefilter as well),
        the account and the regions its policies name (candidate resources). Sources with equal
        keys get equal grants for the same requests; None: not shared (an answer is not shared,
        or a pattern holds a variable, which candidate resources fill from the source's keys)."""
        parts: list[object] = [src.account, requested_regions(src)]
        share = self.shared.part
        for a in actions:
            part = share(src, a)
            if part is None:
                return None
            pats = src.allow_resource_patterns(a)
            for p in pats:
                if "${" in p:
                    return None
            # without a variable, the resolved patterns (the may_on prefilter) are `pats` themselves
            parts.append((part, src.may(a), pats))
        return tuple(parts)

    # ---- trust -----------------------------------------------------------------------------
    @cached_property
    def trust_index(self) -> TrustIndex:
        return build_trust_index(self.snapshot)

    @cached_property
    def roles_by_service(self) -> dict[str, tuple[Role, ...]]:
        """Service principal (lower case) -> roles whose trust policy has an Allow naming it or `*`
        (service-linked roles excluded)."""
        trust = self.trust_index
        idx: dict[str, list[Role]] = defaultdict(list)
        # a service never runs a customer's resource as a service-linked role
        for name, arns in (*trust.services.items(), ("*", trust.star)):
            for arn in arns:
                r = self.snapshot.roles[arn]
                if not r.is_service_linked:
                    idx[name].append(r)
        return {k: tuple(v) for k, v in idx.items()}

    def roles_trusting_service(self, service: str) -> list[tuple[Role, Result]]:
        """Roles the service may assume, with the trust evaluation (Allowed or Unknown)."""
        scoped = self._scoped(service)
        hit = self._trusting.get(scoped)
        if hit is not None:
            return hit
        out = self._trusting_all(service)
        if self.scope_account is not None:
            out = [(r, res) for r, res in out if account_of(r.arn) == self.scope_account]
        self._trusting[scoped] = out
        return out

    def count_trusting_service(self, service: str, only_with_instance_profile: bool = False) -> int:
        """len(roles_trusting_service(service)), optionally only roles with an instance profile
        (memoised per scope)."""
        key = (self._scoped(service), only_with_instance_profile)
        hit = self._trusting_counts.get(key)
        if hit is None:
            roles = self.roles_trusting_service(service)
            hit = self._trusting_counts[key] = (
                sum(1 for r, _ in roles if r.instance_profile_arns) if only_with_instance_profile else len(roles)
            )
        return hit

    def roles_trusting_service_anywhere(self, service: str) -> list[str]:
        """ARNs of the roles of every account that `service` may assume (the scope ignored)."""
        return [r.arn for r, _ in self._trusting_all(service)]

    def _trusting_all(self, service: str) -> list[tuple[Role, Result]]:
        """Roles of every account the service may assume, by ARN (memoised per service)."""
        key = "\0all:" + service
        hit = self._trusting.get(key)
        if hit is None:
            cands = {r.arn: r for r in self.roles_by_service.get(service.lower(), ())}
            for r in self.roles_by_service.get("*", ()):
                cands.setdefault(r.arn, r)
            out = []
            for r in cands.values():
                res = self.service_trust(r, service)
                if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
                    out.append((r, res))
            hit = self._trusting[key] = sorted(out, key=lambda x: x[0].arn)
        return hit

    def _scoped(self, service: str) -> str:
        """Cache key / hub group of `service` under the current scope account."""
        return service if self.scope_account is None else f"{service}@{self.scope_account}"

    def service_trust(self, role: Role, service: str) -> Result:
        """May `service` assume `role` (its trust policy alone, open world; memoised per role and
        service, and shared between roles whose trust documents are the same, `_service_share`)."""
        key = (role.arn, service)
        hit = self._service_trust.get(key)
        if hit is not None:
            return hit
        acct = account_of(role.arn)
        share = self._service_share(role, service, acct)
        if share is not None:
            held = self._service_shared.get(share)
            if held is not None and held[0].trust_policy.document is role.trust_policy.document:
                first, res = held
                hit = self._service_trust[key] = rebind(
                    res, first.trust_policy.ref, role.trust_policy.ref, first.arn, role.arn
                )
                return hit
        req = Request(
            principal_arn=service,
            action="sts:AssumeRole",
            resource=role.arn,
            context={
                "aws:SourceAccount": acct,
                "aws:PrincipalIsAWSService": "true",
                "aws:PrincipalServiceName": service,
            },
            open_world=True,
            absent_keys=frozenset({"aws:principalarn", "aws:username"}),
        )
        # a service principal belongs to no account: its grant comes from the trust policy alone
        hit = evaluate(req, PolicySet(resource=role.trust_policy))
        self._service_trust[key] = hit
        if share is not None:
            self._service_shared[share] = (role, hit)
        return hit

    def _service_share(self, role: Role, service: str, acct: str) -> tuple[object, ...] | None:
        """What `service_trust` reads of the role besides its trust document: its account (the
        aws:SourceAccount value) and which Resource/NotResource patterns of the trust statements admit
        its ARN; None when a trust statement holds a policy variable (then nothing is shared)."""
        doc = role.trust_policy.document
        held = self._trust_consulted.get(id(doc))
        if held is None or held[0] is not doc:
            held = self._trust_consulted[id(doc)] = (doc, consulted([doc]))
        found = held[1]
        if found is None:
            return None
        kept = found.statements
        return (id(doc), service, acct, tuple(cs.matches_resource(role.arn) for cs in kept) if kept else ())

    def assume(self, src: PrincipalView, role: Role) -> Result:
        """May `src` call sts:AssumeRole on `role` (trust policy x identity policies; the RCPs of
        the role's account when it is another account)?"""
        racct = account_of(role.arn)
        policies = None
        if racct != src.account and (self.snapshot.org_paths.get(racct) or src.policies.rcps):
            key = (src.arn, racct)
            policies = self._cross_rcps.get(key)
            if policies is None:
                policies = self._cross_rcps[key] = replace(src.policies, rcps=self.snapshot.rcp_levels(racct))
        context: dict[str, ContextValue] | None = None
        absent: frozenset[str] = frozenset()
        if racct != src.account and "aws:ResourceOrgID" in src.base_context:
            # the role's account decides aws:ResourceOrgID: the same org, absent (not a member), or unknown
            theirs, their_absent = org_context(self.snapshot, racct)
            context = {"aws:ResourceOrgID": theirs.get("aws:ResourceOrgID")}  # type: ignore[dict-item]
            absent = their_absent & {"aws:resourceorgid"}
        return self._assume_in(src, role, racct, policies, context, absent)

    def _assume_in(
        self,
        src: PrincipalView,
        role: Role,
        racct: str,
        policies: PolicySet | None,
        context: dict[str, ContextValue] | None,
        absent: frozenset[str],
    ) -> Result:
        """`assume`'s answer once its cross-account part has chosen the policies and context: from
        the memo of equal keys (re-cited to `role`'s trust policy), else evaluated and kept."""
        share = self._assume_key(src, role, racct, policies)
        if share is not None:
            hit = self._assume_shared.get(share)
            if hit is not None and hit[0].trust_policy.document is role.trust_policy.document:
                done, res = hit
                if done is role:
                    return res
                return rebind(res, done.trust_policy.ref, role.trust_policy.ref, done.arn, role.arn)
        res = src.can(
            "sts:AssumeRole",
            role.arn,
            resource_policy=role.trust_policy,
            resource_account=racct,
            policies=policies,
            context=context,
            absent=absent,
        )
        if share is not None:
            self._assume_shared[share] = (role, res)
        return res

    def assume_each(self, src: PrincipalView, arns: Sequence[str]) -> list[tuple[str, Result]]:
        """`[(arn, assume(src, roles[arn])) for arn in arns]` (role ARNs of the snapshot): the roles
        of the source's own account (other than itself) skip `assume`'s cross-account part, which
        only the other roles need."""
        roles, acct, me, assume, assume_in = self.snapshot.roles, src.account, src.arn, self.assume, self._assume_in
        none: frozenset[str] = frozenset()
        return [
            (
                arn,
                assume(src, roles[arn])
                if arn == me or account_of(arn) != acct
                else assume_in(src, roles[arn], acct, None, None, none),
            )
            for arn in arns
        ]

    def _assume_key(
        self, src: PrincipalView, role: Role, racct: str, policies: PolicySet | None
    ) -> tuple[object, ...] | None:
        """What `assume(src, role)` reads of the role (techniques/assume_share.py), with the source;
        None: not shared (the role is the source itself, or a consulted statement holds a variable).
        The memo holds one source's answers at a time."""
        if role.arn == src.arn:
            return None
        if self._assume_source is not src:
            self._assume_source = src
            self._assume_shared.clear()
            self._assume_consulted.clear()
        doc = role.trust_policy.document
        ck = (racct, id(doc))
        held = self._assume_consulted.get(ck)
        if held is None or held[0] is not doc:
            held = self._assume_consulted[ck] = (doc, self._consulted_of(policies or src.policies, src.policies, doc))
        found = held[1]
        if found is None:
            return None
        tags_of = src.attacker.tags_of if src.attacker is not None else None
        scope = src.scope
        facts = self._role_facts.get(role.arn)
        if facts is None or facts[0] is not scope:
            # one number per distinct value (kept for the build: equal numbers exactly for equal facts)
            value = role_facts(role.arn, scope)
            facts = self._role_facts[role.arn] = (
                scope,
                self._facts_numbers.setdefault(value, len(self._facts_numbers)),
            )
        return (racct, id(policies), *share_key(role, found, scope, tags_of, facts[1]))

    def _consulted_of(self, policies: PolicySet, own: PolicySet, trust: PolicyDocument) -> Consulted | None:
        """`consulted` of the documents of `policies`, `own` and `trust` (a pure function of those
        documents in order), shared between the sources of one build by the documents' ids; an
        entry holds its documents, so the ids are not reused while it lives (bounded: cleared when full)."""
        docs = [*policy_documents(policies, own), trust]
        key = tuple(map(id, docs))
        memo = self._consulted_shared
        hit = memo.get(key)
        if hit is None:
            if len(memo) >= 65536:
                memo.clear()
            hit = memo[key] = (docs, consulted(docs))
        return hit[1]

    # ---- hubs (linear fan-out on large accounts) -------------------------------------------
    def service_hub(
        self,
        service: str,
        *,
        kind: str,
        label: str,
        missing: tuple[str, ...] = (),
        only_with_instance_profile: bool = False,
    ) -> Hub:
        """Hub `kind` ("new" or "existing:<what>") for `service`, fanning out to every role the
        service may assume (optionally only roles that have an instance profile)."""
        key = (self._scoped(service), kind, only_with_instance_profile)
        hub = self._hubs.get(key)
        if hub is None:
            members = []
            for role, trust in self.roles_trusting_service(service):
                if only_with_instance_profile and not role.instance_profile_arns:
                    continue
                members.append(self._member(service, role, trust, missing))
            suffix = ":ip" if only_with_instance_profile else ""
            if self.scope_account is not None:
                suffix += f"@{self.scope_account}"
            hub = self._hubs[key] = Hub(f"iamgraph:{kind}:{service}{suffix}", label, tuple(members))
        return hub

    def _member(self, service: str, role: Role, trust: Result, missing: tuple[str, ...] = ()) -> tuple[str, Evidence]:
        """`_runs_as(service, role, trust, missing)`, shared between the hubs of the build (a
        member is immutable and a function of those four; an entry holds its trust result and
        serves only that object); members that differ only in `missing` share their grants."""
        key = (service, role.arn, missing)
        held = self._hub_members.get(key)
        if held is None or held[0] is not trust:
            gkey = (service, role.arn)
            grants = self._member_grants.get(gkey)
            if grants is None or grants[0] is not trust:
                grants = self._member_grants[gkey] = (trust, (Grant("sts:AssumeRole", role.arn, trust),))
            ev = Evidence(
                "service-runs-as", _ASSUME_ROLE, grants[1], missing=missing, note=f"{service} may run as this role"
            )
            held = self._hub_members[key] = (trust, (role.arn, ev))
        return held[1]

    def candidates(
        self, src: PrincipalView, action: str, arns: list[str] | tuple[str, ...], group: str
    ) -> set[str] | None:
        """ARNs among `arns` that some identity Allow pattern of `src` for `action` matches
        (None = all of them). Wildcard pattern matches are cached per (pattern, group)."""
        pats = src.resolved_patterns(action)
        if "*" in pats:
            return None
        out: set[str] = set()
        members: frozenset[str] | None = None
        for pat in pats:
            if "*" not in pat and "?" not in pat:
                if members is None:
                    members = self._members(arns, group)
                if pat in members:
                    out.add(pat)
                continue
            out |= self._hits(pat, arns, group)
        return out

    def _members(self, arns: list[str] | tuple[str, ...], group: str) -> frozenset[str]:
        hit = self._pattern_hits.get(("\0members", group))
        if hit is None:
            hit = self._pattern_hits[("\0members", group)] = frozenset(arns)
        return hit

    def passrole_classes(
        self, src: PrincipalView, service: str
    ) -> list[tuple[Result, tuple[tuple[Role, Result], ...]]]:
        """Roles trusting `service` that `src` may pass to it, grouped into classes that share one
        PassRole decision: (PassRole result, ((role, trust result), ...)) per class, in role order.

        Roles whose ARNs match exactly the same resource patterns of the source's PassRole-relevant
        statements (identity, boundary, SCPs) get the same decision, so each class costs one
        evaluation. The source itself stays in its class (so classes can be shared as hubs)."""
        key = (src.arn, service)
        hit = self._passable.get(key)
        if hit is not None:
            return hit
        group = self._scoped(service)
        patterns = self._relevant_patterns(src, "iam:PassRole")
        # sources whose PassRole answers cannot differ share the classes (`_passrole_key`)
        share = self._passrole_key(src, group, patterns)
        if share is not None:
            hit = self._passable_shared.get(share)
            if hit is not None:
                self._passable[key] = hit
                return hit
        arns = self.service_role_arns(service)
        cands = self.candidates(src, "iam:PassRole", arns, group)
        out: list[tuple[Result, tuple[tuple[Role, Result], ...]]] = []
        for members in self._role_classes(service, patterns, cands):
            res = self.shared.can(src, "iam:PassRole", members[0][0].arn, {"iam:PassedToService": service})
            if res.decision is _ALLOWED or res.decision is _UNKNOWN:
                out.append((res, members))
        self._passable[key] = out
        if share is not None:
            self._passable_shared[share] = out
        return out

    def _passrole_key(
        self, src: PrincipalView, group: str, patterns: tuple[str, ...] | None
    ) -> tuple[object, ...] | None:
        """What `passrole_classes(src, service)` reads of `src` (`group`: the service under the
        current scope): the shared-answer part of iam:PassRole (grant_share; the request's context
        names only the service), the resolved Allow patterns (the candidates) and the relevant
        statements' patterns (the classes; both defensive: the part's documents give them). None:
        the answers are not shared."""
        part = self.shared.part(src, "iam:PassRole")
        if part is None:
            return None
        return (group, part, src.resolved_patterns("iam:PassRole"), patterns)

    def _role_classes(
        self, service: str, patterns: tuple[str, ...] | None, cands: set[str] | None
    ) -> list[tuple[tuple[Role, Result], ...]]:
        """The roles trusting `service` (only `cands` unless None), split into classes of roles
        whose ARNs match the same `patterns` (one class per role when None), classes in order of
        their first role, roles in ARN order; memoised on (scope, service, patterns, cands): the
        partition depends on nothing else, so sources with the same PassRole patterns share it."""
        group = self._scoped(service)
        key = (group, patterns, frozenset(cands) if cands is not None else None)
        hit = self._classes.get(key)
        if hit is not None:
            return hit
        roles = self.roles_trusting_service(service)
        if cands is not None:
            # only the candidates, in role (ARN) order: roles_trusting_service is sorted by ARN
            by_arn = self._roles_by_arn(service)
            roles = [by_arn[a] for a in sorted(cands) if a in by_arn]
        groups: dict[object, list[tuple[Role, Result]]] = {}
        if patterns is None:
            for role, trust in roles:
                groups[role.arn] = [(role, trust)]
        else:
            arns = self.service_role_arns(service)
            hits = [self._hits(p, arns, group) for p in patterns] if roles else []
            sig = _match_signatures([r.arn for r, _ in roles], hits)
            for role, trust in roles:
                groups.setdefault(sig.get(role.arn, 0), []).append((role, trust))
        hit = self._classes[key] = [tuple(v) for v in groups.values()]
        return hit

    def _roles_by_arn(self, service: str) -> dict[str, tuple[Role, Result]]:
        """roles_trusting_service(service) by role ARN (cached per scope)."""
        key = "\0by-arn:" + self._scoped(service)
        hit = self._role_lookup.get(key)
        if hit is None:
            hit = self._role_lookup[key] = {r.arn: (r, t) for r, t in self.roles_trusting_service(service)}
        return hit

    def service_role_arns(self, service: str) -> list[str]:
        """ARNs of the roles trusting `service` (cached; same order as roles_trusting_service)."""
        hit = self._service_arns.get(self._scoped(service))
        if hit is None:
            hit = self._service_arns[self._scoped(service)] = [r.arn for r, _ in self.roles_trusting_service(service)]
        return hit

    def role_set_hub(self, service: str, members: tuple[tuple[Role, Result], ...], label: str) -> Hub:
        """A hub for a set of roles the service may assume (shared by every source that can pass
        exactly this set): its id names the service and a digest of the member ARNs."""
        known = self._set_digests.get(id(members))
        if known is not None and known[0] is members:
            digest = known[1]  # the same (shared) class tuple: its digest is known
        else:
            digest = hashlib.sha1("\n".join(r.arn for r, _ in members).encode()).hexdigest()[:10]
            self._set_digests[id(members)] = (members, digest)
        key = (service, "set", digest)
        hub = self._hubs.get(key)
        if hub is None:
            hub = self._hubs[key] = Hub(
                f"iamgraph:new:{service}:{digest}", label, tuple([self._member(service, r, t) for r, t in members])
            )
        return hub

    def _hits(self, pattern: str, arns: Sequence[str], group: str) -> frozenset[str]:
        """The members of `arns` (the tuple that `group` names) that `pattern` matches (cached per group)."""
        hit = self._pattern_hits.get((pattern, group))
        if hit is None:
            # resource_matches(pattern, a) for each a, with the pattern compiled once (no variables);
            # a match starts with the pattern's text before its first wildcard (the match is anchored
            # and case-sensitive), so only the ARNs with that prefix are tried
            match = compile_marked(mark(pattern), True)
            cut = min((i for i in (pattern.find("*"), pattern.find("?")) if i >= 0), default=len(pattern))
            pool = self._with_prefix(arns, group, pattern[:cut]) if cut else arns
            hit = self._pattern_hits[(pattern, group)] = frozenset(a for a in pool if match(a) is True)
        return hit

    def _with_prefix(self, arns: Sequence[str], group: str, prefix: str) -> list[str]:
        """The members of `arns` (the tuple that `group` names) that start with `prefix`."""
        ordered = self._sorted_arns.get(group)
        if ordered is None:
            ordered = self._sorted_arns[group] = sorted(arns)
        i = bisect.bisect_left(ordered, prefix)
        out = []
        for a in itertools.islice(ordered, i, None):
            if not a.startswith(prefix):
                break
            out.append(a)
        return out

    def _relevant_patterns(self, src: PrincipalView, action: str) -> tuple[str, ...] | None:
        """Every resource pattern of a statement about `action` in the source's identity, boundary
        and SCP policies (None when one uses a policy variable: then evaluate every resource);
        memoised per source view and action (it reads that view's policy set only)."""
        key = (src.arn, action)
        held = self._relevant_pats.get(key)
        if held is None or held[0] is not src.policies:
            held = self._relevant_pats[key] = (src.policies, self._relevant_patterns_of(src, action))
        return held[1]

    def _relevant_patterns_of(self, src: PrincipalView, action: str) -> tuple[str, ...] | None:
        found: list[str] = []
        for p in (*src.policies.identity, *src.policies.boundaries, *(q for lvl in src.policies.scps for q in lvl)):
            pats = self._doc_patterns(p.document, action)
            if pats is None:
                return None
            found.extend(pats)
        return tuple(dict.fromkeys(found))

    def _doc_patterns(self, doc: PolicyDocument, action: str) -> tuple[str, ...] | None:
        """The resource patterns (`*` left out, once each, in order) of the statements of `doc`
        about `action`; None when one holds a policy variable. Memoised per document (an entry
        holds its document, so its id is not reused meanwhile)."""
        key = (id(doc), action)
        held = self._doc_pats.get(key)
        if held is not None and held[0] is doc:
            return held[1]
        pats: list[str] = []
        out: tuple[str, ...] | None = None
        for st in doc.statements:
            if statement_matches_action(st, action):
                for pat in st.resources if st.resources is not None else st.not_resources or ():
                    if "${" in pat:
                        break
                    if pat != "*":
                        pats.append(pat)
                else:
                    continue
                break
        else:
            out = tuple(dict.fromkeys(pats))
        self._doc_pats[key] = (doc, out)
        return out

    # ---- inventory -------------------------------------------------------------------------
    @cached_property
    def inventory_by_service(self) -> dict[str, tuple[InventoryResource, ...]]:
        idx: dict[str, list[InventoryResource]] = defaultdict(list)
        for item in self.snapshot.inventory:
            idx[item.service].append(item)
        return {k: tuple(v) for k, v in idx.items()}

    def inventory_complete(self, service: str) -> bool:
        return service in self.snapshot.inventory_collected

    # ---- misc ------------------------------------------------------------------------------
    @cached_property
    def _by_account(self) -> dict[tuple[str, str], tuple[str, ...]]:
        idx: dict[tuple[str, str], list[str]] = defaultdict(list)
        for arn in self.snapshot.users:
            idx[("user", account_of(arn))].append(arn)
        for arn, r in self.snapshot.roles.items():
            if not r.is_service_linked:
                idx[("role", account_of(arn))].append(arn)
        return {k: tuple(v) for k, v in idx.items()}

    def users_in(self, account: str) -> tuple[str, ...]:
        """User ARNs of one account (snapshot order)."""
        return self._by_account.get(("user", account), ())

    def roles_in(self, account: str) -> tuple[str, ...]:
        """Role ARNs of one account, service-linked roles excluded."""
        return self._by_account.get(("role", account), ())

    def principals(self, kind: NodeKind | None = None) -> list[PrincipalView]:
        return [v for v in self.views.values() if kind is None or v.kind is kind]

    def managed_policy(self, arn: str) -> Policy | None:
        return self.snapshot.managed(arn)
