"""Unit comparison: the units directly under an organisation side by side — admissions against
their members and staff, the share of young, women and ethnic-minority admissions, the overdue
dossiers — each against the median of the units; and the branches that have admitted nobody
for two years or more ("chi bộ nhiều năm không kết nạp được đảng viên").

Admissions are the reports' (`reports.selectors.admissions`: the admission movements, placed
at the branch that admitted, dated by the counting basis), so a unit's count equals its row of
the report's "Kết nạp theo đơn vị"; members at the period's start are Biểu 1's as the headline
reads them (`reports.rollups.members_on` on the day before); staff is the unit's own headcount
in force on the period's end date; "young" is the reports' first age band (30 or under at
admission); "overdue" is the pipeline's (open dossiers past their due date). Five queries
whatever the number of units (GROUP BY the unit's path prefix); Python only adds up their rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Substr
from django.db.models.lookups import GreaterThan
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from members.headcounts import staff_by_unit
from members.models import BRANCH_KINDS, Movement, Organisation, subtree_bounds
from members.models.movements import ADMISSION_KINDS
from members.models.tree import fold
from recruitment.models import Candidate
from recruitment.rules import add_months
from recruitment.workflow import CLOSED_STAGES

from .. import rollups
from ..charts import ADMITTED, GRID, TARGET, WIDTH, _legend, _svg, _text
from ..figures import Unit, percent
from ..membership import counted_movements, counted_on, counting_basis
from ..periods import Period
from ..selectors import AGE_BANDS, MAJORITY_ETHNICITY, admissions
from ..templatetags.documents import vn_number
from .common import Scope

YOUNG_MAX_AGE = AGE_BANDS[0][2]  # "Từ 18 đến 30 tuổi": the reports' young admissions
STALE_MONTHS = 24  # a branch without admissions this long is named
ONE = Decimal("0.1")


@dataclass(frozen=True)
class Column:
    key: str  # the `?sap_xep=` value, and `chi_so` of the list behind it where there is one
    label: str  # lazy text
    better: int  # +1 more is better, −1 fewer is better, 0 neither (no colour)
    drill: str = ""  # the `chi_so` its number opens
    short: str = ""  # the heading in the PDF's narrow table


# The table's columns, in order (the unit's name comes first, `don_vi`).
COLUMNS = [
    Column("ket_nap", _("Kết nạp"), +1, "ket_nap", _("Kết nạp")),
    Column("dang_vien", _("Đảng viên đầu kỳ"), 0, "", _("ĐV đầu kỳ")),
    Column("tren_100_dv", _("Kết nạp / 100 đảng viên"), +1, "ket_nap", _("KN/100 ĐV")),
    Column("can_bo", _("Cán bộ, công chức, viên chức"), 0, "", _("CB, CC, VC")),
    Column("tren_100_cb", _("Kết nạp / 100 CB, CC, VC"), +1, "ket_nap", _("KN/100 CB")),
    Column("tre", _("Trẻ (≤ 30 tuổi)"), +1, "tre", _("Trẻ")),
    Column("nu", _("Nữ"), +1, "nu", _("Nữ")),
    Column("dan_toc", _("Dân tộc thiểu số"), +1, "dan_toc", _("DTTS")),
    Column("qua_han", _("Hồ sơ quá hạn"), -1, "qua_han", _("Quá hạn")),
]
NAME_KEY = "don_vi"
SORT_KEYS = (NAME_KEY, *(c.key for c in COLUMNS))
# The lists behind the numbers (`chi_so`): the admitted, three groups of them, the overdue.
LISTS = ("ket_nap", "tre", "nu", "dan_toc", "qua_han")
SHARES = {"tre": "young", "nu": "women", "dan_toc": "minorities"}
COUNTS = ("ket_nap", "dang_vien", "can_bo", "qua_han")  # the others are rates, one decimal


def _one_place(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


def median(values) -> Decimal | None:
    """The middle value (the mean of the two middle ones), None when there is none."""
    ordered = sorted(Decimal(v) for v in values if v is not None)
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass
class Cell:
    """One number of the table: its value (a count, a rate per 100, a share in %), the count
    its link lists, and how far it is from the units' median."""

    key: str
    value: int | Decimal | None
    count: int | None = None  # the people behind it (shares: the group's count)
    diff: Decimal | None = None  # value − median
    better: int = 0
    drill: str = ""  # the `chi_so` of the list behind it

    @property
    def share(self) -> bool:
        return self.key in SHARES

    @property
    def linked(self) -> bool:
        """A number with a list behind it (a group's count even when nobody was admitted)."""
        return bool(self.drill) and (self.value is not None or self.share)

    @property
    def text(self) -> str:
        """The value as written: '12', '1,2', '42,9 %', '—'."""
        text = written(self.value, self.key)
        return f"{text} %" if self.share and self.value is not None else text

    @property
    def trend(self) -> str:
        """'up', 'down' or '' against the median; `good`/`bad` say which way is better."""
        if self.diff is None or not self.diff:
            return ""
        return "up" if self.diff > 0 else "down"

    @property
    def judgement(self) -> str:
        if not self.trend or not self.better:
            return ""
        return "good" if (self.diff > 0) == (self.better > 0) else "bad"

    @property
    def diff_text(self) -> str:
        """'▲ 1,2' / '▼ 0,5' / '='; '' when there is no median to compare with."""
        if self.diff is None:
            return ""
        if not self.diff:
            return "="
        arrow = "▲" if self.diff > 0 else "▼"
        return f"{arrow} {written(abs(self.diff), self.key)}"


