"""`iamgraph collect` (live, read-only collection to a snapshot file) and `iamgraph print-policy`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..render.terminal import clean
from .app import app, input_errors


@app.command("collect")
@input_errors
def collect(
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="Snapshot file to write (JSON)."),
    profile: list[str] | None = typer.Option(
        None, "--profile", help="AWS profile; repeat for several accounts. Default: the default credential chain."
    ),
    region: list[str] | None = typer.Option(
        None, "--region", help="Region to collect; repeatable. Default: all enabled regions."
    ),
    role_arn: str | None = typer.Option(
        None, "--role-arn", help="Assume this role first (sts:AssumeRole) and scan its account."
    ),
    external_id: str | None = typer.Option(None, "--external-id", help="ExternalId for --role-arn."),
    max_workers: int = typer.Option(8, "--max-workers", min=1, max=64, help="Parallel API readers."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    org: bool = typer.Option(
        False,
        "--org",
        help="Collect every account of the organisation (run from the management or delegated-admin account).",
    ),
    member_role: str = typer.Option(
        "OrganizationAccountAccessRole", "--member-role", help="With --org: role assumed in each member account."
    ),
    concurrency: int = typer.Option(4, "--concurrency", min=1, max=64, help="With --org: accounts collected at once."),
) -> None:
    """Read an AWS account (read-only API calls only) and write an iamgraph snapshot."""
    from ..collect.live import collect_document
    from ..collect.snapshot_io import write_snapshot_document

    if external_id and not role_arn and not org:
        raise typer.BadParameter("--external-id needs --role-arn (or --org, for the member role)")
    progress = None if quiet else (lambda msg: typer.echo(f"iamgraph: {clean(msg)}", err=True))
    profiles: list[str | None] = list(profile) if profile else [None]
    if org:
        from ..collect.live.org_collect import collect_org_document

        if len(profiles) > 1:
            raise typer.BadParameter("--org reads one organisation: give one --profile")
        doc = collect_org_document(
            profile=profiles[0],
            regions=list(region) if region else None,
            member_role=member_role,
            external_id=external_id,
            role_arn=role_arn,
            concurrency=concurrency,
            max_workers=max_workers,
            progress=progress,
        )
    else:
        doc = collect_document(
            profiles=profiles,
            regions=list(region) if region else None,
            role_arn=role_arn,
            external_id=external_id,
            max_workers=max_workers,
            progress=progress,
        )
    write_snapshot_document(doc, output)
    gaps = sum(len(a.get("collection_gaps") or []) for a in doc["accounts"])
    accounts = ", ".join(a["account_id"] for a in doc["accounts"])
    typer.echo(f"iamgraph: wrote {output} (account {accounts}; {gaps} collection gap(s))", err=True)
    for acc in doc["accounts"]:
        for gap in acc.get("collection_gaps") or []:
            where = f" [{gap['region']}]" if gap.get("region") else ""
            typer.echo(clean(f"iamgraph: warning: could not read {gap['api']}{where}: {gap['detail']}"), err=True)
    unread = [
        a["account_id"]
        for a in doc["accounts"]
        if any(g.get("api") == "iam:GetAccountAuthorizationDetails" for g in a.get("collection_gaps") or [])
    ]
    if unread:  # said last, where it is seen: a scan of this snapshot is incomplete (exit 3 under --fail-on)
        typer.echo(
            f"iamgraph: warning: INCOMPLETE: IAM of account(s) {', '.join(unread)} could not be read; "
            "a scan of this snapshot cannot be complete",
            err=True,
        )


@app.command("print-policy")
def print_policy(
    org_management: bool = typer.Option(
        False, "--org-management", help="The policy for `collect --org` in the management account."
    ),
    org_member: bool = typer.Option(
        False, "--org-member", help="The policy of the member role in each member account."
    ),
    member_role: str = typer.Option(
        "OrganizationAccountAccessRole", "--member-role", help="With --org-management: the member role name."
    ),
) -> None:
    """Print the minimal IAM policy a principal needs for a full `iamgraph collect`."""
    from ..collect.readonly import minimal_policy, org_management_policy, org_member_policy

    if org_management:
        typer.echo(json.dumps(org_management_policy(member_role), indent=2))
    elif org_member:
        typer.echo(json.dumps(org_member_policy(), indent=2))
    else:
        typer.echo(json.dumps(minimal_policy(), indent=2))
