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
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan

from members.models import (
    BRANCH_KINDS,
    PATH_STEP,
    Member,
    MemberStatus,
    Organisation,
    subtree_bounds,
)
from members.models import OrganisationKind as K
from members.selectors import get_visible_or_404, organisations_visible_to
from recruitment.models import (
    Candidate,
    ClassKind,
    Decision,
    DecisionKind,
    Introduction,
    IntroductionKind,
    Stage,
    TrainingClass,
    Vote,
    VoteKind,
)
from recruitment.rules import add_months
from recruitment.rules import today as local_today
from recruitment.workflow import CLOSED_STAGES, STAGE_ORDER

from .figures import (
    BranchFigures,
    Group,
    Headcount,
    Membership,
    ReportFigures,
    StageCount,
    Unit,
    UnitFigures,
    YearFigures,
    mean,
)
from .models import Target
from .periods import Period

ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
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


def _ages(f: ReportFigures, admitted) -> None:
    """Age at admission in full years, grouped by (admission year, birth year, birthday not
    yet reached that year): a few hundred groups whatever the number of people."""
    birthday_not_yet = GreaterThan(_month_day("birth_date"), _month_day("admitted_date"))
    rows = admitted.values(
        ay=ExtractYear("admitted_date"), by=ExtractYear("birth_date"),
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


def _profiles(f: ReportFigures, admitted) -> None:
    """Education, profession and occupation of the admitted, from one GROUP BY."""
    fields = {"education": "education", "profession": "profession",
              "occupation": "candidate__occupation"}
    counts = {name: defaultdict(int) for name in fields}
    for row in admitted.values(*fields.values()).annotate(n=Count("pk")).order_by():
        for name, field_name in fields.items():
            counts[name][(row[field_name] or "").strip() or NOT_RECORDED] += row["n"]
    for name, groups in counts.items():
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == NOT_RECORDED, -kv[1], kv[0]))
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
            .values_list("pk", "code", "name", "kind", "path", "staff_headcount")
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
                    today: date | None = None) -> ReportFigures:
    today = today or local_today()
    start, end = period.start, period.end
    low, high = subtree_bounds(organisation.path)
    tree = _Tree(organisation)
    root = tree.by_pk[organisation.pk]
    f = ReportFigures(organisation=root,
                      parent_name=organisation.parent.name if organisation.parent_id else "",
                      period=period, as_of=today)
    years = {y: YearFigures(y, *period.year_span(y)) for y in period.years}
    in_subtree = Q(organisation__path__gte=low, organisation__path__lt=high)

    # Admitted in the period, counted where they were admitted: the candidate's branch, or
    # the member's own branch for members with no candidate record (imported history).
    admitted = Member.objects.annotate(
        adm_org=Coalesce("candidate__organisation_id", "organisation_id"),
        adm_path=Coalesce("candidate__organisation__path", "organisation__path"),
    ).filter(admitted_date__gte=start, admitted_date__lte=end,
             adm_path__gte=low, adm_path__lt=high)
    youth = Q(candidate__youth_union_member=True)
    per_org: dict[int, int] = defaultdict(int)
    for row in admitted.values("adm_org", y=ExtractYear("admitted_date")).annotate(
            n=Count("pk"), youth=Count("pk", filter=youth),
            women=Count("pk", filter=Q(sex="female")),
            minorities=Count("pk", filter=~Q(ethnicity__iexact=MAJORITY_ETHNICITY)
                             & ~Q(ethnicity="")),
            religious=Count("pk", filter=~Q(religion__iexact=NO_RELIGION) & ~Q(religion="")),
    ).order_by():
        per_org[row["adm_org"]] += row["n"]
        years[row["y"]].admitted += row["n"]
        years[row["y"]].youth_admitted += row["youth"]
        f.admitted += row["n"]
        f.women += row["women"]
        f.ethnic_minorities += row["minorities"]
        f.religious += row["religious"]
        f.youth_union += row["youth"]
    f.youth_admitted = f.youth_union
    if not period.is_term:
        f.by_month = sorted(
            (r["y"], r["m"], r["n"]) for r in admitted.values(
                y=ExtractYear("admitted_date"), m=ExtractMonth("admitted_date"))
            .annotate(n=Count("pk")).order_by())
    _ages(f, admitted)
    _profiles(f, admitted)

    # Probation: recognised official in the period, against probations ending in it.
    members = Member.objects.filter(in_subtree)
    for row in members.filter(official_date__gte=start, official_date__lte=end).values(
            y=ExtractYear("official_date")).annotate(n=Count("pk")).order_by():
        years[row["y"]].recognised += row["n"]
    w_low, w_high = probation_window(start, end)
    for row in members.filter(admitted_date__gte=w_low, admitted_date__lte=w_high).values(
            y=ExtractYear("admitted_date")).annotate(n=Count("pk")).order_by():
        years[row["y"] + 1].probation_ended += row["n"]
    removals = Decision.objects.filter(
        kind=DecisionKind.REMOVAL, decision_date__gte=start, decision_date__lte=end,
        candidate__organisation__path__gte=low, candidate__organisation__path__lt=high)
    for row in removals.values(y=ExtractYear("decision_date")).annotate(
            n=Count("pk")).order_by():
        years[row["y"]].removed += row["n"]
    failed = Vote.objects.filter(
        kind=VoteKind.BRANCH, vote_date__gte=start, vote_date__lte=end,
        candidate__organisation__path__gte=low, candidate__organisation__path__lt=high,
    ).alias(margin=3 * F("votes_for") - 2 * F("eligible")).filter(margin__lt=0)
    for row in failed.values(y=ExtractYear("vote_date")).annotate(n=Count("pk")).order_by():
        years[row["y"]].failed_votes += row["n"]

    # Sources and training.
    candidates = Candidate.objects.filter(in_subtree)
    for row in candidates.filter(awareness_cert_date__gte=start, awareness_cert_date__lte=end) \
            .values(y=ExtractYear("awareness_cert_date")).annotate(n=Count("pk")).order_by():
        years[row["y"]].sympathisers += row["n"]
    for row in Introduction.objects.filter(
            kind=IntroductionKind.YOUTH_UNION, document_date__gte=start,
            document_date__lte=end, candidate__organisation__path__gte=low,
            candidate__organisation__path__lt=high,
    ).values(y=ExtractYear("document_date")).annotate(
            n=Count("candidate", distinct=True)).order_by():
        years[row["y"]].youth_introduced += row["n"]
    for row in TrainingClass.objects.filter(
            organiser__path__gte=low, organiser__path__lt=high,
            end_date__gte=start, end_date__lte=end,
    ).values("kind", y=ExtractYear("end_date")).annotate(
            classes=Count("pk", distinct=True), learners=Count("enrolments")).order_by():
        year = years[row["y"]]
        if row["kind"] == ClassKind.AWARENESS:
            year.awareness_classes += row["classes"]
            year.awareness_learners += row["learners"]
        else:
            year.new_member_classes += row["classes"]
            year.new_member_learners += row["learners"]

    f.by_year = list(years.values())
    for name in ("recognised", "probation_ended", "removed", "failed_votes", "sympathisers",
                 "youth_introduced", "awareness_classes", "awareness_learners",
                 "new_member_classes", "new_member_learners"):
        setattr(f, name, sum(getattr(y, name) for y in f.by_year))

    now_per_org = _membership(f, members, start, end)
    unit_targets = _targets(f, tree, period, years)
    _units(f, tree, per_org, now_per_org, unit_targets)
    f.pipeline = _pipeline(candidates, today)
    return f


