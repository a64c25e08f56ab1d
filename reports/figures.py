"""The figures of one report, as plain data: `selectors.compute_figures` fills them with a fixed
number of aggregate queries; the HTML page, the PDF and the XLSX only render them.

Percentages are exact: integers divided as decimals and rounded half up to one place, so
408 of 250 is 163,2 % and 50 of 60 is 83,3 %.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from members.models import BRANCH_KINDS

from .periods import Period

ONE_PLACE = Decimal("0.1")


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """part / whole × 100, one decimal place; None when there is nothing to divide by."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def mean(total: int | None, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Unit:
    """An organisation as a report names it."""

    pk: int
    code: str
    name: str
    kind: str
    path: str
    opened_on: date | None = None
    dissolved_on: date | None = None

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    def exists_on(self, day: date) -> bool:
        return ((self.opened_on is None or self.opened_on <= day)
                and (self.dissolved_on is None or self.dissolved_on > day))

    def exists_during(self, start: date, end: date) -> bool:
        return ((self.opened_on is None or self.opened_on <= end)
                and (self.dissolved_on is None or self.dissolved_on > start))


@dataclass
class YearFigures:
    """One calendar year (the part inside the period)."""

    year: int
    start: date
    end: date
    admitted: int = 0
    target: int | None = None
    sympathisers: int = 0
    recognised: int = 0
    probation_ended: int = 0
    removed: int = 0
    failed_votes: int = 0
    awareness_classes: int = 0
    awareness_learners: int = 0
    new_member_classes: int = 0
    new_member_learners: int = 0
    youth_union: int = 0  # Youth Union members among the admitted
    youth_introduced: int = 0
    youth_admitted: int = 0  # of those introduced that year, admitted by the period's end
    sent_awareness: int = 0
    sent_new_member: int = 0

    @property
    def target_percent(self):
        return percent(self.admitted, self.target)

    @property
    def recognised_percent(self):
        return percent(self.recognised, self.probation_ended)

    @property
    def partial_note(self) -> str:
        """'từ 15/10' or 'đến 20/10' when a congress cuts the year."""
        notes = []
        if (self.start.month, self.start.day) != (1, 1):
            notes.append(f"từ {self.start:%d/%m}")
        if (self.end.month, self.end.day) != (12, 31):
            notes.append(f"đến {self.end:%d/%m}")
        return ", ".join(notes)


@dataclass
class UnitFigures:
    """A unit directly under the reporting organisation, its whole subtree added up."""

    unit: Unit
    admitted: int = 0
    target: int | None = None
    members: int = 0  # on the list on the period's end date
    branches: int = 0
    branches_without_admission: int = 0

    @property
    def target_percent(self):
        return percent(self.admitted, self.target)


@dataclass
class BranchFigures:
    unit: Unit
    parent_name: str
    admitted: int = 0


@dataclass
class Headcount:
    """Members among the staff of a unit (số cán bộ, công chức là đảng viên) on the period's
    end date; `staff` is None when no headcount was recorded for that date."""

    unit: Unit
    members: int
    staff: int | None
    valid_from: date | None = None

    @property
    def percent(self):
        return percent(self.members, self.staff)

    @property
    def missing(self) -> bool:
        return self.staff is None

    @property
    def over(self) -> bool:
        """More members than staff: a headcount out of date or members counted elsewhere."""
        return self.staff is not None and self.members > self.staff

    @property
    def all_members(self) -> bool:
        return self.staff is not None and self.staff > 0 and self.members == self.staff

    @property
    def written(self) -> str:
        """'9/9'; '—' when the headcount is missing."""
        from .templatetags.documents import vn_number

        return "—" if self.staff is None else f"{vn_number(self.members)}/{vn_number(self.staff)}"


@dataclass
class Group:
    """One group of the admitted (women, an age band, an education level…)."""

    label: str
    count: int
    whole: int

    @property
    def percent(self):
        return percent(self.count, self.whole)


@dataclass
class StageCount:
    stage: str
    label: str
    count: int
    overdue: int


# The pipeline's stages gathered into the steps of a funnel: (label, stages).
PHASES = [
    ("Quần chúng ưu tú (dự nguồn)", ("source_pool", "helper_assigned")),
    ("Cảm tình Đảng", ("sympathiser",)),
    ("Hoàn thiện hồ sơ", ("applied", "history_verified", "introduced", "opinions_collected")),
    ("Đang xét kết nạp", ("branch_voted", "at_grassroots", "partial_appraised", "at_upper")),
    ("Chờ lễ kết nạp", ("admission_decided",)),
    ("Đảng viên dự bị", ("probationary", "recognition_branch_voted", "recognition_at_upper")),
]


@dataclass
class Phase:
    label: str
    count: int
    overdue: int


# Biểu 1-BTCTW's increases by kind and decreases by reason, in the form's order.
INCREASES = [("admitted", "Kết nạp"), ("readmitted", "Kết nạp lại"),
             ("transferred_in", "Chuyển đến")]
DECREASES = [("died", "Từ trần"), ("removed", "Xóa tên"), ("expelled", "Khai trừ"),
             ("resigned", "Xin ra khỏi Đảng"), ("transferred_out", "Chuyển đi")]


@dataclass
class Change:
    key: str
    label: str
    count: int


