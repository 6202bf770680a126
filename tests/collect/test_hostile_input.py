"""Hostile input is an input error: one line naming file and JSON path, exit 2, never a traceback
(issue 15). Also what wins for duplicate keys, and the documented resource limits."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from gaad_builders import doc, gaad, managed, role, user, write  # noqa: F401 (fixture)
from typer.testing import CliRunner

from iamgraph.cli import app
from iamgraph.collect import limits
from iamgraph.collect.loader import load_snapshot
from iamgraph.errors import InputError

runner = CliRunner()
ALLOW = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def load_error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_snapshot([path])
    line = info.value.one_line()
    assert "\n" not in line and line.startswith(str(path)), line
    return line


def cli_error(path: Path) -> str:
    r = runner.invoke(app, ["scan", "--input", str(path), "--format", "json"])
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err and str(path) in err, err
    return err


def test_integer_over_the_digit_limit(write):
    text = json.dumps(gaad(roles=[role("r", MaxSessionDuration=7)])).replace(": 7", ": " + "9" * 5000)
    line = cli_error(write(text))
    assert "at $.RoleDetailList[0].MaxSessionDuration: number with 5000 digits" in line


def test_file_nested_100k_deep(write):
    text = '{"UserDetailList": [], "X": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert "nested too deeply" in cli_error(write(text))


def test_url_encoded_document_nested_100k_deep(write):
    inner = '{"Version": "2012-10-17", "Statement": ' + "[" * 100_000 + "]" * 100_000 + "}"
    line = cli_error(write(gaad(roles=[role("r", trust=quote(inner))])))
    assert "at $.RoleDetailList[0].AssumeRolePolicyDocument" in line and "nested too deeply" in line


def test_unknown_element_nested_beyond_document_depth(write):
    deep: object = "x"
    for _ in range(limits.MAX_DOCUMENT_DEPTH + 5):
        deep = [deep]
    trust = doc(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Extra": deep}
    )
    line = load_error(write(gaad(roles=[role("r", trust=trust)])))
    assert "at $.RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Extra: element nested more than" in line


def test_lone_surrogate_in_a_name(write):
    text = json.dumps(gaad(users=[user("alice")])).replace('"UserName": "alice"', '"UserName": "al\\ud800ice"')
    line = cli_error(write(text))
    assert "at $.UserDetailList[0].UserName: string holds \\ud800, an unpaired UTF-16 surrogate" in line


def test_surrogate_pairs_and_escaped_backslashes_are_fine(write):
    text = json.dumps(gaad(users=[user("alice", Tags=[{"Key": "k", "Value": "x"}])]))
    text = text.replace('"Value": "x"', '"Value": "\\ud83d\\ude00 and \\\\ud800"')
    snap = load_snapshot([write(text)])
    [u] = snap.users.values()
    assert u.tags == {"k": "\U0001f600 and \\ud800"}


def test_lone_surrogate_inside_url_encoded_document(write):
    inner = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get\\udfff", "Resource": "*"}]}'
    line = cli_error(write(gaad(roles=[role("r", trust=quote(inner))])))
    assert "at $.RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Action: policy document: string holds" in line


def test_lone_surrogate_in_already_parsed_objects_is_rejected() -> None:
    from iamgraph.collect.loader import snapshot_from_json

    with pytest.raises(InputError) as info:
        snapshot_from_json([(gaad(users=[user("a\ud800")]), "objs.json")])
    assert "unpaired UTF-16 surrogate" in info.value.one_line()


def test_duplicate_keys_in_the_file_last_wins(write):
    """As in the AWS CLI / boto3 / Python json that wrote the file: the last copy wins."""
    text = json.dumps(gaad(users=[user("alice")])).replace('"Path": "/"', '"Path": "/first/", "Path": "/"')
    [u] = load_snapshot([write(text)]).users.values()
    assert u.path == "/"


def test_duplicate_keys_in_a_json_text_document_are_an_error(write):
    inner = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}]}'
    line = cli_error(write(gaad(policies=[managed("p", ("v1", True, quote(inner)))])))
    assert "duplicate key 'Effect'" in line and "at $.Policies[0].PolicyVersionList[0].Document" in line


def test_case_variants_of_one_element_are_an_error(write):
    stmt = {"Effect": "Deny", "effect": "Allow", "Action": "*", "Resource": "*"}
    line = load_error(write(gaad(policies=[managed("p", ("v1", True, doc(stmt)))])))
    assert "appears twice with different case" in line and "Statement[0]" in line


def test_statement_count_limit(write):
    big = doc(*[ALLOW] * (limits.MAX_STATEMENTS + 1))
    line = cli_error(write(gaad(policies=[managed("p", ("v1", True, big))])))
    assert (
        f"at $.Policies[0].PolicyVersionList[0].Document.Statement: policy document has {limits.MAX_STATEMENTS + 1:,} statements"
        in line
    )


def test_condition_value_limit(write):
    stmt = {**ALLOW, "Condition": {"StringLike": {"aws:userid": [f"A{i}*" for i in range(limits.MAX_VALUES + 1)]}}}
    line = cli_error(write(gaad(policies=[managed("p", ("v1", True, doc(stmt)))])))
    assert "Condition.StringLike.aws:userid: condition key 'aws:userid' has 10,001 values" in line


def test_long_pattern_limit(write):
    stmt = {**ALLOW, "Resource": ["*", "arn:aws:s3:::" + "a" * limits.MAX_PATTERN_CHARS]}
    line = cli_error(write(gaad(policies=[managed("p", ("v1", True, doc(stmt)))])))
    assert "Statement[0].Resource[1]: Resource value of 65,549 characters" in line


def test_long_arn_limit(write):
    line = load_error(write(gaad(users=[user("u" * 3000)])))
    assert "at $.UserDetailList[0].Arn: ARN of 3,031 characters" in line


def test_input_size_limit(write, monkeypatch: pytest.MonkeyPatch):
    from iamgraph.collect import files

    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1000)
    line = load_error(write(json.dumps(gaad(users=[user(f"u{i}") for i in range(50)]))))
    assert "over the input limit of 0 MiB" in line and "IAMGRAPH_MAX_INPUT_MB" in line


def test_check_policy_input_errors(write, tmp_path: Path):
    account = write(gaad(users=[user("alice")]))
    policy = tmp_path / "p.json"
    policy.write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "\\ud800", "Resource": "*"}]}'
    )
    r = runner.invoke(app, ["check-policy", str(policy), "--input", str(account), "--attach-to", "alice"])
    assert r.exit_code == 2 and "unpaired UTF-16 surrogate" in r.stderr and len(r.stderr.strip().splitlines()) == 1
