"""The funnel by cohort: of the people who entered the source pool (quần chúng ưu tú) in a
year, in branches of the subtree, how many reached each milestone of the path to membership,
how long it took (median working days from the pool entry), and how each source of
introduction converts into admissions.

- A cohort is the dossiers whose `Candidate.added_date` falls in the year, placed at the
  branch that added them: the organisation of their `add_to_pool` step (a later transfer does
  not move them), or the dossier's branch when it has no such step (imported history).
- A dossier reached a milestone when one of its steps, dated on or before the day the figures
  are followed to (`scope.as_of`), entered that stage or a later one on the main line (an
  imported dossier may jump straight to a later stage). It counts once per milestone, on the
  first such day, whatever returns came after; a step taken back by an undo (and the undo
  itself) does not count.
- Those not admitted (never on the probationary list by `as_of`) are either ended (their
  stage on `as_of` closes the dossier: withdrawn, refused, died, decision revoked, no
  ceremony) or still open. Cohort = admitted + ended + open.

Every figure comes from one statement (`_facts_sql`): the page's numbers are GROUP BYs of its
rows and the drill-down lists filter the same rows, so a list always holds its cell's count.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from members.models import fold
from members.models.tree import subtree_bounds
from recruitment.models import Source, Stage
from recruitment.workflow import CLOSED_STAGES

from ..charts import ADMITTED, GRID, INK, WIDTH, _svg, _text
from ..templatetags.documents import vn_number
from .sql import MEDIAN, _postgres, fetch, quantiles_sql, read_date, working_ordinal

S = Stage
YEARS_BEFORE = 5  # cohorts followed from this many years before the period's first year
POOL, OPEN, ENDED = "pool", "chua_xong", "dung"
ALL_YEARS = 0  # the `yr` of the rows that add up every cohort shown

# The main line of the path: a step into a stage means every stage of a lower rank was
# passed. The removal stages come after admission, before recognition.
RANKS = {
    S.SOURCE_POOL: 0, S.HELPER_ASSIGNED: 1, S.SYMPATHISER: 2, S.APPLIED: 3,
    S.HISTORY_VERIFIED: 4, S.INTRODUCED: 5, S.OPINIONS_COLLECTED: 6, S.BRANCH_VOTED: 7,
    S.AT_GRASSROOTS: 8, S.PARTIAL_APPRAISED: 9, S.AT_UPPER: 10, S.ADMISSION_DECIDED: 11,
    S.PROBATIONARY: 12, S.RECOGNITION_BRANCH_VOTED: 13, S.RECOGNITION_PARTIAL_APPRAISED: 14,
    S.RECOGNITION_AT_UPPER: 15, S.REMOVAL_BRANCH_VOTED: 13, S.REMOVAL_AT_UPPER: 13,
    S.OFFICIAL: 16,
}
# The milestones shown, in order, with a short column label.
MILESTONES = [
    (S.HELPER_ASSIGNED, _("Phân công giúp đỡ")),
    (S.SYMPATHISER, _("Cảm tình Đảng")),
    (S.APPLIED, _("Có đơn xin vào Đảng")),
    (S.BRANCH_VOTED, _("Chi bộ đề nghị kết nạp")),
    (S.ADMISSION_DECIDED, _("Có quyết định kết nạp")),
    (S.PROBATIONARY, _("Kết nạp (dự bị)")),
    (S.OFFICIAL, _("Chính thức")),
]
ADMITTED_AT = S.PROBATIONARY
# Stages that close a dossier that was not admitted (REMOVED and DIED may follow admission:
# those dossiers count as admitted).
ENDED_STAGES = [s for s in CLOSED_STAGES if s != S.OFFICIAL]
# Every column of a cohort's row: its size, the milestones, then ended and open.
COLUMNS = [(POOL, _("Vào nguồn")), *MILESTONES, (ENDED, _("Dừng, không kết nạp")),
           (OPEN, _("Đang theo dõi, chưa kết nạp"))]
COLUMN_CODES = [code for code, _label in COLUMNS]
SOURCES = list(Source.choices)
SOURCE_CODES = [code for code, _label in SOURCES]


# Figures ---------------------------------------------------------------------------------

@dataclass
class Cell:
    count: int = 0
    percent: float | None = None  # of the cohort (or of the source's part of it)
    median: float | None = None  # working days from the pool entry to the milestone

    @property
    def median_decimals(self) -> int:
        """A median between two values ends in ,5: shown with its decimal."""
        return 1 if self.median is not None and self.median != int(self.median) else 0


@dataclass
class Cohort:
    year: int
    size: int
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def row(self) -> list[tuple[str, str, Cell]]:
        """(code, label, cell) for each column, in order."""
        return [(code, label, self.cells.get(code, Cell())) for code, label in COLUMNS]


@dataclass
class SourceRow:
    source: str  # a Source code, or "" for every source
    years: list[int] = field(default_factory=list)  # the cohorts, newest first
    # year (ALL_YEARS for the cohorts together) → (size, admitted as a Cell of the size)
    sizes: dict[int, int] = field(default_factory=dict)
    admitted: dict[int, Cell] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(dict(SOURCES).get(self.source, _("Cộng")))

    @property
    def cells(self) -> list[tuple[int, int, Cell]]:
        """(year, size, admitted) for each cohort, then the cohorts together (year 0)."""
        return [(y, self.sizes.get(y, 0), self.admitted.get(y, Cell()))
                for y in [*self.years, ALL_YEARS]]


@dataclass
class CohortFigures:
    organisation_code: str
    organisation_name: str
    period_label: str
    as_of: date
    years: list[int]  # newest first
    cohorts: list[Cohort]  # one per year, newest first
    sources: list[SourceRow]  # one per source, then the total ("")

    @property
    def columns(self):
        return COLUMNS

    @property
    def milestones(self):
        return MILESTONES

    @property
    def total_size(self) -> int:
        return sum(c.size for c in self.cohorts)


def cohort_years(scope) -> list[int]:
    """The cohorts shown, newest first: from five years before the period's first year to
    its last year, not beyond the year of `as_of`."""
    last = min(scope.period.end.year, scope.as_of.year)
    return list(range(last, scope.period.start.year - YEARS_BEFORE - 1, -1))


# SQL ---------------------------------------------------------------------------------------

def _year(col: str) -> str:
    if _postgres():
        return f"CAST(EXTRACT(YEAR FROM {col}) AS integer)"
    return f"CAST(strftime('%%Y', {col}) AS INTEGER)"


def _fence() -> str:
    """Ends a subquery the planner must compute as it stands (not merged into the query
    around it): OFFSET 0, which SQLite accepts only after a LIMIT."""
    return "OFFSET 0" if _postgres() else "LIMIT -1 OFFSET 0"


def _undoes(alias: str) -> str:
    """The id of the step an undo event takes back (its payload's `undoes`)."""
    if _postgres():
        return f"CAST({alias}.payload ->> 'undoes' AS bigint)"
    return f"json_extract({alias}.payload, '$.undoes')"


def _added_at(event: str, org: str, whole: bool) -> str:
    """FROM the `add_to_pool` steps (alias a) with their branch (alias o). On PostgreSQL one
    index scan per organisation of the subtree (LATERAL; OFFSET 0 keeps the planner from
    flattening it into a hash join that reads every event of the country). For the whole
    tree (`whole`) that hash join is the cheaper way."""
    if _postgres() and not whole:
        return (f"{org} o CROSS JOIN LATERAL (SELECT x.id, x.candidate_id, x.organisation_id "
                f"FROM {event} x WHERE x.organisation_id = o.id "
                f"AND x.action = 'add_to_pool' OFFSET 0) a")
    return f"{event} a JOIN {org} o ON o.id = a.organisation_id AND a.action = 'add_to_pool'"


def _table(rows: list[tuple[str, int]], names=("code", "rk")) -> str:
    a, b = names
    return " UNION ALL ".join(f"SELECT '{code}' AS {a}, {rank} AS {b}" for code, rank in rows)


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _facts_sql(scope, years: list[int]) -> tuple[str, list]:
    """A WITH clause ending in `facts`: one row per dossier of the cohorts `years` and column
    it counts in (pool, each milestone reached, ended or open): candidate_id, yr, source,
    org_id (the branch that added it), added_date, moc (the column), on_day (the day it got
    there; `as_of` for the open ones), stage_then (its stage on `as_of`) and days (working
    days from the pool entry to on_day)."""
    event, cand, org = "recruitment_stageevent", "recruitment_candidate", "members_organisation"
    low, high = subtree_bounds(scope.organisation.path)
    whole = scope.organisation.parent_id is None
    as_of = scope.as_of
    first = date(min(years), 1, 1) if years else as_of
    last = min(date(max(years), 12, 31), as_of) if years else date(1900, 1, 1)
    rank = "CASE s.to_stage " + " ".join(
        f"WHEN '{s.value}' THEN {r}" for s, r in RANKS.items()) + " END"
    milestones = _table([(s.value, RANKS[s]) for s, _label in MILESTONES], ("moc", "rk"))
    # Each dossier's first day at or beyond each milestone, one GROUP BY over its steps.
    firsts = ", ".join(f"MIN(CASE WHEN {rank} >= {RANKS[s]} THEN s.event_date END) AS m{i}"
                       for i, (s, _label) in enumerate(MILESTONES))
    pick = " ".join(f"WHEN '{s.value}' THEN f.m{i}" for i, (s, _label) in enumerate(MILESTONES))
    # One add_to_pool step per dossier (written when it is created, or by the history
    # import; not grouped: a GROUP BY here makes PostgreSQL guess 200 dossiers and choose
    # nested loops that take a minute at a province). Those without one (imported without
    # their history) count at their branch: only the dossiers of the subtree not found by
    # their step are looked up one by one.
    sql = f"""WITH pooled AS (
  SELECT a.candidate_id, a.organisation_id AS org_id FROM {_added_at(event, org, whole)}
  WHERE o.path >= %s AND o.path < %s
), entry AS (
  SELECT candidate_id, org_id FROM pooled
  UNION ALL
  SELECT r.id, r.organisation_id FROM (
    SELECT c.id, c.organisation_id FROM {cand} c JOIN {org} o ON o.id = c.organisation_id
    WHERE o.path >= %s AND o.path < %s AND c.added_date >= %s AND c.added_date <= %s
      AND NOT EXISTS (SELECT 1 FROM pooled p WHERE p.candidate_id = c.id) {_fence()}) r
  WHERE NOT EXISTS (SELECT 1 FROM {event} b WHERE b.candidate_id = r.id
    AND b.action = 'add_to_pool' AND b.organisation_id IS NOT NULL)
), cohort AS (
  SELECT c.id AS candidate_id, {_year('c.added_date')} AS yr, c.source, n.org_id,
    c.added_date, c.stage AS now_stage, c.stage_date
  FROM entry n JOIN {cand} c ON c.id = n.candidate_id
  WHERE c.added_date >= %s AND c.added_date <= %s
), ev AS (
  SELECT e.id, e.candidate_id, e.action, e.to_stage, e.event_date, e.recorded_at,
    CASE WHEN e.action = 'undo_step' THEN {_undoes('e')} END AS undoes
  FROM cohort k JOIN {event} e ON e.candidate_id = k.candidate_id
), undone AS (
  SELECT u.undoes AS id FROM ev u WHERE u.action = 'undo_step'
), steps AS (
  SELECT e.candidate_id, e.to_stage, e.event_date, e.recorded_at, e.id FROM ev e
  WHERE e.event_date <= %s AND e.action <> 'undo_step'
    AND NOT EXISTS (SELECT 1 FROM undone d WHERE d.id = e.id)
  UNION ALL
  SELECT k.candidate_id,
    CASE WHEN k.stage_date <= %s THEN k.now_stage ELSE 'source_pool' END,
    CASE WHEN k.stage_date <= %s THEN k.stage_date ELSE k.added_date END, NULL, 0
  FROM cohort k WHERE NOT EXISTS (SELECT 1 FROM ev x WHERE x.candidate_id = k.candidate_id)
), firsts AS (
  SELECT s.candidate_id, {firsts}
  FROM steps s GROUP BY s.candidate_id
), reached AS (
  SELECT f.candidate_id, m.moc, CASE m.moc {pick} END AS on_day
  FROM firsts f CROSS JOIN ({milestones}) m WHERE CASE m.moc {pick} END IS NOT NULL
), status AS (
  SELECT candidate_id, to_stage AS stage, event_date FROM (
    SELECT s.candidate_id, s.to_stage, s.event_date, ROW_NUMBER() OVER (
      PARTITION BY s.candidate_id ORDER BY s.recorded_at DESC, s.id DESC) AS rn
    FROM steps s) x WHERE rn = 1
), base AS (
  SELECT k.candidate_id, k.yr, k.source, k.org_id, k.added_date, st.stage AS stage_then,
    st.event_date AS stage_on
  FROM cohort k LEFT JOIN status st ON st.candidate_id = k.candidate_id
), marks AS (
  SELECT b.*, '{POOL}' AS moc, b.added_date AS on_day FROM base b
  UNION ALL
  SELECT b.*, r.moc, r.on_day FROM base b JOIN reached r ON r.candidate_id = b.candidate_id
  UNION ALL
  SELECT b.*, CASE WHEN b.stage_then IN ({_in(ENDED_STAGES)}) THEN '{ENDED}' ELSE '{OPEN}' END,
    CASE WHEN b.stage_then IN ({_in(ENDED_STAGES)}) THEN b.stage_on ELSE %s END
  FROM base b WHERE NOT EXISTS (SELECT 1 FROM reached r WHERE r.candidate_id = b.candidate_id
    AND r.moc = '{ADMITTED_AT.value}')
), ordinals AS (
  SELECT y.d, {working_ordinal('y.d')} AS n FROM (SELECT x.d FROM (
    SELECT added_date AS d FROM marks UNION ALL SELECT on_day FROM marks) x GROUP BY x.d) y
), facts AS (
  SELECT m.candidate_id, m.yr, m.source, m.org_id, m.added_date, m.moc, m.on_day,
    m.stage_then, od.n - oa.n AS days
  FROM marks m JOIN ordinals oa ON oa.d = m.added_date JOIN ordinals od ON od.d = m.on_day
)
"""
    params = [low, high, low, high, first, last, first, last, as_of, as_of, as_of, as_of]
    return sql, params


def compute(scope) -> CohortFigures:
    """The cohorts' funnel and the conversion by source: one statement."""
    years = cohort_years(scope)
    org = scope.organisation
    figures = CohortFigures(org.code, org.name, scope.period.label, scope.as_of, years, [],
                            [SourceRow(code, years) for code in [*SOURCE_CODES, ""]])
    if not years:
        return figures
    with_sql, params = _facts_sql(scope, years)
    kept = f"moc IN ('{POOL}', '{ADMITTED_AT.value}')"
    source = (f"SELECT yr, '' AS nguon, moc, days FROM facts "
              f"UNION ALL SELECT yr, source, moc, days FROM facts WHERE {kept} "
              f"UNION ALL SELECT {ALL_YEARS}, source, moc, days FROM facts WHERE {kept} "
              f"UNION ALL SELECT {ALL_YEARS}, '', moc, days FROM facts WHERE {kept}")
    rows = fetch(with_sql + quantiles_sql(source, ["yr", "nguon", "moc"], "days", (MEDIAN,)),
                 params)
    funnel: dict[int, dict[str, Cell]] = {y: {} for y in years}
    by_source: dict[tuple[str, int], dict[str, Cell]] = {}
    for r in rows:
        cell = Cell(int(r["n"]), None, None if r["moc"] == POOL else r["median"])
        if r["yr"] != ALL_YEARS and r["nguon"] == "":
            funnel.setdefault(int(r["yr"]), {})[r["moc"]] = cell
        else:
            by_source.setdefault((r["nguon"], int(r["yr"])), {})[r["moc"]] = cell
    for y in years:
        cells = funnel[y]
        size = cells.get(POOL, Cell()).count
        for code in COLUMN_CODES:
            cell = cells.setdefault(code, Cell())
            cell.percent = _percent(cell.count, size)
        figures.cohorts.append(Cohort(y, size, cells))
    # The per-source rows of each year, and the total row, from the same groups.
    for row in figures.sources:
        for y in [*years, ALL_YEARS]:
            if row.source == "" and y != ALL_YEARS:
                cells = funnel[y]
            else:
                cells = by_source.get((row.source, y), {})
            size = cells.get(POOL, Cell()).count
            admitted = cells.get(ADMITTED_AT.value, Cell())
            row.sizes[y] = size
            row.admitted[y] = Cell(admitted.count, _percent(admitted.count, size),
                                   admitted.median)
    return figures


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# The drill-down ----------------------------------------------------------------------------

@dataclass
class Listed:
    candidate_id: int
    full_name: str
    branch: str
    added_date: date
    on_day: date | None
    stage: str | None

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage in Stage.values else ""


class CellRows:
    """The dossiers of one cell, for django's Paginator, by name. `count()` reads the page
    `page` asks for with the total beside it (COUNT(*) OVER ()): one statement over the same
    rows as the figures; the paginator's slice of that page is then served from it."""

    COLUMNS = ("f.candidate_id, c.full_name, o.name AS branch, f.added_date, f.on_day, "
               "f.stage_then, COUNT(*) OVER () AS total")  # the total: before LIMIT

    def __init__(self, scope, years: list[int], moc: str, source: str = "", q: str = "", *,
                 page: int = 1, per_page: int = 50):
        self.scope, self.years, self.moc, self.source, self.q = scope, years, moc, source, q
        self.page, self.per_page = max(page, 1), per_page
        self._count = None
        self._rows: dict[tuple[int, int], list[Listed]] = {}

    def _from(self) -> tuple[str, list]:
        with_sql, params = _facts_sql(self.scope, self.years)
        where = f"f.moc = %s AND f.yr IN ({', '.join(str(int(y)) for y in self.years)})"
        params = [*params, self.moc]
        if self.source:
            where += " AND f.source = %s"
            params.append(self.source)
        folded = fold(self.q or "")
        if folded:
            escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where += " AND c.search_name LIKE %s ESCAPE '\\'"
            params.append(f"%{escaped}%")
        return (with_sql + "SELECT {cols} FROM facts f JOIN recruitment_candidate c "
                "ON c.id = f.candidate_id LEFT JOIN members_organisation o ON o.id = f.org_id "
                f"WHERE {where}"), params

    def _read(self, start: int, stop: int) -> tuple[list[Listed], int | None]:
        sql, params = self._from()
        # The cell's rows first, then sorted (OFFSET 0 keeps them a subquery): ordered by
        # the candidates' name index, PostgreSQL would walk all of them to fill one page.
        with_sql, select = sql.split("SELECT {cols}", 1)
        sql = (f"{with_sql}SELECT * FROM (SELECT {self.COLUMNS}, c.search_name AS folded "
               f"{select} {_fence()}) cell ORDER BY folded, candidate_id LIMIT %s OFFSET %s")
        rows = fetch(sql, [*params, stop - start, start])
        listed = [Listed(r["candidate_id"], r["full_name"], r["branch"] or "",
                         read_date(r["added_date"]), read_date(r["on_day"]), r["stage_then"])
                  for r in rows]
        return listed, (int(rows[0]["total"]) if rows else None)

    def count(self) -> int:
        if self._count is None:
            start = (self.page - 1) * self.per_page
            rows, total = self._read(start, start + self.per_page)
            if total is None and start:  # past the end: the paginator shows the last page
                sql, params = self._from()
                total = int(fetch(sql.replace("{cols}", "COUNT(*) AS total"), params)[0]["total"])
            self._count = total or 0
            self._rows[(start, start + self.per_page)] = rows
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item:item + 1][0]
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        for (first, last), rows in self._rows.items():
            if first == start and stop <= last:  # the last page: the paginator stops at count
                return rows[:stop - start]
        self._rows[(start, stop)] = self._read(start, stop)[0]
        return self._rows[(start, stop)]


