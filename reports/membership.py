"""Figures read from the dated membership movements, as they were on the period's dates: the
members at its start and end with increases by kind and decreases by reason (Biểu 1-BTCTW),
each unit's members on the end date (against its staff headcount of that date, read by
`members.headcounts.subtree_headcounts`), and the structure of the subtree on the end date.

A movement moves one member from `from_organisation` (None: from outside the tree or into the
Party) to `to_organisation` (None: out of the tree or the Party). For a subtree, a movement
*enters* it when only its destination is inside and *leaves* it when only its origin is;
moves inside the subtree change nothing. So the members on a day are the movements that
entered up to that day minus those that left, a sum the database does in one pass, and a
movement recorded today never changes a day before it. Temporary membership (sinh hoạt tạm
thời) keeps the member on their own branch's list and is left out.

Each function is one selector over one table, so the national-scale rollups can replace it
without touching the callers.
"""
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from members.models import (
    Member,
    MemberStatus,
    Movement,
    MovementKind,
    Organisation,
    subtree_bounds,
)
from members.models import OrganisationKind as K
from members.models.movements import EXIT_STATUS, UNCOUNTED_KINDS
from members.models.people import GONE_STATUSES

from .figures import Headcount, Membership, Structure

M = MovementKind
# Biểu 1's rows, from the kinds of the movements that cross the subtree's edge.
INCREASE_OF = {M.PRESENT: "admitted", M.ADMITTED: "admitted", M.READMITTED: "readmitted",
               M.TRANSFER_IN: "transferred_in", M.TRANSFER_WITHIN: "transferred_in"}
DECREASE_OF = {M.DIED: "died", M.REMOVED: "removed", M.EXPELLED: "expelled",
               M.RESIGNED: "resigned", M.TRANSFER_OUT: "transferred_out",
               M.TRANSFER_WITHIN: "transferred_out"}
ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
BASES = ("decision", "ceremony")


def organisations_in(low: str, high: str):
    """The ids of the subtree's organisations, for an `__in`."""
    return Organisation.objects.filter(path__gte=low, path__lt=high).values("pk")


def either(*querysets):
    """The rows of any of `querysets` (values of one column), for an `__in`: each is read by
    its own index, where an OR across two joined columns scans the whole table (national
    data, one branch's term: seconds → ms)."""
    first, *rest = (qs.order_by() for qs in querysets)
    return first.union(*rest)


def counting_basis() -> str:
    """What dates "kết nạp": the admission decision (default) or the ceremony, as the
    organisation department chose (setting ADMISSION_COUNTED_ON)."""
    basis = getattr(settings, "ADMISSION_COUNTED_ON", "decision")
    return basis if basis in BASES else "decision"


def counted_on(basis: str | None = None):
    """The day a movement counts: an admission on its decision's date under the decision
    basis (the ceremony when no decision date is known), every other movement on its own."""
    if (basis or counting_basis()) == "decision":
        return Coalesce("decision_date", "date")
    return F("date")


def counted_movements(basis: str | None = None):
    return Movement.objects.exclude(kind__in=UNCOUNTED_KINDS).alias(
        counted=counted_on(basis=basis))


def _inside(side: str, low: str, high: str) -> Q:
    return Q(**{f"{side}__path__gte": low, f"{side}__path__lt": high})


def membership(path: str, start: date, end: date, *, basis: str | None = None) -> Membership:
    """Biểu 1 of the subtree at `path` for [start, end], in one aggregate query (and one for
    the undated departures)."""
    low, high = subtree_bounds(path)
    into, out_of = _inside("to_organisation", low, high), _inside("from_organisation", low, high)
    enters, leaves = into & ~out_of, out_of & ~into
    before, during = Q(counted__lt=start), Q(counted__gte=start, counted__lte=end)
    aggregates = {"in_before": Count("pk", filter=enters & before),
                  "out_before": Count("pk", filter=leaves & before)}
    for kind in INCREASE_OF:
        aggregates[f"in_{kind}"] = Count("pk", filter=enters & during & Q(kind=kind))
    for kind in DECREASE_OF:
        aggregates[f"out_{kind}"] = Count("pk", filter=leaves & during & Q(kind=kind))
    inside = organisations_in(low, high)
    touching = either(Movement.objects.filter(to_organisation__in=inside).values("pk"),
                      Movement.objects.filter(from_organisation__in=inside).values("pk"))
    row = counted_movements(basis).filter(pk__in=touching).aggregate(**aggregates)
    m = Membership(at_start=row["in_before"] - row["out_before"])
    for kind, key in INCREASE_OF.items():
        m.increases[key] = m.increases.get(key, 0) + row[f"in_{kind}"]
    for kind, key in DECREASE_OF.items():
        m.decreases[key] = m.decreases.get(key, 0) + row[f"out_{kind}"]
    m.at_end = m.at_start + m.joined - m.left
    m.left_undated = undated_departures(path)
    return m


def undated_departures(path: str) -> int:
    """Members of the subtree no longer on the list whose leaving was never recorded as a
    movement (the day unknown): the counts above still hold them."""
    low, high = subtree_bounds(path)
    return Member.objects.filter(
        organisation__path__gte=low, organisation__path__lt=high, status__in=GONE_STATUSES,
    ).exclude(movements__kind__in=list(EXIT_STATUS)).count()


def members_on(path: str, day: date, *, basis: str | None = None) -> dict[int, int]:
    """Members on each branch's list at the end of `day`, by branch pk, for the subtree's
    branches: movements into each branch minus those out of it (two GROUP BY queries)."""
    low, high = subtree_bounds(path)
    movements = counted_movements(basis).filter(counted__lte=day)
    counts: dict[int, int] = defaultdict(int)
    for pk, n in movements.filter(_inside("to_organisation", low, high)).values_list(
            "to_organisation_id").annotate(n=Count("pk")).order_by():
        counts[pk] += n
    for pk, n in movements.filter(_inside("from_organisation", low, high)).values_list(
            "from_organisation_id").annotate(n=Count("pk")).order_by():
        counts[pk] -= n
    return counts


def coverage(units, members_per_unit: dict[str, int],
             staff: dict[int, tuple[int | None, date | None]]) -> list[Headcount]:
    """Members / staff of each unit (its whole subtree's members against its own headcount)."""
    return [Headcount(u, members_per_unit.get(u.path, 0), *staff[u.pk])
            for u in units if u.pk in staff]


def structure(units, day: date) -> Structure:
    """The organisations below the root that exist on `day`, by kind (from the tree already
    loaded: no query)."""
    s = Structure()
    for u in units:
        if not u.exists_on(day):
            continue
        if u.kind == K.GRASSROOTS_COMMITTEE:
            s.grassroots_committees += 1
        elif u.kind == K.GRASSROOTS_BRANCH:
            s.grassroots_branches += 1
        elif u.kind == K.BRANCH:
            s.branches += 1
        elif u.kind == K.PARTIAL_COMMITTEE:
            s.partial_committees += 1
    return s
