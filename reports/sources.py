"""Sources and training in a period: the cohorts (of those recognised as sympathisers or
introduced by the Youth Union in the period, how many were admitted by its end) and the
classes with the people who attended them, including those a unit sent to classes organised
outside its subtree. One selector each, aggregated in the database."""
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear

from members.models import Movement, MovementKind
from members.models.movements import ADMISSION_KINDS
from recruitment.models import (
    ClassKind,
    Enrolment,
    Introduction,
    IntroductionKind,
    Result,
    TrainingClass,
)

from .documents import issuing_body
from .figures import ReportFigures, Sent
from .membership import counted_on


def admitted_by(end: date, basis: str, prefix: str = ""):
    """Whether the candidate (OuterRef, reached through `prefix`) was admitted, or
    readmitted, by `end`."""
    counted = Movement.objects.alias(counted=counted_on(basis=basis)).filter(
        counted__lte=end).filter(
        Q(member=OuterRef(f"{prefix}member"), kind__in=ADMISSION_KINDS)
        | Q(member=OuterRef(f"{prefix}former_member"), kind=MovementKind.READMITTED,
            date__gte=OuterRef(f"{prefix}added_date")))
    return Exists(counted)


def cohorts(f: ReportFigures, years: dict, candidates, start: date, end: date,
            basis: str) -> None:
    """Cohorts: those recognised as sympathisers, and those the Youth Union introduced, in
    the period (by year), and how many of them were admitted by the period's end; so the
    second is always part of the first."""
    admitted = Q(admitted_by(end, basis))
    for row in candidates.filter(awareness_cert_date__gte=start, awareness_cert_date__lte=end) \
            .values(y=ExtractYear("awareness_cert_date")).annotate(
            n=Count("pk"), admitted=Count("pk", filter=admitted)).order_by():
        years[row["y"]].sympathisers += row["n"]
        f.sympathisers_admitted += row["admitted"]
    # Driven from the introductions of the period (an index range), not from every candidate.
    introduced = Introduction.objects.filter(
        kind=IntroductionKind.YOUTH_UNION, document_date__gte=start, document_date__lte=end,
        candidate__in=candidates)
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
    ours = (Q(candidate__organisation__path__gte=low, candidate__organisation__path__lt=high)
            | Q(member__organisation__path__gte=low, member__organisation__path__lt=high))
    sent = Enrolment.objects.filter(
        ours, training_class__end_date__gte=start, training_class__end_date__lte=end,
    ).exclude(result=Result.ABSENT).exclude(
        training_class__organiser__path__gte=low, training_class__organiser__path__lt=high)
    for row in sent.values("training_class__kind", "training_class__organiser__name").annotate(
            n=Count("pk")).order_by("training_class__kind", "-n"):
        f.sent.append(Sent(row["training_class__kind"],
                           issuing_body(row["training_class__organiser__name"]), row["n"]))
