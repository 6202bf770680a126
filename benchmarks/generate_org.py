"""Seeded generator of an AWS Organization for the fan-out benchmark and tests.

    python benchmarks/generate_org.py --accounts 200 --seed 7 --out /tmp/iamgraph-org-200

Writes OUT/manifest.json, one snapshot file per account (OUT/accounts/<id>.json) and
OUT/truth.json. Accounts are of mixed size (`--base mixed`: 60 % x 100 roles, 30 % x 300,
9 % x 1,000, 1 % x 5,000, built by generate_account.py) or tiny (`--base tiny`, for tests). There
are OUs on three levels with SCPs and an RCP, Identity Center (permission sets, groups, users,
assignments, and the provisioned AWSReservedSSO_ roles), and planted cross-account chains that
must be found definite, plus near-misses that must not be definite:

planted     person -> permission set -> role -> cross-account role -> admin; CI OIDC -> deploy
            role -> member admin; delegated IAM admin abusing sts:AssumeRoot; the management
            account's operator through OrganizationAccountAccessRole; an admin pivot; 3- and
            4-account chains; org-wide trusts (PrincipalOrgID, PrincipalOrgPaths, PrincipalAccount);
            an Identity Center group holding an admin permission set; a helpdesk role that adds
            itself to that group.
near-misses an SCP that blocks AssumeRole; a trust conditioned on another organisation; an
            ExternalId; an RCP that blocks; a protected SSO role; a permission-set edit without
            ProvisionPermissionSet; an MFA trust; an OU path that excludes; an SCP that blocks admin;
            PassRole to a Lambda role of another account.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Doc = dict[str, Any]
MGMT = "999988887777"
ORG_ID = "o-benchorg0001"
ROOT_ID = "r-bn01"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
READONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
INSTANCE = "arn:aws:sso:::instance/ssoins-7223bench0001"
STORE = "d-90670bench"
SSO_PATH = "/aws-reserved/sso.amazonaws.com/"
OIDC = "token.actions.githubusercontent.com"


def _gen_account_module() -> Any:
    spec = importlib.util.spec_from_file_location("generate_account", HERE / "generate_account.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules.setdefault("generate_account", mod)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _uid(prefix: str, acct: str, name: str) -> str:
    """A stable unique id (the same on every run: no hash())."""
    return prefix + hashlib.sha256(f"{acct}/{name}".encode()).hexdigest()[:16].upper()


def doc(*st: Doc) -> Doc:
    return {"Version": "2012-10-17", "Statement": list(st)}


def allow(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> Doc:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def deny(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> Doc:
    return {"Effect": "Deny", "Action": actions, "Resource": resources, **extra}


def trust(principal: Doc | str, action: str | list[str] = "sts:AssumeRole", **extra: Any) -> Doc:
    p = principal if isinstance(principal, dict) else {"AWS": principal}
    return doc({"Effect": "Allow", "Principal": p, "Action": action, **extra})


def role(acct: str, name: str, trust_doc: Doc, *statements: Doc, managed: tuple[str, ...] = (), path: str = "/") -> Doc:
    return {
        "Path": path,
        "RoleName": name,
        "RoleId": _uid("AROA", acct, name),
        "Arn": f"arn:aws:iam::{acct}:role{path}{name}",
        "AssumeRolePolicyDocument": trust_doc,
        "RolePolicyList": [{"PolicyName": f"{name}-inline", "PolicyDocument": doc(*statements)}] if statements else [],
        "AttachedManagedPolicies": [{"PolicyName": m.rsplit("/", 1)[-1], "PolicyArn": m} for m in managed],
        "InstanceProfileList": [],
        "Tags": [],
    }


def user(acct: str, name: str, *statements: Doc, managed: tuple[str, ...] = ()) -> Doc:
    return {
        "Path": "/",
        "UserName": name,
        "UserId": _uid("AIDA", acct, name),
        "Arn": f"arn:aws:iam::{acct}:user/{name}",
        "GroupList": [],
        "UserPolicyList": [{"PolicyName": f"{name}-inline", "PolicyDocument": doc(*statements)}] if statements else [],
        "AttachedManagedPolicies": [{"PolicyName": m.rsplit("/", 1)[-1], "PolicyArn": m} for m in managed],
        "Tags": [],
    }


def _tiny_gaad(acct: str, rng: random.Random) -> Doc:
    """A small account: a few app roles, an admin role, OrganizationAccountAccessRole, readers."""
    roles = [
        role(acct, "OrganizationAccountAccessRole", trust(f"arn:aws:iam::{MGMT}:root"), managed=(ADMIN_ARN,)),
        role(acct, "local-admin", trust(f"arn:aws:iam::{acct}:root"), managed=(ADMIN_ARN,)),
    ]
    for i in range(rng.randint(3, 6)):
        roles.append(
            role(
                acct,
                f"app-{i}",
                trust({"Service": "lambda.amazonaws.com"}),
                allow(["s3:GetObject", "s3:PutObject"], f"arn:aws:s3:::app-{acct}-{i}/*"),
            )
        )
    users = [user(acct, f"reader-{i}", allow(["s3:List*", "ec2:Describe*"])) for i in range(rng.randint(1, 3))]
    return {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []}


class _Org:
    def __init__(self, n: int, seed: int, base: str) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.members = [f"2{seed % 1000:03d}{i:08d}" for i in range(1, n)]
        self.accounts = [MGMT, *self.members]
        self.base = base
        self.gaads: dict[str, Doc] = {}
        self.truth: Doc = {"planted": [], "near_misses": []}
        self.ou_of: dict[str, list[str]] = {}
        self.idc: Doc = {
            "instance_arn": INSTANCE,
            "identity_store_id": STORE,
            "owner_account": MGMT,
            "permission_sets": [],
            "users": [],
            "groups": [],
            "memberships": [],
            "assignments": [],
        }
        self.delegated: dict[str, list[str]] = {}
        self.slot = 0
        self.special: set[str] = set()  # quarantine / sandbox accounts: never reused by a chain

    def take(self, k: int) -> list[str]:
        """k distinct member accounts, round robin (small orgs reuse accounts across chains)."""
        pool = [m for m in self.members if m not in self.special]
        if k > len(pool):
            raise ValueError("--accounts too small for the planted chains")
        out = [pool[(self.slot + i) % len(pool)] for i in range(k)]
        self.slot += k
        return out

    def sizes(self) -> dict[str, int]:
        if self.base == "tiny":
            return {a: 0 for a in self.accounts}
        n = len(self.accounts)
        mix = [5000] * max(1, round(n * 0.01)) + [1000] * round(n * 0.09) + [300] * round(n * 0.30)
        mix += [100] * (n - len(mix))
        self.rng.shuffle(mix)
        return dict(zip(self.accounts, mix[:n]))

    def build_bases(self) -> None:
        sizes = self.sizes()
        gen = _gen_account_module() if self.base != "tiny" else None
        cache: dict[tuple[int, int], str] = {}
        for i, acct in enumerate(self.accounts):
            if gen is None:
                self.gaads[acct] = _tiny_gaad(acct, random.Random(self.seed * 7919 + i))
                continue
            key = (sizes[acct], i % 3)
            if key not in cache:
                cache[key] = json.dumps(gen.generate(sizes[acct], self.seed * 10 + key[1])[0])
            self.gaads[acct] = json.loads(cache[key].replace(gen.ACCOUNT, acct))

    def add(self, acct: str, *, roles: list[Doc] = (), users: list[Doc] = ()) -> None:  # type: ignore[assignment]
        g = self.gaads[acct]
        g["RoleDetailList"].extend(roles)
        g["UserDetailList"].extend(users)

    def plant(self, name: str, source: str, account: str) -> None:
        self.truth["planted"].append({"name": name, "source": source, "admin_account": account})

    def near(self, name: str, source: str, account: str) -> None:
        self.truth["near_misses"].append({"name": name, "source": source, "admin_account": account})

    # ---- Identity Center -------------------------------------------------------------------
    def permission_set(self, name: str, *, managed: tuple[str, ...] = (), inline: Doc | None = None) -> str:
        arn = f"arn:aws:sso:::permissionSet/ssoins-7223bench0001/ps-{len(self.idc['permission_sets']):016x}"
        self.idc["permission_sets"].append(
            {
                "arn": arn,
                "name": name,
                "managed_policies": list(managed),
                "inline_policy": inline,
                "provisioned_accounts": [],
            }
        )
        return arn

    def idc_user(self, name: str) -> str:
        uid = f"9067{len(self.idc['users']):04d}-bench-user"
        self.idc["users"].append({"id": uid, "user_name": name, "display_name": name.split("@")[0]})
        return uid

    def idc_group(self, name: str, members: list[str]) -> str:
        gid = f"9067{len(self.idc['groups']):04d}-bench-group"
        self.idc["groups"].append({"id": gid, "display_name": name})
        self.idc["memberships"] += [{"group_id": gid, "user_id": u} for u in members]
        return gid

    def assign(self, ps_arn: str, account: str, ptype: str, pid: str) -> str:
        """Assignment plus the provisioned role in the account (collected: every account is)."""
        ps = next(p for p in self.idc["permission_sets"] if p["arn"] == ps_arn)
        self.idc["assignments"].append(
            {"permission_set_arn": ps_arn, "account_id": account, "principal_type": ptype, "principal_id": pid}
        )
        if account not in ps["provisioned_accounts"]:
            ps["provisioned_accounts"].append(account)
            ps["provisioned_accounts"].sort()
            name = f"AWSReservedSSO_{ps['name']}_{self.rng.getrandbits(64):016x}"
            saml = {"Federated": f"arn:aws:iam::{account}:saml-provider/AWSSSO_bench_DO_NOT_DELETE"}
            r = role(
                account,
                name,
                trust(
                    saml,
                    ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                    Condition={"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
                ),
                *((ps["inline_policy"]["Statement"]) if ps["inline_policy"] else ()),
                managed=tuple(ps["managed_policies"]),
                path=SSO_PATH,
            )
            self.add(account, roles=[r])
            ps.setdefault("_roles", {})[account] = r["Arn"]
        return str(ps["_roles"][account])


def generate_org(accounts: int, seed: int, *, base: str = "mixed") -> tuple[Doc, Doc]:
    """(merged snapshot document, truth)."""
    o = _Org(accounts, seed, base)
    o.build_bases()
    iam = "arn:aws:iam::"
    # ---- OUs: root -> workloads -> {prod, dev}; root -> sandbox; root -> quarantine ---------------
    quarantine, sandbox = o.take(2)
    o.special = {quarantine, sandbox}
    o.slot = 0
    for i, a in enumerate(o.members):
        if a in (quarantine,):
            o.ou_of[a] = ["ou-bn01-quarantine"]
        elif a == sandbox:
            o.ou_of[a] = ["ou-bn01-sandbox"]
        else:
            o.ou_of[a] = ["ou-bn01-workloads", "ou-bn01-prod" if i % 2 else "ou-bn01-dev"]
    # ---- Identity Center -------------------------------------------------------------------
    ps_admin = o.permission_set("AdministratorAccess", managed=(ADMIN_ARN,))
    ps_read = o.permission_set("ReadOnly", managed=(READONLY_ARN,))
    ps_deploy = o.permission_set("Deployer", inline=doc(allow("sts:AssumeRole", f"{iam}*:role/cross-deploy")))
    ps_help = o.permission_set(
        "Helpdesk",
        inline=doc(allow(["identitystore:CreateGroupMembership", "identitystore:List*", "identitystore:Describe*"])),
    )
    for i in range(36 if base != "tiny" else 4):
        o.permission_set(f"Team{i:02d}", inline=doc(allow(["s3:GetObject", "logs:Get*"], f"arn:aws:s3:::team-{i}/*")))
    people = [o.idc_user(f"person{i:03d}@corp.example") for i in range(30 if base != "tiny" else 6)]
    alice, bob, carol = (
        o.idc_user("alice@corp.example"),
        o.idc_user("bob@corp.example"),
        o.idc_user("carol@corp.example"),
    )
    deployers = o.idc_group("deployers", [alice])
    admins = o.idc_group("platform-admins", [bob])
    everyone = o.idc_group("everyone", people)
    for a in o.members[: min(len(o.members), 12)]:
        o.assign(ps_read, a, "GROUP", everyone)
    # P1 person -> permission set -> role -> cross-account role -> admin
    x1, x2 = o.take(2)
    o.assign(ps_deploy, x1, "GROUP", deployers)
    o.add(x2, roles=[role(x2, "cross-deploy", trust(f"{iam}{x1}:root"), managed=(ADMIN_ARN,))])
    o.plant("person-permission-set-cross-account", f"arn:aws:identitystore:::user/{alice}", x2)
    # P9 Identity Center group with an admin permission set; P10 helpdesk adds itself to it
    x15 = o.take(1)[0]
    o.assign(ps_admin, x15, "GROUP", admins)
    o.plant("idc-admin-group", f"arn:aws:identitystore:::user/{bob}", x15)
    helpdesk_role = o.assign(ps_help, MGMT, "USER", carol)
    o.plant("helpdesk-joins-admin-group", helpdesk_role, x15)
    # P2 CI OIDC -> deploy role -> member admin
    x3, x4 = o.take(2)
    gh = role(
        x3,
        "gh-deploy",
        trust(
            {"Federated": f"{iam}{x3}:oidc-provider/{OIDC}"},
            "sts:AssumeRoleWithWebIdentity",
            Condition={
                "StringEquals": {f"{OIDC}:aud": "sts.amazonaws.com", f"{OIDC}:sub": "repo:corp/app:ref:refs/heads/main"}
            },
        ),
        allow("sts:AssumeRole", f"{iam}{x4}:role/member-deployer"),
    )
    o.add(x3, roles=[gh])
    o.add(x4, roles=[role(x4, "member-deployer", trust(f"{iam}{x3}:role/gh-deploy"), managed=(ADMIN_ARN,))])
    o.plant("ci-oidc-deploy-role", gh["Arn"], x4)
    # P3 delegated IAM administrator abusing sts:AssumeRoot
    d_acct, x5 = o.take(2)
    o.delegated["iam.amazonaws.com"] = [d_acct]
    root_ops = role(d_acct, "root-ops", trust(f"{iam}{d_acct}:root"), allow("sts:AssumeRoot", f"{iam}{x5}:root"))
    o.add(d_acct, roles=[root_ops])
    o.plant("delegated-admin-assume-root", root_ops["Arn"], x5)
    # P4 the management account's operator through OrganizationAccountAccessRole
    x6 = o.take(1)[0]
    ops = user(MGMT, "mgmt-ops", allow("sts:AssumeRole", f"{iam}{x6}:role/OrganizationAccountAccessRole"))
    o.add(MGMT, users=[ops])
    if not any(r["RoleName"] == "OrganizationAccountAccessRole" for r in o.gaads[x6]["RoleDetailList"]):
        o.add(x6, roles=[role(x6, "OrganizationAccountAccessRole", trust(f"{iam}{MGMT}:root"), managed=(ADMIN_ARN,))])
    o.plant("management-operator", ops["Arn"], x6)
    # P5 admin pivot
    x7, x8 = o.take(2)
    boss = role(x7, "ops-admin", trust(f"{iam}{x7}:root"), managed=(ADMIN_ARN,))
    o.add(x7, roles=[boss])
    o.add(x8, roles=[role(x8, "break-glass", trust(f"{iam}{x7}:root"), managed=(ADMIN_ARN,))])
    o.plant("admin-pivot", boss["Arn"], x8)
    # P6 three accounts
    x9, x10, x11 = o.take(3)
    build = user(x9, "build", allow("sts:AssumeRole", f"{iam}{x10}:role/relay"))
    o.add(x9, users=[build])
    o.add(
        x10,
        roles=[role(x10, "relay", trust(f"{iam}{x9}:root"), allow("sts:AssumeRole", f"{iam}{x11}:role/target-admin"))],
    )
    o.add(x11, roles=[role(x11, "target-admin", trust(f"{iam}{x10}:role/relay"), managed=(ADMIN_ARN,))])
    o.plant("three-account-chain", build["Arn"], x11)
    # P7/P8/P11 org-wide trusts
    x12, x13 = o.take(2)
    o.add(
        x12,
        roles=[
            role(
                x12,
                "org-admin",
                trust("*", Condition={"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}),
                managed=(ADMIN_ARN,),
            )
        ],
    )
    auditor = user(x13, "auditor", allow("sts:AssumeRole", f"{iam}{x12}:role/org-admin"))
    o.add(x13, users=[auditor])
    o.plant("principal-org-id", auditor["Arn"], x12)
    x14, x14s = o.take(2)
    path = f"{ORG_ID}/{ROOT_ID}/ou-bn01-workloads/*"
    o.add(
        x14,
        roles=[
            role(
                x14,
                "workloads-admin",
                trust("*", Condition={"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [path]}}),
                managed=(ADMIN_ARN,),
            )
        ],
    )
    wl = user(x14s, "wl-ops", allow("sts:AssumeRole", f"{iam}{x14}:role/workloads-admin"))
    o.add(x14s, users=[wl])
    o.plant("principal-org-paths", wl["Arn"], x14)
    x16, x17 = o.take(2)
    o.add(
        x17,
        roles=[
            role(
                x17,
                "deploy-prod",
                trust("*", Condition={"StringEquals": {"aws:PrincipalAccount": x16}}),
                managed=(ADMIN_ARN,),
            )
        ],
    )
    ci16 = user(x16, "ci", allow("sts:AssumeRole", f"{iam}{x17}:role/deploy-*"))
    o.add(x16, users=[ci16])
    o.plant("principal-account", ci16["Arn"], x17)
    o.special |= {x12, x14, x17}  # their `*` trusts admit every principal of the same account
    # P12 four accounts
    y = o.take(4)
    start = user(y[0], "pipeline", allow("sts:AssumeRole", f"{iam}{y[1]}:role/hop1"))
    o.add(y[0], users=[start])
    o.add(
        y[1], roles=[role(y[1], "hop1", trust(f"{iam}{y[0]}:root"), allow("sts:AssumeRole", f"{iam}{y[2]}:role/hop2"))]
    )
    o.add(
        y[2],
        roles=[role(y[2], "hop2", trust(f"{iam}{y[1]}:role/hop1"), allow("sts:AssumeRole", f"{iam}{y[3]}:role/hop3"))],
    )
    o.add(y[3], roles=[role(y[3], "hop3", trust(f"{iam}{y[2]}:role/hop2"), managed=(ADMIN_ARN,))])
    o.plant("four-account-chain", start["Arn"], y[3])

    # ---- near-misses -----------------------------------------------------------------------
    t1 = o.take(1)[0]
    qdev = user(quarantine, "quarantined-dev", allow("sts:AssumeRole", f"{iam}{t1}:role/q-target"))
    o.add(quarantine, users=[qdev])
    o.add(t1, roles=[role(t1, "q-target", trust(f"{iam}{quarantine}:root"), managed=(ADMIN_ARN,))])
    o.near("scp-blocks-assume-role", qdev["Arn"], t1)
    ta, tb = o.take(2)
    o.add(
        ta,
        roles=[
            role(
                ta,
                "other-org-admin",
                trust("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-notours0000"}}),
                managed=(ADMIN_ARN,),
            )
        ],
    )
    nb = user(tb, "outsider-check", allow("sts:AssumeRole", f"{iam}{ta}:role/other-org-admin"))
    o.add(tb, users=[nb])
    o.near("org-condition-excludes", nb["Arn"], ta)
    tc, td = o.take(2)
    o.add(
        tc,
        roles=[
            role(
                tc,
                "vendor-bridge",
                trust(f"{iam}{td}:root", Condition={"StringEquals": {"sts:ExternalId": "7f3a"}}),
                managed=(ADMIN_ARN,),
            )
        ],
    )
    vd = user(td, "vendor-caller", allow("sts:AssumeRole", f"{iam}{tc}:role/vendor-bridge"))
    o.add(td, users=[vd])
    o.near("external-id", vd["Arn"], tc)
    te, tf = o.take(2)
    o.ou_of[te] = ["ou-bn01-workloads", "ou-bn01-vault"]
    o.add(te, roles=[role(te, "protected-admin", trust(f"{iam}{tf}:root"), managed=(ADMIN_ARN,))])
    pf = user(tf, "vault-caller", allow("sts:AssumeRole", f"{iam}{te}:role/protected-admin"))
    o.add(tf, users=[pf])
    o.near("rcp-blocks", pf["Arn"], te)
    tg = o.take(1)[0]
    sso_admin_role = o.assign(ps_admin, tg, "GROUP", admins)
    iw = user(
        tg,
        "iam-writer",
        allow(
            ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy"], f"{iam}{tg}:role{SSO_PATH}*"
        ),
        allow("sts:AssumeRole", sso_admin_role),
    )
    o.add(tg, users=[iw])
    o.near("protected-sso-role", iw["Arn"], tg)
    editor = role(MGMT, "ps-editor", trust(f"{iam}{MGMT}:root"), allow("sso:PutInlinePolicyToPermissionSet", "*"))
    o.add(MGMT, roles=[editor])
    o.near("permission-set-edit-without-provision", editor["Arn"], x15)
    th, ti = o.take(2)
    o.add(
        th,
        roles=[
            role(
                th,
                "mfa-admin",
                trust(f"{iam}{ti}:root", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                managed=(ADMIN_ARN,),
            )
        ],
    )
    mf = user(ti, "mfa-caller", allow("sts:AssumeRole", f"{iam}{th}:role/mfa-admin"))
    o.add(ti, users=[mf])
    o.near("mfa-trust", mf["Arn"], th)
    tj = o.take(1)[0]
    o.add(
        tj,
        roles=[
            role(
                tj,
                "dev-only-admin",
                trust(
                    "*",
                    Condition={
                        "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG_ID}/{ROOT_ID}/ou-bn01-sandbox/*"]}
                    },
                ),
                managed=(ADMIN_ARN,),
            )
        ],
    )
    wrong = user(x14s, "wrong-ou", allow("sts:AssumeRole", f"{iam}{tj}:role/dev-only-admin"))
    o.add(x14s, users=[wrong])
    o.near("org-path-excludes", wrong["Arn"], tj)
    sb = role(quarantine, "sandbox-admin", trust(f"{iam}{quarantine}:root"), managed=(ADMIN_ARN,))
    o.add(quarantine, roles=[sb])
    o.near("scp-blocks-admin", sb["Arn"], quarantine)
    tk, tl = o.take(2)
    pr = user(tk, "lambda-dev", allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))
    o.add(tk, users=[pr])
    o.add(tl, roles=[role(tl, "fn-admin", trust({"Service": "lambda.amazonaws.com"}), managed=(ADMIN_ARN,))])
    o.near("passrole-foreign-lambda-role", pr["Arn"], tl)
    return _document(o), o.truth


def _document(o: _Org) -> Doc:
    def scp(name: str, *st: Doc) -> Doc:
        return {
            "arn": f"arn:aws:organizations::{MGMT}:policy/{ORG_ID}/service_control_policy/p-{name}",
            "name": name,
            "document": doc(*st),
        }

    full = scp("FullAWSAccess", allow("*"))
    scps = {
        ROOT_ID: [full, scp("deny-leave", deny("organizations:LeaveOrganization"))],
        "ou-bn01-quarantine": [full, scp("no-assume", deny("sts:AssumeRole")), scp("no-iam", deny("iam:*"))],
    }
    rcps = {
        "ou-bn01-vault": [
            {
                "arn": f"arn:aws:organizations::{MGMT}:policy/{ORG_ID}/resource_control_policy/p-vault",
                "name": "vault",
                "document": doc(
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "sts:AssumeRole",
                        "Resource": "arn:aws:iam::*:role/protected-*",
                    }
                ),
            }
        ]
    }

    def node(nid: str, kind: str) -> Doc:
        return {"id": nid, "kind": kind, "name": nid, "scps": scps.get(nid, [full]), "rcps": rcps.get(nid, [])}

    paths = {MGMT: [node(ROOT_ID, "root"), node(MGMT, "account")]}
    for a in o.members:
        paths[a] = [node(ROOT_ID, "root"), *(node(ou, "ou") for ou in o.ou_of.get(a, [])), node(a, "account")]
    for ps in o.idc["permission_sets"]:
        ps.pop("_roles", None)
    org = {
        "accounts": paths,
        "id": ORG_ID,
        "management_account": MGMT,
        "members": [{"id": a, "name": "management" if a == MGMT else f"member-{i}"} for i, a in enumerate(o.accounts)],
        "delegated_administrators": o.delegated,
        "root_sessions_enabled": True,
    }
    return {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": a, "authorization_details": o.gaads[a]} for a in o.accounts],
        "organization": org,
        "identity_center": o.idc,
    }


def score(report: Doc, truth: Doc) -> Doc:
    """Planted chains found definite, near-misses reported definite."""
    definite = {
        (f["source"], f.get("admin_account"))
        for f in report["findings"]
        if f["query"] == "privesc-to-admin" and not f["conditional"]
    }
    planted = [p for p in truth["planted"] if (p["source"], p["admin_account"]) in definite]
    wrong = [n for n in truth["near_misses"] if (n["source"], n["admin_account"]) in definite]
    return {
        "planted": len(planted),
        "planted_total": len(truth["planted"]),
        "near_miss_definite": len(wrong),
        "near_miss_total": len(truth["near_misses"]),
        "missed": sorted(p["name"] for p in truth["planted"] if p not in planted),
        "near_miss_wrong": sorted(n["name"] for n in wrong),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--base", choices=("mixed", "tiny"), default="mixed")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    from iamgraph.fanout.manifest import split_snapshot

    document, truth = generate_org(args.accounts, args.seed, base=args.base)
    manifest = split_snapshot(document, args.out)
    (args.out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    roles = sum(len(a["authorization_details"]["RoleDetailList"]) for a in document["accounts"])
    print(
        f"{manifest}: {args.accounts} accounts, {roles} roles; {len(truth['planted'])} planted chains, "
        f"{len(truth['near_misses'])} near-misses",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