def written(value, key: str = "") -> str:
    """A rate (any column but COUNTS) with one decimal place ('80,0'); a count, or a median or
    difference of counts, as '12' ('2,5' when it falls between two)."""
    if value is None:
        return "—"
    if key in COUNTS and (isinstance(value, int) or value == value.to_integral_value()):
        return vn_number(value)
    return vn_number(_one_place(value), 1)


@dataclass
class UnitRow:
    unit: Unit
    admitted: int = 0
    young: int = 0
    women: int = 0
    minorities: int = 0
    members: int = 0  # on the list at the end of the day before the period starts
    staff: int | None = None  # the headcount in force on the period's end date
    overdue: int = 0
    cells: list[Cell] = field(default_factory=list)

    def values(self) -> dict:
        return {
            "ket_nap": self.admitted, "dang_vien": self.members,
            "tren_100_dv": percent(self.admitted, self.members),
            "can_bo": self.staff, "tren_100_cb": percent(self.admitted, self.staff),
            "tre": percent(self.young, self.admitted), "nu": percent(self.women, self.admitted),
            "dan_toc": percent(self.minorities, self.admitted), "qua_han": self.overdue,
        }

    def counts(self) -> dict:
        return {"ket_nap": self.admitted, "tren_100_dv": self.admitted,
                "tren_100_cb": self.admitted, "tre": self.young, "nu": self.women,
                "dan_toc": self.minorities, "qua_han": self.overdue}

    def fill(self, medians: dict | None) -> None:
        values, counts = self.values(), self.counts()
        self.cells = []
        for c in COLUMNS:
            mid = (medians or {}).get(c.key)
            value = values[c.key]
            diff = value - mid if medians is not None and None not in (value, mid) else None
            self.cells.append(Cell(c.key, value, counts.get(c.key), diff, c.better, c.drill))

    def value(self, key: str):
        return self.unit.name if key == NAME_KEY else self.values()[key]


@dataclass
class StaleBranch:
    unit: Unit
    within: str  # the name of the unit of the table it belongs to
    last_admission: date | None
    members: int
    since: date | None  # the last admission, or the opening when there was none
    years: Decimal | None  # from `since` to `as_of`, one decimal place

    @property
    def years_text(self) -> str:
        return written(self.years)

    def __reduce__(self):
        # The country keeps ~13,000 of these in its stored figures: as plain tuples they load
        # in a tenth of the time dataclasses with a Decimal take (0.44 s → 0.05 s).
        u = self.unit
        return (_stale_branch, ((u.pk, u.code, u.name, u.kind, u.path, u.opened_on,
                                 u.dissolved_on), self.within, self.last_admission,
                                self.members, self.since,
                                None if self.years is None else str(self.years)))


def _stale_branch(unit, within, last_admission, members, since, years) -> StaleBranch:
    return StaleBranch(Unit(*unit), within, last_admission, members, since,
                       None if years is None else Decimal(years))


