"""Query modules against small accounts built with the technique case_builders."""

from __future__ import annotations

from iamgraph import api
from iamgraph.collect.gaad import parse_gaad
from iamgraph.techniques.case_builders import account, allow, arn, deny, doc, role, trust_aws, trust_service, user

GH = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"


def report(acct: dict, queries=("privesc-to-admin", "risky-trust", "admins"), params=None) -> dict:
    return api.run_queries(api.build_graph(parse_gaad(acct, file="test")), queries, params=params)


def findings(rep: dict, query: str) -> list[dict]:
    return [f for f in rep["findings"] if f["query"] == query]


def oidc_role(name: str, cond: dict | None, admin: bool = True) -> dict:
    st = {"Effect": "Allow", "Principal": {"Federated": GH}, "Action": "sts:AssumeRoleWithWebIdentity"}
    if cond:
        st["Condition"] = cond
    return role(name, doc(st), admin=admin)


def test_risky_trust_kinds() -> None:
    acct = account(
        users=[user("dev")],
        roles=[
            role("vendor", trust_aws("arn:aws:iam::444455556666:root")),
            role(
                "vendor-ok",
                trust_aws("arn:aws:iam::444455556666:root", Condition={"StringEquals": {"sts:ExternalId": "x1"}}),
            ),
            role("public", trust_aws("*")),
            role("org-only", trust_aws("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-123"}})),
            oidc_role("gh-any", {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}),
            oidc_role("gh-wild", {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}),
            oidc_role(
                "gh-any-owner",
                {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*/app:ref:refs/heads/main"}},
            ),
            oidc_role(
                "gh-org",
                {
                    "StringLike": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": "repo:acme/*",
                    }
                },
            ),
            oidc_role(
                "gh-ok",
                {
                    "StringEquals": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main",
                    }
                },
            ),
            role("root-admin", trust_aws("arn:aws:iam::111111111111:root"), admin=True),
        ],
    )
    kinds = {(f["target"].rsplit("/", 1)[-1], f["details"]["kind"]) for f in findings(report(acct), "risky-trust")}
    assert ("vendor", "cross-account-no-external-id") in kinds
    assert not any(t == "vendor-ok" for t, _ in kinds)
    assert ("public", "public") in kinds
    assert ("org-only", "wildcard-conditional") in kinds
    assert ("gh-any", "oidc-no-sub") in kinds and ("gh-wild", "oidc-no-sub") in kinds
    assert ("gh-any-owner", "oidc-no-sub") in kinds and not any(t == "gh-org" for t, _ in kinds)
    assert not any(t == "gh-ok" for t, _ in kinds)
    assert ("root-admin", "account-root-privileged") in kinds


def test_public_trust_of_admin_role_is_critical() -> None:
    rep = report(account(roles=[role("public-admin", trust_aws("*"), admin=True)]))
    [f] = findings(rep, "risky-trust")
    assert f["severity"] == "critical" and f["reaches_admin"]
    assert f["path"][0]["evidence"][0]["policy_type"] == "trust"


def test_admins_query_cites_statement() -> None:
    rep = report(account(users=[user("boss", managed=("arn:aws:iam::aws:policy/AdministratorAccess",)), user("dev")]))
    [f] = findings(rep, "admins")
    assert f["source"] == arn("user", "boss")
    ev = f["path"][0]["evidence"][0]
    assert ev["policy"] == "arn:aws:iam::aws:policy/AdministratorAccess" and ev["statement"] == 0


def test_privesc_prefers_definite_path_and_counts_alternatives() -> None:
    # dev can assume an admin role only with MFA (conditional) and can also PutUserPolicy on itself (definite)
    acct = account(
        users=[user("dev", allow("iam:PutUserPolicy", arn("user", "dev")))],
        roles=[
            role(
                "mfa-admin",
                trust_aws(arn("user", "dev"), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                admin=True,
            )
        ],
    )
    [f] = findings(report(acct), "privesc-to-admin")
    assert not f["conditional"] and [h["technique"] for h in f["path"]] == ["iam-007"]
    assert f["alternative_paths"] == 1


def test_conditional_only_path_is_potential_medium() -> None:
    acct = account(
        users=[user("dev")],
        roles=[
            role(
                "mfa-admin",
                trust_aws(arn("user", "dev"), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                admin=True,
            )
        ],
    )
    [f] = findings(report(acct), "privesc-to-admin")
    assert f["conditional"] and f["severity"] == "medium"
    assert f["path"][0]["conditions"] == ["aws:MultiFactorAuthPresent"]


def test_denied_principal_has_no_finding() -> None:
    acct = account(users=[user("dev", allow("iam:PutUserPolicy"), deny("iam:*"))])
    assert not findings(report(acct), "privesc-to-admin")


def test_reach_lists_permissions_and_roles() -> None:
    acct = account(
        users=[user("dev", allow("s3:GetObject", "arn:aws:s3:::b/*"), allow("sts:AssumeRole", arn("role", "r")))],
        roles=[role("r", trust_aws("arn:aws:iam::111111111111:root"), allow("ec2:Describe*"))],
    )
    rep = report(acct, ("reach",), {"reach": {"principal": "dev"}})
    by_target = {f["target"].rsplit("/", 1)[-1]: f for f in rep["findings"]}
    assert "r" in by_target and not by_target["r"]["reaches_admin"]
    assert by_target["r"]["details"]["permissions"]["ec2"]["actions"] == ["ec2:Describe*"]
    assert by_target["dev"]["details"]["permissions"]["s3"]["resources"] == ["arn:aws:s3:::b/*"]


def test_who_can_respects_deny() -> None:
    acct = account(
        users=[
            user("a", allow("s3:GetObject")),
            user("b", allow("s3:*"), deny("s3:GetObject", "arn:aws:s3:::secret/*")),
        ]
    )
    rep = report(acct, ("who-can",), {"who-can": {"action": "s3:GetObject", "resource": "arn:aws:s3:::secret/k"}})
    assert {f["source"].rsplit("/", 1)[-1] for f in rep["findings"]} == {"a"}


def test_report_is_deterministic() -> None:
    acct = account(
        users=[user("dev", allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))],
        roles=[role("fn", trust_service("lambda.amazonaws.com"), admin=True)],
    )
    assert api.report_json(report(acct)) == api.report_json(report(acct))


def test_findings_through_incomplete_principals_say_so() -> None:
    # dev may assume "mid"; mid can PutRolePolicy on itself but also references a policy absent from the input
    acct = account(
        users=[user("dev")],
        roles=[
            role(
                "mid",
                trust_aws(arn("user", "dev")),
                allow("iam:PutRolePolicy", arn("role", "mid")),
                managed=("arn:aws:iam::111111111111:policy/not-in-file",),
            )
        ],
    )
    rep = report(acct)
    by_src = {f["source"].rsplit("/", 1)[-1]: f for f in findings(rep, "privesc-to-admin")}
    assert "not-in-file" in " ".join(by_src["dev"]["incomplete"])
    assert any("not-in-file" in w for w in rep["warnings"])


def test_collection_gap_marks_potential_findings(tmp_path) -> None:
    from iamgraph.collect.snapshot_io import parse_snapshot_document

    acct = account(
        users=[user("dev", allow("lambda:UpdateFunctionCode", "*"))],
        roles=[role("fn-admin", trust_service("lambda.amazonaws.com"), admin=True)],
    )
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {
                "account_id": "111111111111",
                "authorization_details": acct,
                "collection_gaps": [{"api": "lambda:ListFunctions", "region": "eu-west-1", "detail": "AccessDenied"}],
            }
        ],
    }
    graph = api.build_graph(parse_snapshot_document(doc, file="snap"))
    rep = api.run_queries(graph, ("privesc-to-admin",))
    [f] = findings(rep, "privesc-to-admin")
    assert f["conditional"] and any("lambda:ListFunctions" in r for r in f["incomplete"])
    assert any("lambda:ListFunctions" in w for w in rep["warnings"])
