"""Read queries for candidates, scoped to the user before anything else."""
from datetime import date, timedelta

from django.db.models import Q

from members.models import fold, subtree_q
from members.selectors import scope_roots, sees_everything

from .models import Candidate, Stage
from .workflow import CLOSED_STAGES, EXAMINATION_STAGES

S = Stage

SORTS = {
    "name": ("search_name", "pk"),
    "-name": ("-search_name", "-pk"),
    "birth": ("birth_date", "pk"),
    "-birth": ("-birth_date", "-pk"),
    "added": ("added_date", "pk"),
    "-added": ("-added_date", "-pk"),
    "stage": ("stage_date", "pk"),
    "-stage": ("-stage_date", "-pk"),
    "due": ("due_date", "pk"),
}


def candidates_visible_to(user):
    qs = Candidate.objects.select_related("organisation")
    if sees_everything(user):
        return qs
    return qs.filter(subtree_q(scope_roots(user), prefix="organisation__"))


def search_candidates(user, *, q="", stage="", branch="", year=None, source="", sort=""):
    qs = candidates_visible_to(user)
    if q:
        qs = qs.filter(Q(search_name__contains=fold(q)) | Q(citizen_id=q.strip()))
    if stage:
        qs = qs.filter(stage=stage)
    if branch:
        qs = qs.filter(organisation__code=branch)
    if year:
        qs = qs.filter(plan_year=year)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


def examination_queue(user):
    """Dossiers waiting for the upper level's decision, oldest deadline first."""
    return candidates_visible_to(user).filter(stage__in=EXAMINATION_STAGES).order_by(
        "due_date", "stage_date", "pk")


def worklist(user, today: date, *, limit=50):
    """What is due or overdue in the user's scope, one query per section."""
    visible = candidates_visible_to(user)
    soon = today + timedelta(days=30)
    sections = [
        ("ceremonies", visible.filter(stage=S.ADMISSION_DECIDED, due_date__lte=soon)
         .order_by("due_date")),
        ("probations_ending", visible.filter(stage=S.PROBATIONARY, probation_end__gte=today,
                                             probation_end__lte=soon).order_by("probation_end")),
        ("recognition_overdue", visible.filter(stage=S.PROBATIONARY, probation_end__lt=today)
         .order_by("due_date")),
        ("certificates_expiring", visible.exclude(stage__in=CLOSED_STAGES).filter(
            stage__in=[S.SYMPATHISER, S.APPLIED, S.HISTORY_VERIFIED, S.INTRODUCED,
                       S.OPINIONS_COLLECTED],
            awareness_cert_expires__lte=today + timedelta(days=90)).order_by(
                "awareness_cert_expires")),
        ("waiting_upper", visible.filter(
            stage__in=[S.AT_GRASSROOTS, S.PARTIAL_APPRAISED, *EXAMINATION_STAGES])
         .order_by("due_date")),
    ]
    return [(key, list(qs[:limit])) for key, qs in sections]
