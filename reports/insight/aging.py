"""Stage aging: how long dossiers wait in each step, unit by unit, against the legal limits.

For the organisation's units (its direct children, or the branch itself) and every waiting
stage, the stays that overlap the period (closed ones measured to the day they left, open ones
to the as-of day) are counted and their working days summarised by the median and the 90th
percentile, in one statement over `sql.stints_sql`; the list behind a cell reads the same
stays with the same filters, so its length is the cell's count."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from members.models import Organisation
from recruitment.models import RuleParameter, Stage
from recruitment.rules import Parameters

from ..charts import INK, WIDTH, _ids, _text
from ..templatetags.documents import vn_number
from .common import Scope
from .sql import WAITING_STAGES, fetch, quantiles_sql, read_date, stints_sql

S = Stage
# The legal limit (a rule parameter, in working days) of the stages that have one. The
# decision's 60 days run from the branch's vote across the three stages together; each stage
# is held to it on its own here, which the page's note says.
LIMITS = {
    S.AT_GRASSROOTS: "DECISION_DEADLINE_WD",
    S.PARTIAL_APPRAISED: "DECISION_DEADLINE_WD",
    S.AT_UPPER: "DECISION_DEADLINE_WD",
    S.ADMISSION_DECIDED: "CEREMONY_DEADLINE_WD",
    S.RECOGNITION_BRANCH_VOTED: "RECOGNITION_DEADLINE_WD",
    S.RECOGNITION_PARTIAL_APPRAISED: "RECOGNITION_DEADLINE_WD",
    S.RECOGNITION_AT_UPPER: "RECOGNITION_DEADLINE_WD",
}
# Column headings short enough for the heat map (the table shows the full label).
SHORT = {
    S.SOURCE_POOL: "Dự nguồn", S.HELPER_ASSIGNED: "Có người giúp đỡ",
    S.SYMPATHISER: "Cảm tình Đảng", S.APPLIED: "Có đơn", S.HISTORY_VERIFIED: "Đã thẩm tra LL",
    S.INTRODUCED: "Có giới thiệu", S.OPINIONS_COLLECTED: "Đã lấy ý kiến",
    S.BRANCH_VOTED: "Chi bộ đã xét", S.AT_GRASSROOTS: "Chờ ĐU cơ sở",
    S.PARTIAL_APPRAISED: "ĐBBP đã thẩm định", S.AT_UPPER: "Chờ cấp trên",
    S.ADMISSION_DECIDED: "Chờ lễ kết nạp", S.PROBATIONARY: "Dự bị",
    S.RECOGNITION_BRANCH_VOTED: "CB xét chính thức",
    S.RECOGNITION_PARTIAL_APPRAISED: "ĐBBP thẩm định CT",
    S.RECOGNITION_AT_UPPER: "Chờ QĐ chính thức", S.REMOVAL_BRANCH_VOTED: "CB đề nghị xóa tên",
    S.REMOVAL_AT_UPPER: "Chờ QĐ xóa tên",
}
# A length fixed by law but not in working days: said in the heading, no colour against it.
FIXED_LENGTH = {S.PROBATIONARY: "12 tháng"}
# `?mo=`: open stays only, closed ones only (anything else: both).
OPEN, CLOSED = "dang", "xong"
MODES = {OPEN: "s.left_on IS NULL", CLOSED: "s.left_on IS NOT NULL"}

# Heat-map colours (fill, text), each pair at least 4.5:1. Against a limit: the median's
# share of it; without one: the median's share of the column's whole-scope p90 (blue).
LIMIT_SCALE = [(0.5, "#e8f5e9", INK), (1.0, "#ffcc80", INK), (None, "#b71c1c", "#fff")]
NEUTRAL_SCALE = [(0.25, "#e3f2fd", INK), (0.5, "#bbdefb", INK), (0.75, "#64b5f6", INK),
                 (None, "#1565c0", "#fff")]
EMPTY = ("#f5f5f5", "#555")


def mode_of(value: str | None) -> str:
    return value if value in MODES else ""


def days_text(value: float | None) -> str:
    """Working days as shown: whole numbers plain, others with one decimal (12,5)."""
    if value is None:
        return "—"
    return vn_number(value) if float(value).is_integer() else vn_number(value, 1)


@dataclass
class Cell:
    n: int
    median: float
    p90: float
    over: int  # stays longer than the limit (0 where there is none)
    limit: int | None = None
    scale_top: float | None = None  # the column's whole-scope p90 (no limit)

    @property
    def p90_over(self) -> bool:
        return self.limit is not None and self.p90 > self.limit

    @property
    def colours(self) -> tuple[str, str]:
        if self.limit is not None:
            share, scale = self.median / self.limit, LIMIT_SCALE
        else:
            share, scale = (self.median / self.scale_top if self.scale_top else 0), NEUTRAL_SCALE
        return next((fill, ink) for top, fill, ink in scale if top is None or share <= top)

    @property
    def level(self) -> int:
        """The colour's step (0 = lightest), for the table's CSS class."""
        scale = LIMIT_SCALE if self.limit is not None else NEUTRAL_SCALE
        return [fill for _t, fill, _i in scale].index(self.colours[0])

    @property
    def median_text(self) -> str:
        return days_text(self.median)

    @property
    def p90_text(self) -> str:
        return days_text(self.p90)


@dataclass
class Column:
    stage: str
    label: str
    short: str
    limit: int | None
    fixed: str = ""  # "12 tháng"
    total: Cell | None = None


@dataclass
class Row:
    path: str
    unit: Organisation | None  # None: the total row, or a unit no longer among the rows
    cells: list[Cell | None] = field(default_factory=list)

    @property
    def name(self) -> str:
        # A unit dissolved before the period whose branches still held stays in it.
        return self.unit.name if self.unit is not None else _("Đơn vị đã giải thể")


@dataclass
class AgingFigures:
    organisation: Organisation
    period: object
    as_of: date
    mode: str
    columns: list[Column]
    rows: list[Row]
    total: Row

    @property
    def stays(self) -> int:
        return sum(c.total.n for c in self.columns)


def legal_limits(on: date) -> dict[str, int]:
    """The limits in working days in force on `on`, by stage (one query)."""
    params = Parameters(RuleParameter.objects.filter(code__in=set(LIMITS.values())))
    return {stage: params.get(code, on) for stage, code in LIMITS.items()}


def _limit_case(limits: dict[str, int]) -> tuple[str, list]:
    whens = " ".join("WHEN %s THEN %s" for _ in limits)
    return f"CASE s.stage {whens} END", [v for s, n in limits.items() for v in (str(s), n)]


def _stays(scope: Scope, mode: str, limits: dict[str, int]) -> tuple[str, list]:
    """WITH stays(unit, stage, days, late, …): the scope's stays in waiting stages, filtered
    by `mode`; the same rows for the figures and the lists."""
    stints, params = stints_sql(scope.organisation.path, scope.period.start, scope.period.end,
                                scope.as_of)
    case, case_params = _limit_case(limits)
    marks = ", ".join("%s" for _ in WAITING_STAGES)
    where = f"s.stage IN ({marks})" + (f" AND {MODES[mode]}" if mode else "")
    sql = (f"WITH stays AS (SELECT SUBSTR(s.org_path, 1, {int(scope.unit_length)}) AS unit, "
           f"s.*, CASE WHEN s.days > {case} THEN 1 ELSE 0 END AS late "
           f"FROM ({stints}) s WHERE {where}) ")
    # The CASE comes first in the text, then the stays, then the stage list.
    return sql, [*case_params, *params, *[str(s) for s in WAITING_STAGES]]


def _quantiles(groups: list[str]) -> str:
    g = ", ".join(groups)
    on = " AND ".join(f"l.{c} = q.{c}" for c in groups)
    q = quantiles_sql(f"SELECT {g}, days FROM stays", groups, "days")
    late = f"SELECT {g}, SUM(late) AS late FROM stays GROUP BY {g}"
    unit = "q.unit" if "unit" in groups else "NULL"
    return (f"SELECT {unit} AS unit, q.stage, q.n, q.median, q.p90, l.late "
            f"FROM ({q}) q JOIN ({late}) l ON {on}")


def compute(scope: Scope, mode: str = "") -> AgingFigures:
    """The heat map's figures: two queries (the limits, then every cell and the total row
    in one statement)."""
    mode = mode_of(mode)
    limits = legal_limits(scope.as_of)
    head, params = _stays(scope, mode, limits)
    rows = fetch(head + _quantiles(["unit", "stage"]) + " UNION ALL "
                 + _quantiles(["stage"]), params)
    totals = {r["stage"]: r for r in rows if r["unit"] is None}
    columns = []
    for stage in WAITING_STAGES:
        if stage not in totals:
            continue
        columns.append(Column(str(stage), str(stage.label), SHORT[stage], limits.get(stage),
                              FIXED_LENGTH.get(stage, "")))
    index = {c.stage: i for i, c in enumerate(columns)}

    def cell(r, column):
        return Cell(int(r["n"]), float(r["median"]), float(r["p90"]), int(r["late"] or 0),
                    column.limit)

    for column in columns:
        column.total = cell(totals[column.stage], column)
        column.total.scale_top = column.total.p90
    by_path = {u.path: Row(u.path, u, [None] * len(columns)) for u in scope.units}
    for r in rows:
        if r["unit"] is None:
            continue
        row = by_path.setdefault(r["unit"], Row(r["unit"], None, [None] * len(columns)))
        column = columns[index[r["stage"]]]
        c = cell(r, column)
        c.scale_top = column.total.p90
        row.cells[index[r["stage"]]] = c
    total = Row(scope.organisation.path, None, [c.total for c in columns])
    return AgingFigures(scope.organisation, scope.period, scope.as_of, mode, columns,
                        sorted(by_path.values(), key=lambda r: r.path), total)


@dataclass
class Stay:
    candidate_id: int
    full_name: str
    branch: str
    entered_on: date
    left_on: date | None
    days: int
    over: bool


class StayList:
    """The stays behind a cell, longest first, for django's Paginator (`count()` and slices)
    over the same stays as the figures. Told the page it will be asked for, it reads that
    page and the total in one statement (COUNT(*) OVER ()); a count alone only when the page
    is past the end."""

    def __init__(self, scope: Scope, *, stage: str, mode: str = "", unit: Organisation | None
                 = None, over_only: bool = False, search: str = "", page=None,
                 per_page: int = 50):
        self.limits = legal_limits(scope.as_of)
        self.limit = self.limits.get(stage)
        head, params = _stays(scope, mode_of(mode), self.limits)
        where, extra = ["s.stage = %s"], [stage]
        if unit is not None:
            where.append("s.unit = %s")
            extra.append(unit.path)
        if over_only and self.limit is not None:
            where.append("s.late = 1")
        if search:
            where.append("c.search_name LIKE %s ESCAPE '\\'")
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            extra.append(f"%{escaped}%")
        self.head = head
        self.body = (
            "FROM stays s JOIN recruitment_candidate c ON c.id = s.candidate_id "
            "JOIN members_organisation o ON o.id = s.organisation_id "
            f"WHERE {' AND '.join(where)}")
        self.params = [*params, *extra]
        self._count = None
        self._pages: dict[tuple[int, int], list[Stay]] = {}
        number = str(page or "1")
        number = int(number) if number.isdigit() and 0 < int(number) < 10 ** 6 else 1
        self._hint = ((number - 1) * per_page, number * per_page)

    def _read(self, start: int, stop: int) -> list[Stay]:
        rows = fetch(
            f"{self.head}SELECT s.candidate_id, c.full_name, o.name AS branch, s.entered_on, "
            f"s.left_on, s.days, s.late, COUNT(*) OVER () AS total {self.body} "
            f"ORDER BY s.days DESC, s.entered_on, s.candidate_id LIMIT %s OFFSET %s",
            [*self.params, stop - start, start])
        if rows:
            self._count = int(rows[0]["total"])
        stays = [Stay(r["candidate_id"], r["full_name"], r["branch"], read_date(r["entered_on"]),
                      read_date(r["left_on"]), int(r["days"]), bool(r["late"])) for r in rows]
        self._pages[start, stop] = stays
        return stays

    def count(self) -> int:
        if self._count is None:
            self._read(*self._hint)
        if self._count is None:
            self._count = 0 if self._hint[0] == 0 else int(fetch(
                f"{self.head}SELECT COUNT(*) AS n {self.body}", self.params)[0]["n"])
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, part: slice) -> list[Stay]:
        start, stop = part.start or 0, part.stop
        # The paginator asks for the last page up to the count: the page already read.
        for (a, b), rows in self._pages.items():
            if a == start and (stop <= b or len(rows) < b - a):
                return rows[:stop - start]
        return self._read(start, stop)


# The heat map ------------------------------------------------------------------------------

LABEL_W, CELL_W, ROW_H, HEAD_H, LEGEND_H = 200, 62, 34, 118, 76


def _clip(name: str, limit: int = 30) -> str:
    """A unit's name cut to fit the label column, at a word when one ends near the cut."""
    if len(name) <= limit:
        return name
    cut = name[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit - 12 else cut).rstrip() + "…"