def _membership(f: ReportFigures, members, start: date, end: date) -> dict[int, int]:
    """Biểu 1 for the subtree (members where they are now); returns active members now per
    organisation. The day someone left is `left_date`, or else the date of the decision that
    removed them from the probationary list."""
    stays = Q(left_date__isnull=True, status__in=ACTIVE)
    rows = members.values("organisation_id").annotate(
        at_start=Count("pk", filter=Q(admitted_date__lt=start)
                       & (stays | Q(left_date__gte=start))),
        at_end=Count("pk", filter=Q(admitted_date__lte=end) & (stays | Q(left_date__gt=end))),
        joined=Count("pk", filter=Q(admitted_date__gte=start, admitted_date__lte=end)),
        left_in=Count("pk", filter=Q(left_date__gte=start, left_date__lte=end)),
        undated=Count("pk", filter=Q(left_date__isnull=True) & ~Q(status__in=ACTIVE)),
        now=Count("pk", filter=Q(status__in=ACTIVE)),
    ).order_by()
    m = Membership()
    now_per_org = {}
    for row in rows:
        m.at_start += row["at_start"]
        m.at_end += row["at_end"]
        m.joined += row["joined"]
        m.left += row["left_in"]
        m.left_undated += row["undated"]
        m.now += row["now"]
        now_per_org[row["organisation_id"]] = row["now"]
    # Removed with no left_date: dated by the removal decision (a few rows, reached from the
    # decisions' side rather than by joining every member to its candidate).
    removal = "candidate__decisions__decision_date"
    dated = members.filter(left_date__isnull=True, candidate__decisions__kind=DecisionKind.REMOVAL
                           ).exclude(status__in=ACTIVE).aggregate(
        n=Count("pk"),
        at_start=Count("pk", filter=Q(admitted_date__lt=start, **{f"{removal}__gte": start})),
        at_end=Count("pk", filter=Q(admitted_date__lte=end, **{f"{removal}__gt": end})),
        left_in=Count("pk", filter=Q(**{f"{removal}__gte": start, f"{removal}__lte": end})),
    )
    m.at_start += dated["at_start"]
    m.at_end += dated["at_end"]
    m.left += dated["left_in"]
    m.left_undated -= dated["n"]
    f.membership = m
    return now_per_org


