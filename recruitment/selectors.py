"""Read queries for candidates, scoped to the user before anything else."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, DateField, F, Func, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from members.models import MemberStatus, fold, subtree_q
from members.selectors import (
    is_citizen_id,
    members_visible_to,
    organisations_visible_to,
    scope_roots,
    sees_everything,
)

from .calendar import WorkingCalendar
from .models import (
    CERTIFIED_STAGES,
    Candidate,
    ClassKind,
    Decision,
    Holiday,
    Nomination,
    NumberSequence,
    RegisteredNumber,
    Source,
    Stage,
    TrainingClass,
)
from .rules import add_months
from .workflow import EXAMINATION_STAGES, STAGE_HOLDER

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


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _one_of(params, name, values, default=""):
    value = params.get(name, default)
    return value if value in values else default


# `cho=toi`: only the dossiers that wait for the user (holder_q), e.g. what the branches sent
# up to the grassroots office.
WAITING_FILTER = "toi"


def candidate_filters(params) -> dict:
    """The candidate list's filters from a query string (the page and its export read the same)."""
    return {"q": (params.get("q") or "").strip(), "stage": _one_of(params, "stage", Stage.values),
            "branch": (params.get("branch") or "").strip(), "year": int_or_none(params.get("year")),
            "source": _one_of(params, "source", Source.values),
            "cho": _one_of(params, "cho", (WAITING_FILTER,)),
            "sort": _one_of(params, "sort", SORTS, "name")}


def class_filters(params) -> dict:
    """The class list's filters from a query string (the page and its export read the same)."""
    return {"kind": _one_of(params, "kind", ClassKind.values),
            "year": int_or_none(params.get("year")), "q": (params.get("q") or "").strip()}


def candidates_visible_to(user):
    qs = Candidate.objects.select_related("organisation")
    if sees_everything(user):
        return qs
    return qs.filter(subtree_q(scope_roots(user), prefix="organisation__"))


# The sorts a page can walk by keyset (a cursor on the name and the id); the others are
# paged by OFFSET, capped like every list (members.paging).
KEYSET_SORTS = ("name", "-name")


def candidate_search(user, *, q="", stage="", branch="", year=None, source="", cho="",
                     sort=""):
    """The candidate list as (rows, name_match, order): `rows` scoped to the user first, then
    filtered; `name_match` the condition a search by name adds (None when there is none or
    the text is a CCCD, matched exactly in `rows`); `order` the sort's fields."""
    qs = candidates_visible_to(user)
    if cho == WAITING_FILTER:
        qs = qs.filter(holder_q(user))
    if stage:
        qs = qs.filter(stage=stage)
    if branch:
        qs = qs.filter(organisation__code=branch)
    if year:
        qs = qs.filter(plan_year=year)
    if source:
        qs = qs.filter(source=source)
    order = SORTS.get(sort, SORTS["name"])
    q = q.strip()
    if not q:
        return qs, None, order
    if is_citizen_id(q):
        return qs.filter(citizen_id=q), None, order
    return qs, Q(search_name__contains=fold(q)) | Q(citizen_id=q), order


def search_candidates(user, *, q="", stage="", branch="", year=None, source="", cho="",
                      sort=""):
    qs, name_match, order = candidate_search(user, q=q, stage=stage, branch=branch, year=year,
                                             source=source, cho=cho, sort=sort)
    if name_match is not None:
        qs = qs.filter(name_match)
    return qs.order_by(*order)


def examination_queue(user):
    """Dossiers waiting for the upper level's decision, oldest deadline first."""
    return candidates_visible_to(user).filter(stage__in=EXAMINATION_STAGES).order_by(
        "due_date", "stage_date", "pk")