@dataclass
class UnitsFigures:
    organisation: Unit
    period: Period
    as_of: date
    counted_by: str
    rows: list[UnitRow]
    total: UnitRow
    medians: dict
    stale: list[StaleBranch]
    stale_cutoff: date  # no admission after this day: named

    @property
    def columns(self) -> list[Column]:
        return COLUMNS

    @property
    def median_row(self) -> list[tuple[Column, Decimal | None]]:
        return [(c, self.medians.get(c.key)) for c in COLUMNS]

    @property
    def median_texts(self) -> list[str]:
        return [written(m, c.key) + (" %" if c.key in SHARES and m is not None else "")
                for c, m in self.median_row]

    def sorted_rows(self, sort: str = "") -> list[UnitRow]:
        """The rows by `sort` (a key, `-key` descending); units without a value last."""
        key, descending = sort.lstrip("-"), sort.startswith("-")
        if key not in SORT_KEYS:
            return list(self.rows)
        present = [r for r in self.rows if r.value(key) is not None]
        missing = [r for r in self.rows if r.value(key) is None]
        if key == NAME_KEY:
            ordered = sorted(present, key=lambda r: (fold(r.unit.name), r.unit.path),
                             reverse=descending)
        else:
            ordered = sorted(present, key=lambda r: r.unit.path)
            ordered.sort(key=lambda r: r.value(key), reverse=descending)
        return ordered + missing


def _unit(o: Organisation) -> Unit:
    return Unit(o.pk, o.code, o.name, o.kind, o.path, o.opened_on, o.dissolved_on)


def _month_day(name: str):
    return ExtractMonth(name) * 100 + ExtractDay(name)


def age_at_admission():
    """Full years on the day the admission counts (`counted`), as reports.selectors._ages."""
    later = Case(When(GreaterThan(_month_day("member__birth_date"), _month_day("counted")),
                      then=Value(1)), default=Value(0), output_field=IntegerField())
    return ExtractYear("counted") - ExtractYear("member__birth_date") - later


GROUPS = {
    "tre": Q(age__lte=YOUNG_MAX_AGE),
    "nu": Q(member__sex="female"),
    # As the report's structure sentence counts them: a recorded ethnicity other than Kinh.
    "dan_toc": ~Q(member__ethnicity__iexact=MAJORITY_ETHNICITY) & ~Q(member__ethnicity=""),
}


def _bounds(scope: Scope, unit: Organisation | Unit | None) -> tuple[str, str]:
    return subtree_bounds((unit or scope.organisation).path)


def admitted(scope: Scope, unit=None, group: str = "", basis: str | None = None):
    """The admissions of the period up to `as_of` in the scope (or one unit), as movements
    with `counted` (their date) and `age` (at admission); `group` one of GROUPS."""
    low, high = _bounds(scope, unit)
    qs = admissions(low, high, scope.period.start, scope.as_of, basis or counting_basis())
    qs = qs.alias(age=age_at_admission())
    return qs.filter(GROUPS[group]) if group else qs


def overdue(scope: Scope, unit=None):
    """Dossiers still open whose deadline passed before `as_of`, held in the scope (or unit)."""
    low, high = _bounds(scope, unit)
    return Candidate.objects.exclude(stage__in=CLOSED_STAGES).filter(
        due_date__lt=scope.as_of, organisation__path__gte=low, organisation__path__lt=high)


