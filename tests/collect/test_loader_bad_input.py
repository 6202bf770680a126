"""Every kind of bad input gives one InputError naming the file and the JSON path (issue 2 §2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gaad_builders import DATA, doc, gaad, managed, role, user, write  # noqa: F401 (fixture)

from iamgraph.collect.loader import load_snapshot
from iamgraph.errors import InputError


def load_error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_snapshot([path])
    line = info.value.one_line()
    assert "\n" not in line
    assert line.startswith(str(path)), line
    return line


def test_not_json(write):
    p = write('{"UserDetailList": [ {"UserName": alice} ]}')
    line = load_error(p)
    assert "not valid JSON" in line and "line 1 column 35" in line
    assert " at $.UserDetailList[0].UserName:" in line


def test_not_json_on_a_later_line_names_line_and_path(write):
    text = json.dumps(gaad(roles=[role("a"), role("b")]), indent=2).replace('"RoleName": "b"', '"RoleName": b')
    line = load_error(write(text))
    assert " at $.RoleDetailList[1].RoleName:" in line
    lineno = text.splitlines().index('      "RoleName": b,') + 1
    assert f"line {lineno} column" in line


def test_truncated_file(write):
    full = json.dumps(gaad(roles=[role("a"), role("b")]), indent=2)
    cut = full[: full.index('"sts:AssumeRole"', full.index('"RoleName": "b"'))]
    line = load_error(write(cut))
    assert "truncated" in line
    assert " at $.RoleDetailList[1].AssumeRolePolicyDocument.Statement[0].Action:" in line


def test_truncated_inside_a_multibyte_character(write):
    p = write('{"UserDetailList": [{"UserName": "zo\u00eb'.encode("utf-8")[:-1])
    line = load_error(p)
    assert "truncated" in line


def test_zero_byte_file(write):
    line = load_error(write(b""))
    assert "empty (0 bytes)" in line


def test_whitespace_only_file(write):
    assert "only whitespace" in load_error(write("  \n"))


def test_directory(tmp_path):
    line = load_error(tmp_path)
    assert "is a directory" in line


def test_missing_file(tmp_path):
    assert "no such file" in load_error(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "content, expected",
    [
        ([1, 2, 3], "at $[0]: expected a GAAD page (a JSON object), got a number"),
        ('"just a string"', "at $: expected a GAAD page (a JSON object), got a string"),
        ({"Users": []}, "at $: neither a GAAD page"),
        ([], "at $: empty list"),
        ([gaad(), "x"], "at $[1]: expected a GAAD page (a JSON object), got a string"),
        ({"UserDetailList": {"alice": {}}}, "at $.UserDetailList: UserDetailList must be a list"),
        ({"format": "something-else"}, "at $.format: unknown format 'something-else'"),
    ],
)
def test_wrong_top_level_shape(write, content, expected):
    assert expected in load_error(write(content))


def test_statement_without_effect(write):
    bad = doc({"Action": "s3:*", "Resource": "*"})
    line = load_error(write(gaad(roles=[role("ok"), role("x", trust=bad)])))
    assert "at $.RoleDetailList[1].AssumeRolePolicyDocument.Statement[0]: statement has no Effect" in line


def test_effect_other_than_allow_or_deny(write):
    bad = doc({"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "allow", "Action": "*", "Resource": "*"})
    line = load_error(write(gaad(users=[user("u", UserPolicyList=[{"PolicyName": "p", "PolicyDocument": bad}])])))
    assert "at $.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[1].Effect:" in line
    assert "'allow'" in line


def test_bad_statement_in_list_of_pages_is_prefixed_with_the_page(write):
    bad = doc({"Effect": "Maybe", "Action": "*", "Resource": "*"})
    pages = [gaad(roles=[role("a")]), gaad(policies=[managed("p", ("v1", True, bad))])]
    line = load_error(write(pages))
    assert "at $[1].Policies[0].PolicyVersionList[0].Document.Statement[0].Effect:" in line


@pytest.mark.parametrize(
    "entity, where",
    [
        (user("u") | {"Arn": "alice"}, "$.UserDetailList[0].Arn"),
        (user("u") | {"Arn": 42}, "$.UserDetailList[0].Arn"),
        (user("u") | {"Arn": "arn:aws:iam::111122223333:role/u"}, "$.UserDetailList[0].Arn"),
        (user("u") | {"Arn": "arn:aws:iam::1234:user/u"}, "$.UserDetailList[0].Arn"),
        (
            user("u", PermissionsBoundary={"PermissionsBoundaryArn": "boundary"}),
            "$.UserDetailList[0].PermissionsBoundary.PermissionsBoundaryArn",
        ),
        (
            user("u", AttachedManagedPolicies=[{"PolicyName": "x", "PolicyArn": "x"}]),
            "$.UserDetailList[0].AttachedManagedPolicies[0].PolicyArn",
        ),
    ],
)
def test_non_arn_where_an_arn_belongs(write, entity, where):
    line = load_error(write(gaad(users=[entity])))
    assert f" at {where}:" in line


def test_non_arn_role_arn_and_instance_profile(write):
    line = load_error(write(gaad(roles=[role("r", InstanceProfileList=[{"Arn": "profile"}])])))
    assert " at $.RoleDetailList[0].InstanceProfileList[0].Arn: not an ARN: 'profile'" in line
    line = load_error(write(gaad(roles=[role("r") | {"Arn": "r"}])))
    assert " at $.RoleDetailList[0].Arn:" in line


def test_missing_arn(write):
    u = user("u")
    del u["Arn"]
    assert " at $.UserDetailList[0]: missing Arn" in load_error(write(gaad(users=[u])))


def test_two_accounts_in_one_page(write):
    other = user("x") | {"Arn": "arn:aws:iam::444455556666:user/x"}
    line = load_error(write(gaad(users=[user("u"), other])))
    assert " at $.UserDetailList[1].Arn: ARN of account 444455556666 in a page of account 111122223333" in line


def test_url_encoded_document_that_is_not_json(write):
    p = write(gaad(roles=[role("r", trust="%7B%22Version%22%3A")]))
    assert " at $.RoleDetailList[0].AssumeRolePolicyDocument: policy document is not valid JSON" in load_error(p)


def test_wrong_types_of_optional_fields(write):
    assert " at $.UserDetailList[0].Tags[0].Key:" in load_error(write(gaad(users=[user("u", Tags=[{"Key": 1}])])))
    assert " at $.RoleDetailList[0].MaxSessionDuration:" in load_error(
        write(gaad(roles=[role("r", MaxSessionDuration="long")]))
    )
    assert " at $.UserDetailList[0].GroupList[0]:" in load_error(write(gaad(users=[user("u", GroupList=[3])])))


def test_default_version_id_naming_no_version(write):
    pol = managed("p", ("v1", True, doc({"Effect": "Allow", "Action": "*", "Resource": "*"})), DefaultVersionId="v9")
    assert " at $.Policies[0].DefaultVersionId:" in load_error(write(gaad(policies=[pol])))


def test_first_bad_file_of_several_is_named(write):
    good = write(gaad(users=[user("u")]), "good.json")
    bad = write("{", "bad.json")
    with pytest.raises(InputError) as info:
        load_snapshot([good, bad])
    assert info.value.file == str(bad) and "truncated" in info.value.message


def test_no_paths():
    with pytest.raises(InputError):
        load_snapshot([])


@pytest.mark.parametrize(
    "text, where",
    [
        ('{"UserDetailList": [{"UserName": "al', "$.UserDetailList[0].UserName"),
        ('{"Policies": [{"IsAttachable": tr', "$.Policies[0].IsAttachable"),
        ('{"RoleDetailList": [{"Tags": [', "$.RoleDetailList[0].Tags[0]"),
    ],
)
def test_truncated_in_a_string_or_literal(write, text, where):
    line = load_error(write(text))
    assert "truncated" in line and f" at {where}:" in line


def test_cli_boundary_prints_one_line_and_exits_2(write):
    """Through the CLI's error boundary (iamgraph.cli.app.input_errors): one line, exit 2, no traceback."""
    import typer
    from typer.testing import CliRunner

    from iamgraph.cli.app import input_errors

    app = typer.Typer()

    @app.command()
    @input_errors
    def load(paths: list[Path]) -> None:
        typer.echo(f"{len(load_snapshot(paths).users)} users")

    bad = write(gaad(users=[user("u") | {"Arn": "nope"}]))
    result = CliRunner().invoke(app, [str(bad)])
    assert result.exit_code == 2
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert err.strip().splitlines() == [f"iamgraph: error: {bad} at $.UserDetailList[0].Arn: not an ARN: 'nope'"]
    assert "Traceback" not in result.output
    ok = CliRunner().invoke(app, [str(DATA / "cli_account.json")])
    assert ok.exit_code == 0 and "2 users" in ok.output
