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
    staff_headcount: int | None = None

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS


@dataclass
class YearFigures:
    """One calendar year (the part inside the period)."""

    year: int
    start: date
    end: date
    admitted: int = 0
    target: int | None = None
    youth_admitted: int = 0
    sympathisers: int = 0
    recognised: int = 0
    probation_ended: int = 0
    removed: int = 0
    failed_votes: int = 0
    awareness_classes: int = 0
    awareness_learners: int = 0
    new_member_classes: int = 0
    new_member_learners: int = 0
    youth_introduced: int = 0

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
    members: int = 0  # active members now
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
    """Members among the staff of a unit (số cán bộ, công chức là đảng viên)."""

    unit: Unit
    members: int
    staff: int

    @property
    def percent(self):
        return percent(self.members, self.staff)

    @property
    def all_members(self) -> bool:
        return self.members >= self.staff


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


@dataclass
class Membership:
    """Biểu 1-BTCTW: members at the start, in and out during the period, at the end."""

    at_start: int = 0
    joined: int = 0
    left: int = 0
    at_end: int = 0
    left_undated: int = 0  # no longer members, the day they left not recorded
    now: int = 0


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
    profession: list[Group] = field(default_factory=list)
    occupation: list[Group] = field(default_factory=list)

    # Where they were admitted.
    by_unit: list[UnitFigures] = field(default_factory=list)
    by_branch: list[BranchFigures] = field(default_factory=list)
    branch_count: int = 0
    grassroots_count: int = 0
    branches_without_admission: list[BranchFigures] = field(default_factory=list)
    grassroots_without_admission: list[Unit] = field(default_factory=list)

    # Sources and training.
    sympathisers: int = 0
    awareness_classes: int = 0
    awareness_learners: int = 0
    new_member_classes: int = 0
    new_member_learners: int = 0
    youth_introduced: int = 0
    youth_admitted: int = 0

    # Probation.
    recognised: int = 0
    probation_ended: int = 0
    removed: int = 0
    # Branch votes on a proposal to admit that did not reach 2/3 (a record, not a refusal).
    failed_votes: int = 0

    membership: Membership = field(default_factory=Membership)
    headcounts: list[Headcount] = field(default_factory=list)
    units_all_members: list[Headcount] = field(default_factory=list)

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
