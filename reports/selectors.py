"""The one computation behind every report: all figures of an organisation's subtree for a
period, by GROUP BY and aggregate queries in the database.

It runs the same fixed number of queries for a branch of ten members and for a province of
150,000; Python only adds up the per-organisation rows the database returns (never a row
per member or candidate). Scoping to the user happens before: the views fetch the
organisation with `report_organisation(user, code)`, which answers 404 outside the scope.
"""
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan

from members.headcounts import subtree_headcounts
from members.models import (
    BRANCH_KINDS,
    PATH_STEP,
    Education,
    Movement,
    Occupation,
    Organisation,
    Qualification,
    subtree_bounds,
)
from members.models import OrganisationKind as K
from members.models.movements import ADMISSION_KINDS
from members.selectors import get_visible_or_404, organisations_visible_to
from recruitment.models import (
    Candidate,
    Decision,
    DecisionKind,
    Stage,
    Vote,
    VoteKind,
)
from recruitment.rules import add_months
from recruitment.rules import today as local_today
from recruitment.workflow import CLOSED_STAGES, STAGE_ORDER

from . import membership, sources
from .figures import (
    BranchFigures,
    Group,
    ReportFigures,
    StageCount,
    Unit,
    UnitFigures,
    YearFigures,
    mean,
)
from .membership import counted_on, counting_basis
from .models import Target
from .periods import Period

GRASSROOTS_KINDS = (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_BRANCH)
# Age at admission, in full years: (label, lowest, highest).
AGE_BANDS = [("Từ 18 đến 30 tuổi", None, 30), ("Từ 31 đến 35 tuổi", 31, 35),
             ("Từ 36 đến 40 tuổi", 36, 40), ("Từ 41 đến 45 tuổi", 41, 45),
             ("Từ 46 đến 50 tuổi", 46, 50), ("Từ 51 đến 55 tuổi", 51, 55),
             ("Từ 56 đến 60 tuổi", 56, 60), ("Trên 60 tuổi", 61, None)]
NOT_RECORDED = "Chưa ghi"
MAJORITY_ETHNICITY = "Kinh"
NO_RELIGION = "Không"


def report_organisation(user, code: str) -> Organisation:
    """The organisation a report is about, if the user's scope holds it (else 404)."""
    return get_visible_or_404(organisations_visible_to(user).select_related("parent"),
                              code=code)


def _month_day(field: str):
    return ExtractMonth(field) * 100 + ExtractDay(field)


def admissions(low: str, high: str, start: date, end: date, basis: str):
    """The admissions of the period in the subtree, as movements: the branch that admitted
    each person is the movement's destination, fixed when it was written, so a later transfer
    does not move the admission; a member imported with no history counts from their "present
    since" row. Dated by the counting basis (`membership.counted_on`)."""
    return Movement.objects.filter(kind__in=ADMISSION_KINDS).alias(
        counted=counted_on(basis=basis)).filter(
        counted__gte=start, counted__lte=end,
        to_organisation__path__gte=low, to_organisation__path__lt=high)


def _ages(f: ReportFigures, admitted) -> None:
    """Age at admission in full years, grouped by (admission year, birth year, birthday not
    yet reached that year): a few hundred groups whatever the number of people."""
    birthday_not_yet = GreaterThan(_month_day("member__birth_date"), _month_day("counted"))
    rows = admitted.values(
        ay=ExtractYear("counted"), by=ExtractYear("member__birth_date"),
        later=Case(When(birthday_not_yet, then=Value(1)), default=Value(0)),
    ).annotate(n=Count("pk")).order_by()
    bands, total, people = [0] * len(AGE_BANDS), 0, 0
    for row in rows:
        age = row["ay"] - row["by"] - row["later"]
        total += age * row["n"]
        people += row["n"]
        bands[_band(age)] += row["n"]
    f.average_age = mean(total, people)
    f.age_bands = [Group(label, count, f.admitted)
                   for (label, _lo, _hi), count in zip(AGE_BANDS, bands, strict=True)]