@dataclass
class Membership:
    """Biểu 1-BTCTW: members on the list the day before the period starts, in and out during
    it, and on its last day, all read from the dated movements."""

    at_start: int = 0
    increases: dict[str, int] = field(default_factory=dict)
    decreases: dict[str, int] = field(default_factory=dict)
    at_end: int = 0
    # Members no longer on the list whose leaving was never dated: still counted, and said.
    left_undated: int = 0

    @property
    def joined(self) -> int:
        return sum(self.increases.values())

    @property
    def left(self) -> int:
        return sum(self.decreases.values())

    @property
    def increase_rows(self) -> list[Change]:
        return [Change(k, label, self.increases.get(k, 0)) for k, label in INCREASES]

    @property
    def decrease_rows(self) -> list[Change]:
        return [Change(k, label, self.decreases.get(k, 0)) for k, label in DECREASES]


@dataclass
class Structure:
    """The organisations of the subtree on the period's end date, as the department counts
    them ("91 tổ chức cơ sở đảng, 285 chi bộ trực thuộc, 1 đảng bộ bộ phận")."""

    grassroots_committees: int = 0
    grassroots_branches: int = 0
    branches: int = 0  # chi bộ trực thuộc (under a grassroots or partial committee)
    partial_committees: int = 0

    @property
    def grassroots(self) -> int:
        return self.grassroots_committees + self.grassroots_branches


@dataclass
class Sent:
    """People of the subtree who attended a class organised outside it (counted for the
    sender): the class kind, the organiser's name, how many."""

    kind: str
    organiser: str
    count: int


@dataclass
class ReportFigures:
    organisation: Unit
    parent_name: str
    period: Period
    as_of: date  # the pipeline is shown as it stands on this day

    admitted: int = 0
    target: int | None = None
    by_year: list[YearFigures] = field(default_factory=list)
    by_month: list[tuple[int, int, int]] = field(default_factory=list)  # year, month, count

    # The admitted, by group.
    women: int = 0
    ethnic_minorities: int = 0
    religious: int = 0
    youth_union: int = 0
    age_bands: list[Group] = field(default_factory=list)
    average_age: Decimal | None = None
    education: list[Group] = field(default_factory=list)
    qualification: list[Group] = field(default_factory=list)
    occupation: list[Group] = field(default_factory=list)

    # Where they were admitted.
    by_unit: list[UnitFigures] = field(default_factory=list)
    by_branch: list[BranchFigures] = field(default_factory=list)
    branch_count: int = 0
    grassroots_count: int = 0
    branches_without_admission: list[BranchFigures] = field(default_factory=list)
    grassroots_without_admission: list[Unit] = field(default_factory=list)

    # Sources and training. The cohorts: of those introduced by the Youth Union (recognised
    # as sympathisers) in the period, how many were admitted by its end.
    sympathisers: int = 0
    sympathisers_admitted: int = 0
    awareness_classes: int = 0
    awareness_learners: int = 0
    new_member_classes: int = 0
    new_member_learners: int = 0
    sent: list[Sent] = field(default_factory=list)
    youth_introduced: int = 0
    youth_admitted: int = 0

    # Probation.
    recognised: int = 0
    probation_ended: int = 0
    removed: int = 0
    # Branch votes on a proposal to admit that did not reach 2/3 (a record, not a refusal).
    failed_votes: int = 0

    membership: Membership = field(default_factory=Membership)
    structure: Structure = field(default_factory=Structure)
    headcounts: list[Headcount] = field(default_factory=list)
    units_all_members: list[Headcount] = field(default_factory=list)
    units_over: list[Headcount] = field(default_factory=list)  # more members than staff
    # "decision": "kết nạp" counts the admission decision's date; "ceremony": the ceremony's.
    counted_by: str = "decision"

    pipeline: list[StageCount] = field(default_factory=list)

    @property
    def target_percent(self):
        return percent(self.admitted, self.target)

    @property
    def admitted_percent_of_start(self):
        return percent(self.admitted, self.membership.at_start)

    @property
    def recognised_percent(self):
        return percent(self.recognised, self.probation_ended)

    @property
    def youth_admitted_percent(self):
        return percent(self.youth_admitted, self.youth_introduced)

    @property
    def sympathisers_admitted_percent(self):
        return percent(self.sympathisers_admitted, self.sympathisers)

    @property
    def headcount_flags(self) -> list[Headcount]:
        """Headcounts shown that cannot be trusted as printed: missing or below the members."""
        return [h for h in self.headcounts if h.missing or h.over]

    def share(self, count: int):
        """`count` as a share of the admitted."""
        return percent(count, self.admitted)

    @property
    def groups(self) -> list[Group]:
        n = self.admitted
        return [Group("Nữ", self.women, n),
                Group("Người dân tộc thiểu số", self.ethnic_minorities, n),
                Group("Người có tôn giáo", self.religious, n),
                Group("Đoàn viên Thanh niên Cộng sản Hồ Chí Minh", self.youth_union, n)]

    @property
    def pipeline_total(self) -> int:
        return sum(s.count for s in self.pipeline)

    @property
    def overdue_total(self) -> int:
        return sum(s.overdue for s in self.pipeline)

    @property
    def phases(self) -> list[Phase]:
        by_stage = {s.stage: s for s in self.pipeline}
        return [Phase(label, sum(by_stage[s].count for s in stages if s in by_stage),
                      sum(by_stage[s].overdue for s in stages if s in by_stage))
                for label, stages in PHASES]

    @property
    def has_units(self) -> bool:
        return bool(self.by_unit)

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the period and nothing is under way."""
        return not (self.admitted or self.sympathisers or self.recognised or self.removed
                    or self.awareness_classes or self.new_member_classes
                    or self.youth_introduced or self.pipeline_total)


def top(groups: list[Group], n: int, other_label: str = "Khác") -> list[Group]:
    """The `n` largest groups and the rest added up as one."""
    if len(groups) <= n + 1:
        return groups
    head, rest = groups[:n], groups[n:]
    return [*head, Group(other_label, sum(g.count for g in rest), head[0].whole)]
