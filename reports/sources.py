"""Sources and training in a period: the cohorts (of those recognised as sympathisers or
introduced by the Youth Union in the period, how many were admitted by its end) and the
classes with the people who attended them, including those a unit sent to classes organised
outside its subtree. One selector each, aggregated in the database."""
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from members.documents import signing_body
from members.models import Movement, MovementKind
from members.models.movements import ADMISSION_KINDS, UNCOUNTED_KINDS
from recruitment.models import (
    Candidate,
    ClassKind,
    Enrolment,
    Introduction,
    IntroductionKind,
    Result,
    StageEvent,
    TrainingClass,
)

from .figures import ReportFigures, Sent
from .membership import counted_on, either, organisations_in


def admitted_by(end: date, basis: str, prefix: str = ""):
    """Whether the candidate (OuterRef, reached through `prefix`) was admitted, or
    readmitted, by `end`."""
    counted = Movement.objects.alias(counted=counted_on(basis=basis)).filter(
        counted__lte=end).filter(
        Q(member=OuterRef(f"{prefix}member"), kind__in=ADMISSION_KINDS)
        | Q(member=OuterRef(f"{prefix}former_member"), kind=MovementKind.READMITTED,
            date__gte=OuterRef(f"{prefix}added_date")))
    return Exists(counted)


def dossier_path(candidate: str, day: str, fallback: str):
    """The path of the branch that held the dossier (OuterRef `candidate`) at the end of the
    day (OuterRef `day`): the branch of its last step up to that day, as each step records it
    (StageEvent.organisation), so a dossier transferred later is still counted where it was;
    `fallback` (the current branch) when no step is that old."""
    held = StageEvent.objects.filter(candidate=OuterRef(candidate), event_date__lte=OuterRef(day),
                                     organisation__isnull=False).order_by(
        "-event_date", "-pk").values("organisation__path")[:1]
    return Coalesce(Subquery(held), F(fallback))


def held_in(low: str, high: str):
    """The dossiers ever held in the subtree: those held there now and those with a step
    recorded there. A superset of those `dossier_path` places inside it on any day, so the
    exact placing is computed for a branch's few dossiers, not the country's (national data,
    one branch's term: 5.3 s → ms)."""
    inside = organisations_in(low, high)
    return either(Candidate.objects.filter(organisation__in=inside).values("pk"),
                  StageEvent.objects.filter(organisation__in=inside).values("candidate_id"))


def listed_in(low: str, high: str):
    """The members ever on a list in the subtree (a movement into or out of it), for the
    same use as `held_in` with `member_path`."""
    inside = organisations_in(low, high)
    return either(Movement.objects.filter(to_organisation__in=inside).values("member_id"),
                  Movement.objects.filter(from_organisation__in=inside).values("member_id"))


def member_path(member: str, day: str):
    """The path of the branch whose list held the member (OuterRef `member`) at the end of the
    day (OuterRef `day`), from their movements; None when they were on no list."""
    last = Movement.objects.filter(member=OuterRef(member), date__lte=OuterRef(day)).exclude(
        kind__in=UNCOUNTED_KINDS).order_by("-date", "-pk").values("to_organisation__path")[:1]
    return Subquery(last)


def in_range(name: str, low: str, high: str) -> Q:
    return Q(**{f"{name}__gte": low, f"{name}__lt": high})


def cohorts(f: ReportFigures, years: dict, low: str, high: str, start: date, end: date,
            basis: str) -> None:
    """Cohorts: those recognised as sympathisers, and those the Youth Union introduced, in
    the period (by year), where their dossier was on that day, and how many of them were
    admitted by the period's end; so the second is always part of the first."""
    admitted = Q(admitted_by(end, basis))
    certified = Candidate.objects.filter(
        awareness_cert_date__gte=start, awareness_cert_date__lte=end, pk__in=held_in(low, high),
    ).alias(at=dossier_path("pk", "awareness_cert_date", "organisation__path")).filter(
        in_range("at", low, high))
    for row in certified.values(y=ExtractYear("awareness_cert_date")).annotate(
            n=Count("pk"), admitted=Count("pk", filter=admitted)).order_by():
        years[row["y"]].sympathisers += row["n"]
        f.sympathisers_admitted += row["admitted"]
    # Driven from the introductions of the period (an index range), not from every candidate.
    introduced = Introduction.objects.filter(
        kind=IntroductionKind.YOUTH_UNION, document_date__gte=start, document_date__lte=end,
        candidate__in=held_in(low, high),
    ).alias(at=dossier_path("candidate", "document_date", "candidate__organisation__path")) \
        .filter(in_range("at", low, high))
    admitted_by_end = Q(admitted_by(end, basis, prefix="candidate__"))
    for row in introduced.values(y=ExtractYear("document_date")).annotate(
            n=Count("candidate", distinct=True),
            admitted=Count("candidate", distinct=True, filter=admitted_by_end)).order_by():
        years[row["y"]].youth_introduced += row["n"]
        years[row["y"]].youth_admitted += row["admitted"]


def training(f: ReportFigures, years: dict, low: str, high: str, start: date, end: date):
    """Classes that ended in the period: those the subtree organised with the people who
    attended them (passed or failed, not the absent), and the people of the subtree who
    attended classes organised outside it, counted for the sender."""
    attended = ~Q(enrolments__result=Result.ABSENT) & Q(enrolments__isnull=False)
    for row in TrainingClass.objects.filter(
            organiser__path__gte=low, organiser__path__lt=high,
            end_date__gte=start, end_date__lte=end,
    ).values("kind", y=ExtractYear("end_date")).annotate(
            classes=Count("pk", distinct=True),
            learners=Count("enrolments", filter=attended)).order_by():
        year = years[row["y"]]
        if row["kind"] == ClassKind.AWARENESS:
            year.awareness_classes += row["classes"]
            year.awareness_learners += row["learners"]
        else:
            year.new_member_classes += row["classes"]
            year.new_member_learners += row["learners"]
    # Where each learner was on the class's last day: the dossier's branch, the member's list.
    learners = either(Enrolment.objects.filter(candidate__in=held_in(low, high)).values("pk"),
                      Enrolment.objects.filter(member__in=listed_in(low, high)).values("pk"))
    sent = Enrolment.objects.filter(
        training_class__end_date__gte=start, training_class__end_date__lte=end,
        pk__in=learners,
    ).alias(
        candidate_at=dossier_path("candidate", "training_class__end_date",
                                  "candidate__organisation__path"),
        member_at=member_path("member", "training_class__end_date"),
    ).filter(
        (Q(candidate__isnull=False) & in_range("candidate_at", low, high))
        | (Q(member__isnull=False) & in_range("member_at", low, high)),
    ).exclude(result=Result.ABSENT).exclude(
        training_class__organiser__path__gte=low, training_class__organiser__path__lt=high)
    for row in sent.values("training_class__kind", "training_class__organiser__name").annotate(
            n=Count("pk")).order_by("training_class__kind", "-n"):
        f.sent.append(Sent(row["training_class__kind"],
                           signing_body(row["training_class__organiser__name"]), row["n"]))