def _root(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    # charts._svg with a width that grows with the columns (its viewBox is fixed at WIDTH).
    ident = f"chart-{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart heatmap" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="Tinos, serif" font-size="13" fill="{INK}">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def _cell(x: float, y: float, cell: Cell | None) -> list[str]:
    w, h = CELL_W - 3, ROW_H - 3
    if cell is None:
        fill, ink = EMPTY
        return [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" fill="{fill}"/>',
                _text(x + w / 2, y + h / 2 + 4, "—", fill=ink)]
    fill, ink = cell.colours
    stroke = ' stroke="#222" stroke-width="3"' if cell.p90_over else ""
    mark = " !" if cell.p90_over else ""
    return [f'<g><title>{escape(_cell_title(cell))}</title>'
            f'<rect x="{x + 1:.0f}" y="{y + 1:.0f}" width="{w - 2}" height="{h - 2}" '
            f'fill="{fill}"{stroke}/>',
            _text(x + w / 2, y + 14, cell.median_text, size=12, weight="700", fill=ink),
            _text(x + w / 2, y + 27, f"p90 {cell.p90_text}{mark}", size=10, fill=ink), "</g>"]


def _cell_title(cell: Cell) -> str:
    text = (f"{cell.n} lượt; trung vị {cell.median_text}, p90 {cell.p90_text} ngày làm việc")
    if cell.limit is not None:
        text += f"; hạn {cell.limit} ngày; {cell.over} lượt quá hạn"
    return text


def chart(f: AgingFigures, per_chart: int | None = None) -> SafeString:
    """Units × stages: each cell the median working days (large) and the p90 (small), coloured
    against the limit (or the column's p90 where there is none); the total row last. With
    `per_chart` (the PDF: 9 fit an A4 page's width), several maps of that many stages."""
    if not f.columns:
        return mark_safe("")
    step = per_chart or len(f.columns)
    return mark_safe("".join(_heatmap(f, range(i, min(i + step, len(f.columns))))
                             for i in range(0, len(f.columns), step)))


def _heatmap(f: AgingFigures, part: range) -> SafeString:
    cols = [f.columns[i] for i in part]
    width = max(WIDTH, LABEL_W + CELL_W * len(cols) + 110)
    rows = [*f.rows, f.total]
    top = HEAD_H
    height = top + ROW_H * len(rows) + 8 + LEGEND_H
    body = []
    for i, c in enumerate(cols):
        x = LABEL_W + i * CELL_W + CELL_W / 2
        y = top - 34
        body.append(f'<text x="{x - 8:.0f}" y="{y}" font-size="12" text-anchor="start" '
                    f'transform="rotate(-40 {x - 8:.0f} {y})">{escape(c.short)}</text>')
        lines = (["hạn", f"{c.limit} ngày LV"] if c.limit is not None
                 else ([c.fixed] if c.fixed else []))
        for j, line in enumerate(lines):
            body.append(_text(x, top - 18 + j * 12, line, size=10))
    for r_i, row in enumerate(rows):
        is_total = row is f.total
        y = top + r_i * ROW_H + (8 if is_total else 0)
        name = "Tổng cộng" if is_total else row.name
        body.append(f"<g><title>{escape(name)}</title>"
                    + _text(LABEL_W - 8, y + ROW_H / 2 + 3, _clip(name), anchor="end",
                            size=12, weight="700" if is_total else None) + "</g>")
        for i, j in enumerate(part):
            body += _cell(LABEL_W + i * CELL_W, y, row.cells[j])
    body += _legend(height - LEGEND_H + 14)
    desc = "; ".join(
        f"{c.label}: {c.total.n} lượt, trung vị {c.total.median_text}, "
        f"p90 {c.total.p90_text} ngày làm việc"
        + (f", hạn {c.limit} ngày, {c.total.over} lượt quá hạn" if c.limit is not None else "")
        for c in cols)
    return _root(width, height, f"Số ngày làm việc chờ ở từng bước — {f.organisation.name}",
                 desc, body)


def _legend(y: int) -> list[str]:
    parts, x = [], 10
    items = [("Có hạn: trung vị ≤ 50 % hạn", LIMIT_SCALE[0][1]),
             ("≤ 100 %", LIMIT_SCALE[1][1]), ("> 100 %", LIMIT_SCALE[2][1])]
    for label, colour in items:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}" '
                     f'stroke="#999"/>')
        parts.append(_text(x + 16, y, label, anchor="start", size=11))
        x += 28 + 6 * len(label)
    parts.append(f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="none" '
                 f'stroke="#222" stroke-width="3"/>')
    parts.append(_text(x + 16, y, "viền đậm, «!»: p90 vượt hạn", anchor="start", size=11))
    x, y = 10, y + 20
    labels = ["Không có hạn: trung vị ≤ 25 % p90 cả cột", "≤ 50 %", "≤ 75 %", "> 75 %"]
    for label, (_t, colour, _i) in zip(labels, NEUTRAL_SCALE, strict=True):
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}" '
                     f'stroke="#999"/>')
        parts.append(_text(x + 16, y, label, anchor="start", size=11))
        x += 28 + 6 * len(label)
    parts.append(_text(10, y + 20, "Trong ô: trung vị (số lớn) và phân vị 90 (số nhỏ), "
                       "ngày làm việc", anchor="start", size=11))
    return parts


