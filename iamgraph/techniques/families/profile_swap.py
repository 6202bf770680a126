"""Swap the role of an existing EC2 instance profile, then run an instance with it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..account_index import AccountIndex
from ..base import Proposal
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView
from .passrole import NewPassRole
from .vehicles import Resource

EC2 = "ec2.amazonaws.com"
# ways to put an instance profile on an instance: launch a new one, or (re)associate it with one
LAUNCH = ("ec2:RunInstances", "ec2:AssociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation")


@dataclass(frozen=True)
class InstanceProfileSwap(NewPassRole):
    """A role trusting EC2 that sits in no instance profile: remove the role of an existing profile,
    add this one (iam:PassRole of it), then launch or associate that profile. Source -> role."""

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        swap = self._swap(ctx, src) if self.applies_to(src) else None
        launch = self._launch(ctx, src) if swap is not None else None
        if swap is None or launch is None:
            return
        profile, grants = swap
        for res, members in ctx.passrole_classes(src, EC2):
            for role, trust in members:
                if role.arn == src.arn or role.instance_profile_arns:
                    continue  # roles already in a profile are reached by ec2-001 itself
                yield Proposal(
                    role.arn,
                    Evidence(
                        self.id,
                        EdgeKind.PASS_ROLE,
                        (Grant("iam:PassRole", role.arn, res), *grants, launch),
                        via=profile,
                        extra_conditions=tuple(sorted(trust.unknown_keys)),
                        note=f"role swapped into instance profile {profile}",
                    ),
                )

    def _swap(self, ctx: AccountIndex, src: PrincipalView) -> tuple[str, tuple[Grant, ...]] | None:
        """An existing instance profile of the source's account whose role it may remove and replace."""
        profiles = sorted(
            {p for r in ctx.snapshot.roles.values() for p in r.instance_profile_arns if p.split(":")[4] == src.account}
        )
        for p in profiles:
            remove = ctx.grant(src, "iam:RemoveRoleFromInstanceProfile", p)
            add = ctx.grant(src, "iam:AddRoleToInstanceProfile", p) if remove else None
            if remove and add:
                return p, (remove, add)
        return None

    def _launch(self, ctx: AccountIndex, src: PrincipalView) -> Grant | None:
        instance = Resource.EC2_INSTANCE.template()
        for action in LAUNCH:
            if src.may(action):
                g = ctx.chosen_grant(src, action, instance)
                if g is not None:
                    return g
        return None
