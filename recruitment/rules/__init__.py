"""The rules of admission, each a named check with its code, citation and message.

Hard rules refuse the step; soft rules warn and the warning stays on the event for the
approver to see. Numeric limits come from `RuleParameter`, taken as in force on the date of
the event being checked, so history is judged by the rules of its own time. Each rule lives
beside the stage it guards; this package is the one place to import them from.
"""
from .base import (
    ALWAYS,
    CHECKS,
    DEFAULT_PARAMETERS,
    RULES,
    Context,
    Finding,
    Parameters,
    Rule,
    add_months,
    evaluate,
    evaluate_only,
    months_between,
    today,
)

# The stage modules register their rules as they are imported: this order is the order of
# RULES, the order the regulations are listed in (docs/workflow.md prints them so).
# isort: off
from .candidate import EDUCATION_RE, check_age_max, check_age_min, check_cert_valid, check_education
from .dossier import (
    check_helper_official, check_introducer_tenure, check_introducers, check_verified,
)
from .vote import (
    check_branch_register, check_branch_size, check_branch_vote, check_committee_vote,
    check_partial_appraisal,
)
from .ceremony import check_ceremony_after_decision, check_ceremony_deadline
from .recognition import check_new_member_class, check_recognition_late, check_recognition_window
from .dates import check_date_not_future, check_date_order, check_doc_age
from .paths import (
    check_issuer_decides, check_number_unique, check_readmission, check_readmission_decision,
    check_recognition_escalation, check_recognition_revote, check_transfer_target,
    check_vote_failed,
)
# isort: on

assert set(CHECKS) == set(RULES)

__all__ = [
    "ALWAYS", "CHECKS", "DEFAULT_PARAMETERS", "EDUCATION_RE", "RULES", "Context", "Finding",
    "Parameters", "Rule", "add_months", "check_age_max", "check_age_min",
    "check_branch_register", "check_branch_size", "check_branch_vote", "check_cert_valid",
    "check_ceremony_after_decision", "check_ceremony_deadline", "check_committee_vote",
    "check_date_not_future", "check_date_order", "check_doc_age", "check_education",
    "check_helper_official", "check_introducer_tenure", "check_introducers",
    "check_new_member_class", "check_partial_appraisal", "check_recognition_late",
    "check_recognition_window", "check_verified", "evaluate", "evaluate_only",
    "months_between", "today", "check_issuer_decides", "check_number_unique",
    "check_readmission", "check_readmission_decision", "check_recognition_escalation",
    "check_recognition_revote", "check_transfer_target", "check_vote_failed",
]
