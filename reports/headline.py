"""The figures a leader reads first, from the rollups (`reports.rollups`): admissions by year
and month against target, Biểu 1, the pipeline now, and the units directly under the
organisation. A handful of indexed reads whatever the size of the subtree, for the leadership's
home page and the report page of a large scope; each equals the same figure of
`selectors.compute_figures` (tests compare them on random histories)."""
from datetime import date, timedelta

from django.db.models import Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from members.models import Organisation
from recruitment.rules import today as local_today

from . import membership, rollups
from .figures import Membership, ReportFigures, Unit, UnitFigures, YearFigures
from .membership import DECREASE_OF, INCREASE_OF, counting_basis
from .periods import Period
from .selectors import stage_counts, targets_of


def headline_figures(organisation: Organisation, period: Period, *,
                     today: date | None = None, basis: str | None = None,
                     detail: bool = True) -> ReportFigures:
    """The headline figures of the organisation's subtree for the period; without `detail`
    (the home page), only admissions against target and the pipeline."""
    today = today or local_today()
    basis = basis or counting_basis()
    start, end = period.start, period.end
    f = ReportFigures(organisation=_unit(organisation),
                      parent_name=organisation.parent.name if organisation.parent_id else "",
                      period=period, as_of=today, counted_by=basis)
    years = {y: YearFigures(y, *period.year_span(y)) for y in period.years}
    for row in rollups.admitted([organisation.pk], start, end, basis).values(
            y=ExtractYear("day"), m=ExtractMonth("day")).annotate(total=Sum("n")).order_by():
        years[row["y"]].admitted += row["total"]
        f.admitted += row["total"]
        if not period.is_term:
            f.by_month.append((row["y"], row["m"], row["total"]))
    f.by_month.sort()
    f.by_year = list(years.values())
    f.pipeline = stage_counts(rollups.open_dossiers(organisation.pk, today))
    unit_targets = targets_of(f, organisation, period, years)
    if not detail:
        return f
    f.membership = _rolled_membership(organisation, start, end, basis)
    children = [_unit(o) for o in organisation.children.order_by("path")]
    children = [u for u in children if u.exists_during(start, end)]
    admitted = {r["organisation_id"]: r["total"] for r in rollups.admitted(
        [u.pk for u in children], start, end, basis).values("organisation_id").annotate(
        total=Sum("n")).order_by()}
    members = rollups.members_on([u.pk for u in children], end, basis)
    f.by_unit = [UnitFigures(unit=u, admitted=admitted.get(u.pk, 0),
                             target=unit_targets.get(u.pk), members=members.get(u.pk, 0))
                 for u in children]
    return f


def _unit(o: Organisation) -> Unit:
    return Unit(o.pk, o.code, o.name, o.kind, o.path, o.opened_on, o.dissolved_on)


def _rolled_membership(organisation: Organisation, start: date, end: date,
                       basis: str) -> Membership:
    m = Membership(at_start=rollups.members_on([organisation.pk], start - timedelta(days=1),
                                               basis).get(organisation.pk, 0))
    for (side, kind), n in rollups.moves(organisation.pk, start, end, basis).items():
        into, key = (m.increases, INCREASE_OF.get(kind)) if side == "in" else (
            m.decreases, DECREASE_OF.get(kind))
        if key:
            into[key] = into.get(key, 0) + n
    m.at_end = m.at_start + m.joined - m.left
    m.left_undated = membership.undated_departures(organisation.path)
    return m