# Chart ---------------------------------------------------------------------------------------

PALETTE = ["#b71c1c", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037",
           "#ad1457", "#546e7a", "#9e9d24", "#283593"]


def chart(figures: CohortFigures) -> SafeString:
    """Two pictures: one line per cohort over the milestones (percent of the cohort), then
    the share admitted of each source (the cohorts together)."""
    return mark_safe(_funnel_chart(figures) + _source_chart(figures))


def _legend_rows(labels: list[str], start: float, right: float) -> list[list[tuple]]:
    """The legend's entries (index, x) in rows that fit between `start` and `right`."""
    rows, x = [[]], start
    for i, label in enumerate(labels):
        width = 24 + 7 * len(label)
        if rows[-1] and x + width > right:
            rows.append([])
            x = start
        rows[-1].append((i, x))
        x += width
    return rows


def _funnel_chart(f: CohortFigures) -> str:
    steps = [(POOL, _("Vào nguồn")), *MILESTONES]
    shown = [c for c in f.cohorts if c.size]
    labels = [f"{c.year} ({vn_number(c.size)})" for c in shown]
    legend = _legend_rows(labels, 44, WIDTH - 10)
    extra = 16 * (len(legend) - 1)
    height, x0, x1, y0, y1 = 300 + extra, 44, WIDTH - 54, 250 + extra, 40 + extra
    slot = (x1 - x0) / (len(steps) - 1)
    body = []
    for value in range(0, 101, 25):
        y = y0 - (y0 - y1) * value / 100
        body.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(x0 - 6, y + 4, f"{value} %", anchor="end", size=11))
    for i, (_code, label) in enumerate(steps):
        x = x0 + slot * i
        words = str(label).split()
        half = (len(words) + 1) // 2
        body.append(_text(x, y0 + 16, " ".join(words[:half]), size=10))
        body.append(_text(x, y0 + 28, " ".join(words[half:]), size=10))
    for row_n, row in enumerate(legend):
        for i, x in row:
            y = 16 + 16 * row_n
            body.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
                        f'fill="{PALETTE[i % len(PALETTE)]}"/>')
            body.append(_text(x + 16, y, labels[i], anchor="start", size=11))
    ends = []
    for n, cohort in enumerate(shown):
        colour = PALETTE[n % len(PALETTE)]
        points = []
        for i, (code, _label) in enumerate(steps):
            percent = cohort.cells.get(code, Cell()).percent or 0
            points.append((x0 + slot * i, y0 - (y0 - y1) * percent / 100))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        width = 3 if n == 0 else 2
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="{width}"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
        ends.append((points[-1][1], n, cohort.year, colour))
    # The year at each line's end, moved down where it would sit on the one above it.
    last = -1e9
    for y, _n, year, colour in sorted(ends):
        y = max(y + 4, last + 11)
        last = y
        body.append(_text(x1 + 6, y, str(year), anchor="start", size=10, fill=colour))
    if not shown:
        body.append(_text(WIDTH / 2, (y0 + y1) / 2, str(_("Chưa có quần chúng vào nguồn")),
                          fill=INK))
    desc = "; ".join(
        f"năm {c.year}: {c.size} người; " + ", ".join(
            f"{label} {vn_number(c.cells.get(code, Cell()).percent, 1)} %"
            for code, label in MILESTONES) for c in shown) or "Không có số liệu"
    return _svg(height, "Tỷ lệ đạt từng mốc theo năm vào nguồn", desc, body)