def worklist(user, today: date, *, limit=50, horizon: date | None = None):
    """What is due or overdue in the user's scope, one query per section. `horizon` is the end
    of the "due" section's window (due_horizon), computed here when not given."""
    visible = candidates_visible_to(user)
    soon = today + timedelta(days=30)
    waiting = holder_q(user)
    upper = visible.filter(stage__in=[S.AT_GRASSROOTS, S.PARTIAL_APPRAISED, *EXAMINATION_STAGES])
    sections = [
        ("returned", returned(visible)),
        ("due", due(visible.filter(waiting), today,
                    horizon or due_horizon(today, WorkingCalendar.load()))),
        ("ceremonies", visible.filter(stage=S.ADMISSION_DECIDED, due_date__lte=soon)
         .order_by("due_date")),
        ("probations_ending", visible.filter(stage=S.PROBATIONARY, probation_end__gte=today,
                                             probation_end__lte=soon).order_by("probation_end")),
        ("recognition_overdue", visible.filter(stage=S.PROBATIONARY, probation_end__lt=today)
         .order_by("due_date")),
        ("certificates_expiring", visible.filter(
            stage__in=CERTIFIED_STAGES,
            awareness_cert_expires__lte=today + timedelta(days=90)).order_by(
                "awareness_cert_expires")),
        ("waiting_class", visible.filter(stage=S.HELPER_ASSIGNED).order_by("stage_date")),
        ("new_member_class_due", visible.filter(
            stage=S.PROBATIONARY, new_member_cert_date__isnull=True,
            probation_end__lte=add_months(today, 4)).order_by("probation_end")),
        # Sent up and held by a role the user holds over the branch: theirs to decide; the
        # rest waits for a level above them.
        ("waiting_me", upper.filter(waiting).order_by("due_date", "pk")),
        ("waiting_upper", upper.exclude(waiting).order_by("due_date", "pk")),
    ]
    return [(key, list(qs[:limit])) for key, qs in sections]


def returned(candidates):
    """Of `candidates`, the dossiers a return sent back that have not moved on since, the
    latest return first, with the return and who made it."""
    return (candidates.filter(returned_by__isnull=False)
            .select_related("returned_by__actor").order_by("-returned_by__recorded_at", "pk"))


def holder_q(user) -> Q:
    """The dossiers that wait for the user: their stage is held (STAGE_HOLDER) by a role the
    user is granted at their branch or above it. Only grants count, so a superuser or the
    leadership, who hold no stage, have nothing waiting for them (an empty Q, no query)."""
    waiting = Q(pk__in=[])
    for role in sorted(set(STAGE_HOLDER.values())):
        roots = scope_roots(user, role)
        if roots:
            stages = [stage for stage, holder in STAGE_HOLDER.items() if holder == role]
            waiting |= subtree_q(roots, prefix="organisation__") & Q(stage__in=stages)
    return waiting


def waits_for_nobody(waiting: Q) -> bool:
    return waiting == Q(pk__in=[])


def returned_waiting_for(user, *, limit=20):
    """The returned dossiers in the user's scope that wait for them (holder_q)."""
    waiting = holder_q(user)
    if waits_for_nobody(waiting):
        return []
    return list(returned(candidates_visible_to(user)).filter(waiting)[:limit])


# Deadlines: a dossier is due when its deadline (due_date: decision, ceremony, recognition)
# or, for a probationary member, the end of probation falls within DUE_WINDOW working days.
DUE_WINDOW = 10


def due_horizon(today: date, calendar: WorkingCalendar) -> date:
    """The last day of the window: the DUE_WINDOW-th working day after today."""
    return calendar.add_working_days(today, DUE_WINDOW)


def due_q(horizon) -> Q:
    """Due by `horizon`: a date, or horizon_expression's SQL for the same day."""
    return Q(due_date__lte=horizon) | Q(stage=S.PROBATIONARY, probation_end__lte=horizon)


def horizon_expression(today: date, *, reach=40):
    """due_horizon as SQL, read by the query that uses it instead of a query of its own (the
    count on every page stays one query): the first weekday after today with DUE_WINDOW
    weekdays up to it that the Holiday table does not list. Each WHEN counts the holidays
    among the weekdays so far; the database stops at the first that holds."""
    weekdays = [d for d in (today + timedelta(days=i) for i in range(1, reach))
                if d.weekday() < 5]

    def holidays_until(k):
        return Subquery(Holiday.objects.filter(date__in=weekdays[:k + 1]).order_by()
                        .annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1])

    return Case(*[When(LessThanOrEqual(holidays_until(k), k + 1 - DUE_WINDOW),
                       then=Value(weekdays[k])) for k in range(DUE_WINDOW - 1, len(weekdays))],
                default=Value(weekdays[-1]), output_field=DateField())


def due(candidates, today: date, horizon: date):
    """Of `candidates`, those due by `horizon` or overdue, the earliest deadline (so the
    overdue ones) first."""
    return candidates.filter(due_q(horizon)).order_by(
        F("due_date").asc(nulls_last=True), "probation_end", "pk")


def due_waiting_for(user, today: date, horizon: date, *, limit=20) -> list:
    """The due and overdue dossiers that wait for the user (holder_q)."""
    waiting = holder_q(user)
    if waits_for_nobody(waiting):
        return []
    return list(due(candidates_visible_to(user).filter(waiting), today, horizon)[:limit])