def _targets(f: ReportFigures, tree: _Tree, period: Period, years: dict) -> dict[int, int]:
    """Fills the organisation's targets; returns those of the units under it, by pk."""
    root = tree.root
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


def _units(f: ReportFigures, tree: _Tree, admitted_per_org: dict, now_per_org: dict,
           unit_targets: dict):
    admitted = tree.roll_up(admitted_per_org)
    members_now = tree.roll_up(now_per_org)
    branches = [u for u in tree.units if u.kind in BRANCH_KINDS]
    branch_totals = tree.roll_up({u.pk: 1 for u in branches})
    idle = [u for u in branches if not admitted_per_org.get(u.pk)]
    idle_totals = tree.roll_up({u.pk: 1 for u in idle})

    f.branch_count = len(branches)
    f.by_branch = [BranchFigures(u, tree.parent_name(u), admitted_per_org.get(u.pk, 0))
                   for u in branches]
    f.branches_without_admission = [b for b in f.by_branch if not b.admitted]
    grassroots = [u for u in tree.units if u.kind in GRASSROOTS_KINDS]
    f.grassroots_count = len(grassroots)
    f.grassroots_without_admission = [u for u in grassroots if not admitted.get(u.path)]
    f.by_unit = [
        UnitFigures(unit=u, admitted=admitted.get(u.path, 0),
                    target=unit_targets.get(u.pk), members=members_now.get(u.path, 0),
                    branches=branch_totals.get(u.path, 0),
                    branches_without_admission=idle_totals.get(u.path, 0))
        for u in tree.children
    ]
    staffed = [Headcount(u, members_now.get(u.path, 0), u.staff_headcount)
               for u in tree.units if u.staff_headcount]
    shown = {tree.root.pk} | {u.pk for u in tree.children}
    f.headcounts = [h for h in staffed if h.unit.pk in shown]
    f.units_all_members = [h for h in staffed if h.all_members]


def _pipeline(candidates, today: date) -> list[StageCount]:
    rows = {r["stage"]: r for r in candidates.exclude(stage__in=CLOSED_STAGES).values(
        "stage").annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        .order_by()}
    return [StageCount(stage, Stage(stage).label, rows.get(stage, {}).get("n", 0),
                       rows.get(stage, {}).get("overdue", 0))
            for stage in STAGE_ORDER if stage not in CLOSED_STAGES]