def _source_chart(f: CohortFigures) -> str:
    rows = [r for r in f.sources if r.source]
    row, label_w = 30, 170
    height = 20 + row * len(rows)
    room = WIDTH - label_w - 170
    body = []
    for i, r in enumerate(rows):
        y = 10 + i * row
        size, cell = r.sizes.get(ALL_YEARS, 0), r.admitted.get(ALL_YEARS, Cell())
        w = room * (cell.percent or 0) / 100
        body.append(_text(label_w - 8, y + row / 2 + 4, r.label, anchor="end"))
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{room}" height="{row - 8}" '
                    f'fill="none" stroke="{GRID}"/>')
        if w:
            body.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                        f'fill="{ADMITTED}"/>')
        note = (f"{vn_number(cell.percent, 1)} % ({vn_number(cell.count)}/{vn_number(size)})"
                if size else "—")
        body.append(_text(label_w + room + 6, y + row / 2 + 4, note, anchor="start", size=12))
    desc = "; ".join(
        f"{r.label}: kết nạp {r.admitted.get(ALL_YEARS, Cell()).count} trên "
        f"{r.sizes.get(ALL_YEARS, 0)}" for r in rows)
    years = f"{min(f.years)}–{max(f.years)}" if f.years else ""
    return _svg(height, f"Tỷ lệ được kết nạp theo nguồn giới thiệu (vào nguồn {years})", desc,
                body)