def compute(scope: Scope, *, basis: str | None = None) -> UnitsFigures:
    basis = basis or counting_basis()
    n, start, as_of = scope.unit_length, scope.period.start, scope.as_of
    low, high = subtree_bounds(scope.organisation.path)
    rows = {u.path: UnitRow(_unit(u)) for u in scope.units}
    total = UnitRow(_unit(scope.organisation))

    def add(path: str | None, attr: str, value: int) -> None:
        setattr(total, attr, getattr(total, attr) + value)
        row = rows.get((path or "")[:n]) if path and len(path) >= n else None
        if row is not None:
            setattr(row, attr, getattr(row, attr) + value)

    unit_of = Substr("to_organisation__path", 1, n)
    for r in admitted(scope, basis=basis).values(u=unit_of).annotate(
            n=Count("pk"), young=Count("pk", filter=GROUPS["tre"]),
            women=Count("pk", filter=GROUPS["nu"]),
            minorities=Count("pk", filter=GROUPS["dan_toc"])).order_by():
        for attr in ("young", "women", "minorities"):
            add(r["u"], attr, r[attr])
        add(r["u"], "admitted", r["n"])
    # Members at the start (at the end of the day before it), as the headline's Biểu 1 reads
    # them: each unit's rollup rows, one indexed read.
    on_list = rollups.members_on([total.unit.pk, *(r.unit.pk for r in rows.values())],
                                 start - timedelta(days=1), basis)
    total.members = on_list.get(total.unit.pk, 0)
    for row in rows.values():
        row.members = on_list.get(row.unit.pk, 0)
    for r in overdue(scope).values(u=Substr("organisation__path", 1, n)).annotate(
            n=Count("pk")).order_by():
        add(r["u"], "overdue", r["n"])
    staff = staff_by_unit([scope.organisation, *scope.units], scope.period.end)
    total.staff = staff.get(total.unit.pk)
    for row in rows.values():
        row.staff = staff.get(row.unit.pk)

    ordered = list(rows.values())
    medians = {c.key: median(r.values()[c.key] for r in ordered) for c in COLUMNS}
    for row in ordered:
        row.fill(medians)
    total.fill(None)
    cutoff = add_months(as_of, -STALE_MONTHS)
    return UnitsFigures(organisation=total.unit, period=scope.period, as_of=as_of,
                        counted_by=basis, rows=ordered, total=total, medians=medians,
                        stale=stale_branches(scope, cutoff, basis),
                        stale_cutoff=cutoff)


def stale_branches(scope: Scope, cutoff: date, basis: str) -> list[StaleBranch]:
    """Branches of the subtree that exist on `as_of`, opened on or before `cutoff`, with no
    admission after `cutoff` (up to `as_of`): one query; the database picks an anti-join by
    index (a province) or by hash (the country), then reads the last admission and the members
    on `as_of` of the branches it keeps, each by the branch's own index."""
    low, high = subtree_bounds(scope.organisation.path)
    as_of = scope.as_of
    admitted_to = Movement.objects.filter(to_organisation=OuterRef("pk"),
                                          kind__in=ADMISSION_KINDS).alias(on=counted_on(basis))
    recent = admitted_to.filter(on__gt=cutoff, on__lte=as_of)
    last = admitted_to.filter(on__lte=as_of).order_by().values("to_organisation").annotate(
        last=Max("on")).values("last")
    moves = counted_movements(basis).filter(counted__lte=as_of).order_by()

    def count(side: str):
        return Coalesce(Subquery(moves.filter(**{side: OuterRef("pk")}).values(side).annotate(
            c=Count("pk")).values("c"), output_field=IntegerField()), 0)

    rows = Organisation.objects.filter(path__gte=low, path__lt=high, kind__in=BRANCH_KINDS) \
        .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=cutoff)) \
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of)) \
        .filter(~Exists(recent)) \
        .annotate(last_on=Subquery(last),
                  on_list=count("to_organisation") - count("from_organisation")) \
        .order_by(F("last_on").asc(nulls_first=True), F("opened_on").asc(nulls_first=True),
                  "path")

    def within(path: str) -> str:
        unit = scope.unit_of(path)
        return unit.name if unit is not None else scope.organisation.name

    def years(since: date | None) -> Decimal | None:
        return None if since is None else _one_place(
            Decimal((as_of - since).days) / Decimal("365.25"))

    return [StaleBranch(_unit(o), within(o.path), o.last_on, o.on_list,
                        o.last_on or o.opened_on, years(o.last_on or o.opened_on))
            for o in rows]


def dossiers(scope: Scope, metric: str, unit=None, q: str = ""):
    """The people behind a number: admission movements (with the member and branch) for
    `ket_nap` and the groups, open dossiers for `qua_han`; filtered by name."""
    if metric == "qua_han":
        qs = overdue(scope, unit).select_related("organisation").order_by(
            "due_date", "search_name", "pk")
        return qs.filter(search_name__contains=fold(q)) if q else qs
    group = "" if metric == "ket_nap" else metric
    qs = admitted(scope, unit, group).annotate(admitted_on=F("counted"), age_then=F("age"))
    qs = qs.select_related("member", "to_organisation").order_by(
        "admitted_on", "member__search_name", "pk")
    return qs.filter(member__search_name__contains=fold(q)) if q else qs


# --- the chart ---------------------------------------------------------------------------