def _band(age: int) -> int:
    for i, (_label, low, high) in enumerate(AGE_BANDS):
        if (low is None or age >= low) and (high is None or age <= high):
            return i
    return 0


# The admitted are grouped by the statistics forms' categories (the member's own, the
# occupation from their dossier): (figure, field, choices).
PROFILES = [("education", "member__education", Education),
            ("qualification", "member__qualification", Qualification),
            ("occupation", "member__candidate__occupation_group", Occupation)]


def _profiles(f: ReportFigures, admitted) -> None:
    """Education, qualification and occupation of the admitted, from one GROUP BY."""
    counts = {name: defaultdict(int) for name, _field, _choices in PROFILES}
    for row in admitted.values(*(field for _n, field, _c in PROFILES)).annotate(
            n=Count("pk")).order_by():
        for name, field_name, choices in PROFILES:
            value = row[field_name] or ""
            label = str(choices(value).label) if value in choices.values else NOT_RECORDED
            counts[name][label] += row["n"]
    for name, _field, choices in PROFILES:
        order = {str(label): i for i, label in enumerate(choices.labels)}
        groups = counts[name]
        ordered = sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
        setattr(f, name, [Group(label, count, f.admitted) for label, count in ordered])


def probation_window(start: date, end: date) -> tuple[date, date]:
    """The admission dates whose 12-month probation ends within [start, end]."""
    low, high = add_months(start, -12), add_months(end, -12)
    while add_months(low, 12) < start:
        low += timedelta(days=1)
    while add_months(high + timedelta(days=1), 12) <= end:
        high += timedelta(days=1)
    return low, high


class _Tree:
    """The organisations of the subtree, and sums of per-organisation counts up the tree."""

    def __init__(self, root: Organisation):
        self.root = root
        low, high = subtree_bounds(root.path)
        rows = Organisation.objects.filter(path__gte=low, path__lt=high).order_by("path") \
            .values_list("pk", "code", "name", "kind", "path", "opened_on", "dissolved_on")
        self.units = [Unit(*row) for row in rows]
        self.by_pk = {u.pk: u for u in self.units}
        self.by_path = {u.path: u for u in self.units}
        child_len = len(root.path) + PATH_STEP
        self.children = [u for u in self.units if len(u.path) == child_len]

    def roll_up(self, counts: dict[int, int]) -> dict[str, int]:
        """Per-organisation counts added into every ancestor within the subtree, by path."""
        totals: dict[str, int] = defaultdict(int)
        for pk, n in counts.items():
            unit = self.by_pk.get(pk)
            if unit is None or not n:
                continue
            for end in range(len(self.root.path), len(unit.path) + 1, PATH_STEP):
                totals[unit.path[:end]] += n
        return totals

    def parent_name(self, unit: Unit) -> str:
        parent = self.by_path.get(unit.path[:-PATH_STEP])
        if parent is not None:
            return parent.name
        return self.root.parent.name if self.root.parent_id else ""


def compute_figures(organisation: Organisation, period: Period, *,
                    today: date | None = None, basis: str | None = None) -> ReportFigures:
    """Every figure of the subtree for the period, as it was on the period's dates: a
    movement, a headcount or an organisation recorded later for a later day changes nothing
    here. `today` only dates the pipeline's snapshot (candidates now in each stage)."""
    today = today or local_today()
    basis = basis or counting_basis()
    start, end = period.start, period.end
    low, high = subtree_bounds(organisation.path)
    tree = _Tree(organisation)
    root = tree.by_pk[organisation.pk]
    f = ReportFigures(organisation=root,
                      parent_name=organisation.parent.name if organisation.parent_id else "",
                      period=period, as_of=today, counted_by=basis)
    years = {y: YearFigures(y, *period.year_span(y)) for y in period.years}
    in_subtree = Q(organisation__path__gte=low, organisation__path__lt=high)

    admitted = admissions(low, high, start, end, basis)
    per_org = _admitted(f, years, admitted)
    if not period.is_term:
        f.by_month = sorted(
            (r["y"], r["m"], r["n"]) for r in admitted.values(
                y=ExtractYear("counted"), m=ExtractMonth("counted"))
            .annotate(n=Count("pk")).order_by())
    _ages(f, admitted)
    _profiles(f, admitted)
    _probation(years, low, high, start, end)
    candidates = Candidate.objects.filter(in_subtree)
    sources.cohorts(f, years, low, high, start, end, basis)
    sources.training(f, years, low, high, start, end)

    f.by_year = list(years.values())
    for name in ("recognised", "probation_ended", "removed", "failed_votes", "sympathisers",
                 "youth_introduced", "youth_admitted", "awareness_classes",
                 "awareness_learners", "new_member_classes", "new_member_learners"):
        setattr(f, name, sum(getattr(y, name) for y in f.by_year))

    f.membership = membership.membership(organisation.path, start, end, basis=basis)
    f.structure = membership.structure(tree.units[1:], end)
    members_end = membership.members_on(organisation.path, end, basis=basis)
    unit_targets = targets_of(f, organisation, period, years)
    _units(f, tree, period, per_org, members_end, unit_targets)
    f.pipeline = _pipeline(candidates, today)
    return f


