"""Technique contract: given the indexed account and one source principal, propose edges."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, ClassVar

from ..model.slot_init import slot_init
from .evidence import Evidence

if TYPE_CHECKING:
    from .account_index import AccountIndex
    from .principal import PrincipalView

ADMIN_NODE = "iamgraph:admin"


class Category(str, Enum):
    SELF_ESCALATION = "self-escalation"
    PRINCIPAL_ACCESS = "principal-access"
    NEW_PASSROLE = "new-passrole"
    EXISTING_PASSROLE = "existing-passrole"


@dataclass(frozen=True, slots=True)
class Hub:
    """A shared intermediate node ("a new Lambda function, any role trusting lambda") that fans out
    to its member roles once, instead of one edge per (source, role) pair: keeps large accounts linear."""

    id: str
    label: str
    members: tuple[tuple[str, Evidence], ...]  # (role ARN, evidence of hub -> role)


@slot_init
@dataclass(frozen=True, slots=True)
class Proposal:
    """An edge `source -> target` justified by `evidence` (target may be ADMIN_NODE or a hub)."""

    target: str
    evidence: Evidence
    hub: Hub | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A self-test: in `account` (GAAD dict), `source` must (vulnerable) or must not (safe) get an
    edge of this technique to `target` (ADMIN_NODE or an ARN); `conditional` says how it must be marked."""

    name: str
    vulnerable: bool
    account: dict
    source: str
    target: str = ADMIN_NODE
    conditional: bool = False
    inventory: tuple[dict, ...] = ()
    inventory_collected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Technique(ABC):
    """One escalation technique. Subclasses implement `propose`; instances are catalogue data."""

    id: str
    name: str
    category: Category
    actions: tuple[str, ...]
    description: str = ""
    remediation: str = ""
    cases: Sequence[Case] = field(default=(), compare=False, repr=False)  # maybe built on first use
    references: tuple[str, ...] = ()  # where the technique is described (URLs)
    public_ids: tuple[str, ...] = ()  # ids the current public catalogue gives it, when not `id`
    notes: str = ""  # what the model assumes or leaves out
    # decided by the family, never per technique: definite only with resource inventory
    needs_inventory: ClassVar[bool] = False

    @abstractmethod
    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        """Edges this technique gives `src` (never raises for missing data: mark it conditional)."""

    def gate_action(self) -> str | None:
        """An action every source needs (checked once per group of techniques); None: no gate."""
        return self.actions[0] if self.actions else None

    def gate_any(self) -> tuple[str, ...]:
        """Read only when `gate_action` is None: actions of which a source needs one that `may`
        answers True for (else `propose` yields nothing), asked with the gates; (): no such gate."""
        return ()

    def applies_to(self, src: PrincipalView) -> bool:
        """Cheap prefilter: the source's policies name every required action somewhere."""
        return src.may_every(self.actions)
