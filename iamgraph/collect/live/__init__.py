"""Live collection through boto3 (read-only: every call goes through collect/readonly.py's
allow-list). `account` collects one account (or several profiles), `org_collect` an organisation;
the other modules read one API family each. The only package that imports boto3."""

from .account import collect_document, enabled_regions, open_account

__all__ = ["collect_document", "enabled_regions", "open_account"]