def _admitted(f: ReportFigures, years: dict, admitted) -> dict[int, int]:
    """The admitted by year and branch, with the groups counted for the report's structure
    sentence; returns the admitted per branch pk."""
    youth = Q(member__candidate__youth_union_member=True)
    per_org: dict[int, int] = defaultdict(int)
    for row in admitted.values("to_organisation_id", y=ExtractYear("counted")).annotate(
            n=Count("pk"), youth=Count("pk", filter=youth),
            women=Count("pk", filter=Q(member__sex="female")),
            minorities=Count("pk", filter=~Q(member__ethnicity__iexact=MAJORITY_ETHNICITY)
                             & ~Q(member__ethnicity="")),
            religious=Count("pk", filter=~Q(member__religion__iexact=NO_RELIGION)
                            & ~Q(member__religion="")),
    ).order_by():
        per_org[row["to_organisation_id"]] += row["n"]
        years[row["y"]].admitted += row["n"]
        years[row["y"]].youth_union += row["youth"]
        f.admitted += row["n"]
        f.women += row["women"]
        f.ethnic_minorities += row["minorities"]
        f.religious += row["religious"]
        f.youth_union += row["youth"]
    return per_org


def _probation(years: dict, low: str, high: str, start: date, end: date) -> None:
    """Recognised official in the period, against the probations that ended in it; removed
    from the probationary list; branch votes that did not reach two thirds. A member is
    followed by the branch that admitted them (their admission movement's destination)."""
    entries = Movement.objects.filter(
        kind__in=ADMISSION_KINDS, to_organisation__path__gte=low,
        to_organisation__path__lt=high)
    for row in entries.filter(member__official_date__gte=start,
                              member__official_date__lte=end).values(
            y=ExtractYear("member__official_date")).annotate(
            n=Count("member", distinct=True)).order_by():
        years[row["y"]].recognised += row["n"]
    w_low, w_high = probation_window(start, end)
    for row in entries.filter(date__gte=w_low, date__lte=w_high).values(
            y=ExtractYear("date")).annotate(n=Count("pk")).order_by():
        years[row["y"] + 1].probation_ended += row["n"]
    # Papers are placed where the dossier was on their date.
    removals = Decision.objects.filter(
        kind=DecisionKind.REMOVAL, decision_date__gte=start, decision_date__lte=end,
        candidate__in=sources.held_in(low, high),
    ).alias(at=sources.dossier_path("candidate", "decision_date",
                                    "candidate__organisation__path")).filter(
        sources.in_range("at", low, high))
    for row in removals.values(y=ExtractYear("decision_date")).annotate(
            n=Count("pk")).order_by():
        years[row["y"]].removed += row["n"]
    failed = Vote.objects.filter(
        kind=VoteKind.BRANCH, vote_date__gte=start, vote_date__lte=end,
        candidate__in=sources.held_in(low, high),
    ).alias(margin=3 * F("votes_for") - 2 * F("eligible"),
            at=sources.dossier_path("candidate", "vote_date", "candidate__organisation__path"),
            ).filter(sources.in_range("at", low, high), margin__lt=0)
    for row in failed.values(y=ExtractYear("vote_date")).annotate(n=Count("pk")).order_by():
        years[row["y"]].failed_votes += row["n"]


