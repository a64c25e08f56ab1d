"""Reading the rollups: each figure of a subtree is a read of its organisation's own rows."""
from collections import defaultdict
from datetime import date

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from members.models import Organisation
from members.models.movements import ADMISSION_KINDS

from ..models import Rollup
from .sql import SUFFIX


def _metrics(base: str, basis: str) -> list[str]:
    return [base, base + SUFFIX[basis]]


def admitted(organisation_ids, start: date, end: date, basis: str):
    """Admissions in [start, end] of each organisation's subtree, as rollup rows: the entries
    of the kinds that join the Party (they come from no branch, a constraint on movements)."""
    return Rollup.objects.filter(organisation_id__in=organisation_ids,
                                 metric__in=_metrics("in", basis), item__in=ADMISSION_KINDS,
                                 day__gte=start, day__lte=end)


def members_on(organisations, day: date, basis: str) -> dict[int, int]:
    """Members on the list of each organisation's subtree at the end of `day`: the last
    checkpoint on or before it plus the rows after it."""
    checkpoint = Rollup.objects.filter(
        organisation_id=OuterRef("pk"), metric="bal" + SUFFIX[basis], item="", day__lte=day,
    ).order_by("-day")
    signed = Case(When(metric__startswith="in", then=F("n")), default=-F("n"),
                  output_field=IntegerField())
    after = Rollup.objects.filter(
        organisation_id=OuterRef("pk"), day__lte=day,
        metric__in=_metrics("in", basis) + _metrics("out", basis),
        day__gt=Coalesce(OuterRef("checked_on"), Value(date(1, 1, 1))),
    ).order_by().values("organisation_id").annotate(s=Sum(signed)).values("s")
    rows = Organisation.objects.filter(pk__in=organisations).annotate(
        checked_on=Subquery(checkpoint.values("day")[:1]),
        checked=Coalesce(Subquery(checkpoint.values("n")[:1]), 0),
        moved=Coalesce(Subquery(after, output_field=IntegerField()), 0),
    ).values_list("pk", "checked", "moved")
    return {pk: checked + moved for pk, checked, moved in rows}


def moves(organisation_id: int, start: date, end: date, basis: str) -> dict[tuple, int]:
    """Entries and exits of the subtree in [start, end] by (in|out, movement kind)."""
    rows = Rollup.objects.filter(
        organisation_id=organisation_id, day__gte=start, day__lte=end,
        metric__in=_metrics("in", basis) + _metrics("out", basis),
    ).values_list("metric", "item").annotate(total=Sum("n")).order_by()
    counts: dict[tuple, int] = defaultdict(int)
    for metric, item, n in rows:
        counts[(metric.partition(".")[0], item)] += n
    return counts


def open_dossiers(organisation_id: int, today: date) -> dict[str, tuple[int, int]]:
    """Dossiers in the pipeline now, by stage: (how many, how many past their deadline)."""
    rows = Rollup.objects.filter(organisation_id=organisation_id, metric="open").values(
        "item").annotate(total=Sum("n"), late=Sum("n", filter=Q(day__lt=today))).order_by()
    return {r["item"]: (r["total"] or 0, r["late"] or 0) for r in rows}
