"""Checking existing statutes or a founding agreement against the law of a date
(`igs-advisor check-statutes`): reading the document, recognising its form and clauses, and
reporting what is missing, doubtful or outdated. See check.py."""
from advisor.statutes.check import StatutesReport, check_document, check_file

__all__ = ["StatutesReport", "check_document", "check_file"]
