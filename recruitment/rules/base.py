"""What every rule is built from: the registry of rules with their citations, the parameters
in force on a date, the context a check looks at and the findings it returns."""
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils import timezone

from ..calendar import WorkingCalendar
from ..models import RuleParameter

# Used when the parameter table has no row in force yet (a fresh database); the data
# migration writes the same values with their sources.
DEFAULT_PARAMETERS = {
    "AGE_MIN_YEARS": 18,
    "AGE_MAX_YEARS": 60,
    "YOUTH_AGE_MAX_YEARS": 30,
    "CERT_VALID_MONTHS": 60,
    "BRANCH_MIN_OFFICIAL": 3,
    "DECISION_DEADLINE_WD": 60,
    "RECOGNITION_DEADLINE_WD": 30,
    "CEREMONY_DEADLINE_WD": 30,
    "PROBATION_MONTHS": 12,
    "RECOGNITION_WINDOW_WD": 30,
    "INTRODUCER_TENURE_MONTHS": 12,
    "DOC_AGE_MONTHS": 12,
    # Failed recognition votes after which the branch reports to the upper committee instead of
    # voting again ("đã qua 3 lần biểu quyết"): Quy định 294-QĐ/TW, điểm 4.2.3.
    "RECOGNITION_FAILED_VOTES_MAX": 3,
    # Readmission: months since leaving the Party, and since a minor crime's sentence was
    # cleared (Quy định 294-QĐ/TW, điểm 3.5.1).
    "READMISSION_WAIT_MONTHS": 36,
    "READMISSION_CRIME_WAIT_MONTHS": 60,
}


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    hard: bool
    citation: str


# Filled by `rule` as the stage modules are imported, in the order they define their rules.
RULES: dict[str, Rule] = {}
CHECKS: dict = {}


def rule(code: str, title: str, *, hard: bool, citation: str):
    """Registers the decorated check as the rule `code`, with the regulation it enforces."""
    RULES[code] = Rule(code, title, hard, citation)

    def register(check):
        CHECKS[code] = check
        return check

    return register


class Parameters:
    """Rule parameters loaded once; `get(code, on)` gives the value in force on a date."""

    def __init__(self, rows=None):
        rows = list(RuleParameter.objects.all()) if rows is None else rows
        self._rows: dict[str, list[tuple[date, int]]] = {}
        for row in sorted(rows, key=lambda r: r.effective_from):
            self._rows.setdefault(row.code, []).append((row.effective_from, row.value))

    def get(self, code: str, on: date) -> int:
        rows = self._rows.get(code)
        if not rows:
            return DEFAULT_PARAMETERS[code]
        value = rows[0][1]  # before the first recorded row, the earliest known value applies
        for effective_from, v in rows:
            if effective_from <= on:
                value = v
        return value


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (birthday arithmetic: 17/05 → 16/05 is 11)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 29th–31st fall back to the month's last day."""
    import calendar

    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today() -> date:
    return timezone.localdate()


@dataclass
class Context:
    """What a check looks at: the candidate as stored, and the step being recorded."""

    candidate: object
    event_date: date
    data: dict = field(default_factory=dict)
    params: Parameters | None = None
    actor: object = None  # the user taking the step (None for imported history)
    # What the step's event keeps besides its fields (appliers fill it: a transfer's branches,
    # the verification an answer filled…).
    payload: dict = field(default_factory=dict)
    # The code of the step being judged, where the caller tells it (rules that depend on the
    # step, such as NUMBER_UNIQUE, otherwise tell it from the stage and the data).
    action: str = ""
    _introductions: list | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        if self.params is None:
            self.params = Parameters()

    def param(self, code: str, on: date | None = None) -> int:
        return self.params.get(code, on or self.event_date)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.load()

    @property
    def introductions(self) -> list:
        """The introductions that count: those written by the latest `record_introductions`
        (a dossier returned to the branch may be introduced again, and the new papers replace
        the old). Rows written before steps were linked to their papers (no event) all count
        while no linked row exists."""
        if self._introductions is None:
            self._introductions = current_introductions(self.candidate)
        return self._introductions

    @introductions.setter
    def introductions(self, value):
        # The step being recorded adds its introductions unsaved: they are the latest set.
        value = list(value)
        self._introductions = [i for i in value if i.pk is None] or value


def current_introductions(candidate) -> list:
    rows = list(candidate.introductions.select_related("introducer"))
    linked = [i for i in rows if i.event_id is not None]
    if not linked:
        return rows
    latest = max(i.event_id for i in linked)  # events are numbered in the order recorded
    return [i for i in linked if i.event_id == latest]


@dataclass(frozen=True)
class Finding:
    code: str
    hard: bool
    message: str
    citation: str
    # The form field the finding is about ("event_date": the step's own date), "" for the
    # dossier as a whole; forms show the finding next to it.
    field: str = ""

    @property
    def title(self) -> str:
        """The rule's name in Vietnamese, the words a secretary reads instead of the code."""
        return RULES[self.code].title

    def as_dict(self):
        return {"code": self.code, "hard": self.hard, "message": self.message,
                "citation": self.citation}

    def __str__(self):
        return f"[{self.code}] {self.message} ({self.citation})"


def fail(code: str, message: str, *, field: str = "") -> Finding:
    found = RULES[code]
    return Finding(code, found.hard, message, found.citation, field)


def fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# Checked on every dated step, before the step's own rules.
ALWAYS = ("DATE_NOT_FUTURE", "DATE_ORDER")


def evaluate_only(codes, ctx: Context) -> list[Finding]:
    findings = []
    for code in codes:
        findings.extend(CHECKS[code](ctx))
    return findings


def evaluate(codes, ctx: Context) -> list[Finding]:
    """The checks every dated step runs, then the step's own rules."""
    return evaluate_only((*ALWAYS, *codes), ctx)