def targets_of(f: ReportFigures, root: Organisation, period: Period,
               years: dict) -> dict[int, int]:
    """Fills the organisation's targets; returns those of the units under it, by pk."""
    rows = Target.objects.filter(Q(organisation=root) | Q(organisation__parent=root)).filter(
        Q(year__in=period.years) if not period.is_term
        else Q(year__in=period.years) | Q(term=period.label),
    ).values_list("organisation_id", "year", "term", "admissions")
    targets = {(org, term or year): n for org, year, term, n in rows}
    key = period.label if period.is_term else int(period.label)
    f.target = targets.get((root.pk, key))
    for year, figures in years.items():
        figures.target = targets.get((root.pk, year))
    return {pk: n for (pk, k), n in targets.items() if k == key and pk != root.pk}


def _units(f: ReportFigures, tree: _Tree, period: Period, admitted_per_org: dict,
           members_end: dict, unit_targets: dict):
    """Where they were admitted, the units that admitted nobody (among those that existed
    in the period), and members against staff on the period's end date."""
    start, end = period.start, period.end
    admitted = tree.roll_up(admitted_per_org)
    members = tree.roll_up(members_end)
    branches = [u for u in tree.units if u.kind in BRANCH_KINDS and u.exists_during(start, end)]
    branch_totals = tree.roll_up({u.pk: 1 for u in branches if u.exists_on(end)})
    idle = [u for u in branches if not admitted_per_org.get(u.pk) and u.exists_on(end)]
    idle_totals = tree.roll_up({u.pk: 1 for u in idle})

    f.branch_count = sum(1 for u in branches if u.exists_on(end))
    f.by_branch = [BranchFigures(u, tree.parent_name(u), admitted_per_org.get(u.pk, 0))
                   for u in branches]
    f.branches_without_admission = [b for b in f.by_branch
                                    if not b.admitted and b.unit.exists_on(end)]
    grassroots = [u for u in tree.units if u.kind in GRASSROOTS_KINDS and u.exists_on(end)]
    f.grassroots_count = len(grassroots)
    f.grassroots_without_admission = [u for u in grassroots if not admitted.get(u.path)]
    f.by_unit = [
        UnitFigures(unit=u, admitted=admitted.get(u.path, 0),
                    target=unit_targets.get(u.pk), members=members.get(u.path, 0),
                    branches=branch_totals.get(u.path, 0),
                    branches_without_admission=idle_totals.get(u.path, 0))
        for u in tree.children if u.exists_during(start, end)
    ]
    # Units that record headcounts: the organisation and those directly under it are shown,
    # every unit at 100 % is named, and one whose headcount is missing on the end date or
    # below its members is flagged rather than printed as a share.
    staff = subtree_headcounts(tree.root.path, end)
    alive = [u for u in tree.units if u.exists_on(end)]
    shown = [u for u in alive if u.pk == tree.root.pk or u in tree.children]
    f.headcounts = membership.coverage(shown, members, staff)
    staffed = membership.coverage(alive, members, staff)
    f.units_all_members = [h for h in staffed if h.all_members]
    f.units_over = [h for h in staffed if h.over]


def _pipeline(candidates, today: date) -> list[StageCount]:
    rows = candidates.exclude(stage__in=CLOSED_STAGES).values("stage").annotate(
        n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))).order_by()
    return stage_counts({r["stage"]: (r["n"], r["overdue"]) for r in rows})


def stage_counts(counts: dict[str, tuple[int, int]]) -> list[StageCount]:
    """Every open stage in the pipeline's order, with (how many, how many overdue)."""
    return [StageCount(stage, Stage(stage).label, *counts.get(stage, (0, 0)))
            for stage in STAGE_ORDER if stage not in CLOSED_STAGES]
