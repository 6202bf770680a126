"""Pure, offline IAM policy evaluator (no I/O)."""

from .types import ContextValue, Decision, PolicySet, Request, Result, StatementRef

__all__ = ["ContextValue", "Decision", "PolicySet", "Request", "Result", "StatementRef"]
