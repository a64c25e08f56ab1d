"""Spreadsheet layouts of the recruitment app as django-import-export resources: candidates
with their history, training classes and their learners (spec/import-format.md). The import
engine finds them here by their dotted paths (`recruitment.resources.CandidateResource`).
"""
from .candidate_planner import CandidatePlanner
from .candidates import CandidateResource
from .classes import TrainingClassResource
from .enrolments import EnrolmentResource

__all__ = ["CandidatePlanner", "CandidateResource", "EnrolmentResource", "TrainingClassResource"]