# XLSX ----------------------------------------------------------------------------------------

def write_sheet(book, figures: CohortFigures) -> None:
    """Two sheets: the cohorts' funnel (count, percent and median working days of every
    milestone) and the conversion by source, the same numbers as the page."""
    from openpyxl.styles import Font

    bold, pct = Font(bold=True), '0.0" %"'
    sheet = book.sheet("Theo năm vào nguồn", widths=[14, 10] + [10] * (3 * len(COLUMNS) - 3),
                       freeze="C3")
    sheet.append([f"Kết quả theo năm vào danh sách quần chúng ưu tú — "
                  f"{figures.organisation_name}; số liệu đến ngày "
                  f"{figures.as_of:%d/%m/%Y}"], font=bold)
    headers = ["Năm vào nguồn", "Số người"]
    formats = {}
    for _code, label in COLUMNS[1:]:
        headers += [f"{label}: số người", f"{label}: %", f"{label}: trung vị ngày làm việc"]
        formats[len(headers) - 2] = pct
    sheet.append(headers, font=bold)
    for c in figures.cohorts:
        values = [c.year, c.size]
        for code, _label in COLUMNS[1:]:
            cell = c.cells.get(code, Cell())
            values += [cell.count, cell.percent, None if code == OPEN else cell.median]
        sheet.append(values, number_formats=formats)
    sheet = book.sheet("Theo nguồn giới thiệu", widths=[22, 14, 10, 10, 10, 14], freeze="A2")
    sheet.append(["Nguồn giới thiệu", "Năm vào nguồn", "Số người", "Được kết nạp",
                  "% được kết nạp", "Trung vị ngày làm việc đến kết nạp"], font=bold)
    for r in figures.sources:
        for y, size, cell in r.cells:
            sheet.append([r.label, "Cộng các năm" if y == ALL_YEARS else y, size, cell.count,
                          cell.percent, cell.median], number_formats={4: pct})