def _short(name: str, limit: int = 34) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def chart(f: UnitsFigures, limit: int = 30) -> SafeString:
    """Admissions per 100 members at the start, unit by unit (highest first), with the units'
    median as a dashed line; units with no members at the start are named below."""
    rated = sorted((r for r in f.rows if r.values()["tren_100_dv"] is not None),
                   key=lambda r: (-r.values()["tren_100_dv"], r.unit.path))
    unrated = [r for r in f.rows if r.values()["tren_100_dv"] is None]
    if not rated:
        return mark_safe("")
    shown, rest = rated[:limit], rated[limit:]
    mid = f.medians.get("tren_100_dv")
    row, label_w, top_pad = 22, 260, 26
    notes = (1 if rest else 0) + (1 if unrated else 0)
    height = top_pad + row * len(shown) + 24 + 18 * notes
    top = max([float(r.values()["tren_100_dv"]) for r in shown] + [float(mid or 0), 0.1])
    room = WIDTH - label_w - 60
    body = _legend([("Kết nạp trên 100 đảng viên đầu kỳ", ADMITTED, False),
                    ("Trung vị các đơn vị", TARGET, True)])
    for i, r in enumerate(shown):
        value = r.values()["tren_100_dv"]
        y = top_pad + i * row
        w = room * float(value) / top
        body.append(_text(label_w - 8, y + row / 2 + 4, _short(r.unit.name), anchor="end",
                          size=12))
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                    f'fill="{ADMITTED}"/>')
        body.append(_text(label_w + w + 6, y + row / 2 + 4, written(value), anchor="start",
                          size=12))
    bottom = top_pad + row * len(shown)
    body.append(f'<line x1="{label_w}" y1="{top_pad - 2}" x2="{label_w}" y2="{bottom}" '
                f'stroke="{GRID}"/>')
    if mid is not None:
        x = label_w + room * float(mid) / top
        body.append(f'<line x1="{x:.1f}" y1="{top_pad - 4}" x2="{x:.1f}" y2="{bottom + 2}" '
                    f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="5 3"/>')
        body.append(_text(x, bottom + 14, f"Trung vị: {written(mid)}", size=11))
    y = bottom + 18 + 18
    if rest:
        body.append(_text(label_w, y, f"… và {vn_number(len(rest))} đơn vị khác", anchor="start",
                          size=12))
        y += 18
    if unrated:
        body.append(_text(label_w, y, f"{vn_number(len(unrated))} đơn vị chưa có đảng viên đầu "
                          "kỳ để tính tỷ lệ", anchor="start", size=12))
    desc = "; ".join(f"{r.unit.name}: {written(r.values()['tren_100_dv'])}" for r in shown) + (
        f". Trung vị {written(mid)}." if mid is not None else ".")
    return _svg(height, "Kết nạp trên 100 đảng viên đầu kỳ của từng đơn vị", desc, body)


# --- the XLSX sheets ---------------------------------------------------------------------

def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def write_sheet(book, f: UnitsFigures) -> None:
    """Two sheets: the units with the median row and the total, and every stale branch."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    headers = ["Đơn vị", *[c.label for c in COLUMNS]]
    ws = book.sheet("So sánh đơn vị", widths=[40] + [14] * len(COLUMNS), freeze="B2")
    ws.append(headers, font=bold)
    for r in f.rows:
        ws.append([r.unit.name, *[_number(c.value) for c in r.cells]])
    ws.append(["Trung vị các đơn vị", *[_number(m) for _c, m in f.median_row]], font=bold)
    ws.append([f"Toàn {f.organisation.name}", *[_number(c.value) for c in f.total.cells]],
              font=bold)
    ws.append([])
    ws.append([f"Kết nạp từ {f.period.start:%d/%m/%Y} đến {f.as_of:%d/%m/%Y}; đảng viên đầu kỳ "
               f"ngày {f.period.start:%d/%m/%Y}; tỷ lệ trẻ, nữ, dân tộc thiểu số tính theo % số "
               f"kết nạp; hồ sơ quá hạn tính đến {f.as_of:%d/%m/%Y}."])
    st = book.sheet("Chi bộ lâu chưa kết nạp", widths=[40, 14, 36, 18, 14, 14], freeze="A2")
    st.append(["Chi bộ", "Mã", "Thuộc đơn vị", "Lần kết nạp gần nhất",
               "Số năm chưa kết nạp", "Đảng viên"], font=bold)
    for b in f.stale:
        st.append([b.unit.name, b.unit.code, b.within, b.last_admission or "chưa có",
                   _number(b.years), b.members])