# The workbook ------------------------------------------------------------------------------

def write_sheet(book, f: AgingFigures) -> None:
    """One sheet, one line per unit and stage (the total lines last), numbers as numbers."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    ws = book.sheet("Thời gian chờ", widths=[40, 34, 12, 10, 12, 12, 14], freeze="A5")
    ws.append([f"Số ngày làm việc chờ ở từng bước — {f.organisation.name}, "
               f"{f.period.title}"], font=Font(bold=True, size=13))
    ws.append([f"Lượt ở bước trong kỳ; lượt đang chờ tính đến ngày {f.as_of:%d/%m/%Y}"
               + {OPEN: "; chỉ lượt đang chờ", CLOSED: "; chỉ lượt đã xong"}.get(f.mode, "")])
    ws.append([])
    ws.append(["Đơn vị", "Bước", "Hạn (ngày LV)", "Số lượt", "Trung vị", "Phân vị 90",
               "Số lượt quá hạn"], font=bold)
    for row in [*f.rows, f.total]:
        name = "Tổng cộng" if row is f.total else row.name
        for column, cell in zip(f.columns, row.cells, strict=True):
            if cell is None:
                continue
            ws.append([name, column.label, column.limit or column.fixed or None, cell.n,
                       cell.median, cell.p90, cell.over if column.limit else None],
                      font=bold if row is f.total else None)
