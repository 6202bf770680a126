"""Pure, offline IAM policy evaluator (no I/O)."""

from .engine import evaluate, evaluate_statement
from .matching import action_matches, resource_matches, statement_matches_action, statement_matches_resource
from .types import ContextValue, Decision, PolicySet, Request, Result, StatementRef

__all__ = [
    "ContextValue",
    "Decision",
    "PolicySet",
    "Request",
    "Result",
    "StatementRef",
    "evaluate",
    "evaluate_statement",
    "action_matches",
    "resource_matches",
    "statement_matches_action",
    "statement_matches_resource",
]
