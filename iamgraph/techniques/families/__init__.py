"""Generic technique families; catalogue files instantiate them with data."""

from .access import AssumeRole, PrincipalAccess, UpdateTrustThenAssume
from .combos import AccessAndModify
from .passrole import ExistingResource, NewPassRole, ServiceAction
from .provisioning import Provisioning
from .selfedit import AddSelfToGroup, EditOwnPolicy, RemoveOwnBoundary, ReplaceOwnBoundary, SetDefaultVersion

__all__ = [
    "AssumeRole",
    "PrincipalAccess",
    "UpdateTrustThenAssume",
    "AccessAndModify",
    "ExistingResource",
    "NewPassRole",
    "ServiceAction",
    "Provisioning",
    "AddSelfToGroup",
    "EditOwnPolicy",
    "RemoveOwnBoundary",
    "ReplaceOwnBoundary",
    "SetDefaultVersion",
]