def needs_count(user, horizon, *, cap=100) -> int:
    """How many dossiers wait for the user and are returned, due by `horizon` or overdue
    (each counted once), up to `cap`: the number beside "Việc cần làm". One query, none when
    nothing can wait for the user; the cap lets a national scope stop counting early."""
    waiting = holder_q(user)
    if waits_for_nobody(waiting):
        return 0
    return (Candidate.objects.filter(waiting)
            .filter(Q(returned_by__isnull=False) | due_q(horizon)).order_by()[:cap].count())


# Training classes

def classes_visible_to(user):
    """Classes organised inside the user's scope, or above it (where its people study)."""
    qs = TrainingClass.objects.all()
    if sees_everything(user):
        return qs
    roots = scope_roots(user)
    above = {p for r in roots for p in r.ancestor_paths()}
    return qs.filter(subtree_q(roots, prefix="organiser__") | Q(organiser__path__in=above))


def search_classes(user, *, kind="", year=None, q=""):
    classes = classes_visible_to(user)
    if kind:
        classes = classes.filter(kind=kind)
    if year:
        classes = classes.filter(year=year)
    if q:
        classes = classes.filter(Q(course_number__iexact=q) | Q(place__icontains=q)
                                 | Q(decision_number__icontains=q))
    return classes


def class_learners(training_class, user):
    """The learners of a class the user may see (all of them for the class's managers)."""
    qs = training_class.enrolments.select_related(
        "candidate__organisation", "member__organisation").order_by(
        Coalesce("candidate__search_name", "member__search_name"), "pk")
    if sees_everything(user):
        return list(qs)
    roots = scope_roots(user)
    return list(qs.filter(subtree_q(roots, prefix="candidate__organisation__")
                          | subtree_q(roots, prefix="member__organisation__")))


def eligible_learners(user, training_class, *, q="", limit=100):
    """People the class may take, not yet in it: candidates for the awareness class,
    probationary members for the new-member class; inside the organiser's subtree."""
    from .services.training import AWARENESS_STAGES

    organiser = training_class.organiser
    if training_class.kind == ClassKind.AWARENESS:
        qs = (candidates_visible_to(user).in_subtree_of(organiser)
              .filter(stage__in=AWARENESS_STAGES)
              .exclude(enrolments__training_class=training_class))
    else:
        qs = (members_visible_to(user).in_subtree_of(organiser)
              .filter(status=MemberStatus.PROBATIONARY)
              .exclude(enrolments__training_class=training_class))
    if q:
        qs = qs.filter(search_name__contains=fold(q))
    return list(qs.order_by("search_name", "pk")[:limit])


def waiting_nominations(user, training_class):
    qs = nominations_visible_to(user).filter(
        kind=training_class.kind, enrolment__isnull=True).filter(
        subtree_q([training_class.organiser], prefix="branch__"))
    return list(qs)


def nominations_visible_to(user):
    qs = Nomination.objects.select_related(
        "candidate", "member", "branch", "enrolment__training_class").order_by(
        "-nominated_on", "-pk")
    if sees_everything(user):
        return qs
    return qs.filter(subtree_q(scope_roots(user), prefix="branch__"))


# The numbering register: which registers a user sees, and one register's lines.

def sequences_visible_to(user):
    """The registers of the organisations the user sees."""
    return (NumberSequence.objects.filter(issuer__in=organisations_visible_to(user))
            .select_related("issuer"))


@dataclass
class Line:
    """One line of a register page: a number used or voided, or a run of numbers unused."""

    first: int
    last: int
    row: RegisteredNumber | None = None
    people: list = field(default_factory=list)  # the candidates a list decision names

    @property
    def state(self) -> str:
        if self.row is None:
            return "gap"
        if self.row.is_void:
            return "void"
        return "used" if self.row.paper() is not None else "undone"


def register_lines(seq: NumberSequence) -> list[Line]:
    """The register's numbers in order, 1 to the last one taken; the runs of numbers neither
    used nor explained are one line each ("chưa dùng")."""
    rows = {r.number: r for r in seq.numbers.select_related(
        "candidate__organisation", "decision", "vote", "sequence")}
    listed = [r.text for r in rows.values() if r.is_list]
    people: dict[str, list] = {}
    if listed:
        for d in (Decision.objects.filter(decided_by=seq.issuer, number__in=listed,
                                          decision_date__year=seq.year, is_list=True)
                  .select_related("candidate").order_by("decision_date", "pk")):
            people.setdefault(d.number.strip(), []).append(d.candidate)
    lines: list[Line] = []
    expected = 1  # the number after the last line
    for number in sorted(rows):
        if number > expected:
            lines.append(Line(expected, number - 1))
        row = rows[number]
        lines.append(Line(number, number, row, people.get(row.text, [])))
        expected = number + 1
    if seq.last >= expected:
        lines.append(Line(expected, seq.last))
    return lines
