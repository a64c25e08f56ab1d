"""SQL shared by the insight views, written once for SQLite and PostgreSQL.

- Working days: `working_ordinal(col)` numbers the working days (Monday to Friday, except the
  Holiday table's days) from 01/01/1900, so the working days in (a, b] are
  `ordinal(b) - ordinal(a)`, the same count as `recruitment.calendar.working_days_between`.
- Percentiles: `quantiles_sql` reads the median and the 90th percentile of groups in one
  statement, interpolated between the two nearest values as PostgreSQL's `percentile_cont`
  and Python's `statistics.quantiles(method="inclusive")` do, with integer arithmetic only.
- Stints: `stints_sql` gives one row per time a dossier entered a stage (the step that led
  there, or its entry in the source pool) with the branch that held it then, the day it left
  (the next step that changed the stage) and the working days it stayed.
- Working days between two days: `working_days_sql`, weekdays by arithmetic less the weekday
  holidays inside the range; `working_ordinal` numbers one day (for a day's rank among days).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from members.models.tree import subtree_bounds
from recruitment.models import Holiday, Stage, StageEvent

EPOCH = date(1900, 1, 1)  # a Monday
S = Stage
# Where a dossier waits (the terminal stages are not stays).
WAITING_STAGES = (
    S.SOURCE_POOL, S.HELPER_ASSIGNED, S.SYMPATHISER, S.APPLIED, S.HISTORY_VERIFIED,
    S.INTRODUCED, S.OPINIONS_COLLECTED, S.BRANCH_VOTED, S.AT_GRASSROOTS, S.PARTIAL_APPRAISED,
    S.AT_UPPER, S.ADMISSION_DECIDED, S.PROBATIONARY, S.RECOGNITION_BRANCH_VOTED,
    S.RECOGNITION_PARTIAL_APPRAISED, S.RECOGNITION_AT_UPPER, S.REMOVAL_BRANCH_VOTED,
    S.REMOVAL_AT_UPPER,
)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def as_date(sql: str) -> str:
    """A parameter or column read as a date on both databases."""
    return f"CAST({sql} AS date)" if _postgres() else f"date({sql})"


def day_number(col: str) -> str:
    """Whole days from 01/01/1900 to the date `col` (SQL text)."""
    if _postgres():
        return f"(CAST({col} AS date) - DATE '1900-01-01')"
    return f"CAST(julianday({col}) - julianday('1900-01-01') AS INTEGER)"


def _real() -> str:
    return "double precision" if _postgres() else "REAL"


def _least(a: str, b: str) -> str:
    return f"LEAST({a}, {b})" if _postgres() else f"MIN({a}, {b})"


def working_ordinal(col: str) -> str:
    """The number of working days in [01/01/1900, col]: weekdays by arithmetic, less the
    holidays on weekdays up to that day (one indexed count in the Holiday table)."""
    n = day_number(col)
    holiday = Holiday._meta.db_table
    h = day_number("h.date")
    return (f"(5 * ({n} / 7) + {_least(f'{n} %% 7 + 1', '5')} - "
            f"(SELECT COUNT(*) FROM {holiday} h WHERE h.date <= {as_date(col)} AND {h} %% 7 < 5))")


def _weekday_ordinal(col: str) -> str:
    n = day_number(col)
    return f"(5 * ({n} / 7) + {_least(f'{n} %% 7 + 1', '5')})"


def working_days_sql(start: str, end: str) -> str:
    """Working days in (start, end] as SQL text (negative when end is before start): the
    weekdays by arithmetic, less one count of the weekday holidays inside the range (an
    indexed range of the Holiday table, not all of it up to each day)."""
    holiday = Holiday._meta.db_table
    h = day_number("h.date")

    def holidays(a: str, b: str) -> str:
        return (f"(SELECT COUNT(*) FROM {holiday} h WHERE h.date > {as_date(a)} "
                f"AND h.date <= {as_date(b)} AND {h} %% 7 < 5)")

    weekdays = f"({_weekday_ordinal(end)} - {_weekday_ordinal(start)})"
    return (f"({weekdays} - CASE WHEN {as_date(end)} >= {as_date(start)} "
            f"THEN {holidays(start, end)} ELSE -{holidays(end, start)} END)")


@dataclass(frozen=True)
class Quantile:
    name: str  # the output column
    num: int  # p = num / den
    den: int


MEDIAN = Quantile("median", 1, 2)
P90 = Quantile("p90", 9, 10)


def quantiles_sql(source: str, groups: list[str], value: str,
                  quantiles=(MEDIAN, P90)) -> str:
    """SELECT groups…, n, one column per quantile FROM (source): each quantile interpolated
    between the values at ranks ⌊(n−1)p⌋+1 and ⌊(n−1)p⌋+2, p = num/den, in integers."""
    g = ", ".join(groups)
    part = f"PARTITION BY {g}" if groups else ""
    cols = []
    for q in quantiles:
        pos = f"((cnt - 1) * {q.num})"
        lo, rem = f"({pos} / {q.den} + 1)", f"({pos} %% {q.den})"
        cols.append(
            f"CAST(SUM(CASE WHEN rn = {lo} THEN v * ({q.den} - {rem}) "
            f"WHEN rn = {lo} + 1 THEN v * {rem} ELSE 0 END) AS {_real()}) / {q.den} AS {q.name}")
    select_groups = f"{g}, " if groups else ""
    group_by = f" GROUP BY {g}" if groups else ""
    return (
        f"SELECT {select_groups}COUNT(*) AS n, {', '.join(cols)} FROM ("
        f"SELECT {select_groups}{value} AS v, "
        f"ROW_NUMBER() OVER ({part} ORDER BY {value}) AS rn, "
        f"COUNT(*) OVER ({part}) AS cnt FROM ({source}) src) ranked{group_by}")


def stints_sql(scope_path: str, start: date, end: date, as_of: date) -> tuple[str, list]:
    """One row per stay of a dossier in a stage that overlaps [start, end], entered while a
    branch of the subtree at `scope_path` held it: candidate_id, stage, organisation_id,
    org_path, entered_on, left_on (NULL while still open on `as_of`), until_on (left_on, or
    `as_of`) and days (working days in (entered_on, until_on]). `as_of` is the day open stays
    are measured to: the period's end, or today while the period runs on.

    The subtree's own steps are read through the organisation index; the step that ended each
    stay is one lookup in the candidate's events (event_next_step_idx), fenced with
    MATERIALIZED so that PostgreSQL runs it once per stay and not once per use."""
    low, high = subtree_bounds(scope_path)
    event = StageEvent._meta.db_table
    org = "members_organisation"
    moves = "(n.to_stage <> n.from_stage OR n.action = 'add_to_pool')"
    sql = (
        f"WITH t AS MATERIALIZED (SELECT e.candidate_id, e.to_stage AS stage, "
        f"e.organisation_id, o.path AS org_path, e.event_date AS entered_on, "
        f"(SELECT n.event_date FROM {event} n WHERE n.candidate_id = e.candidate_id "
        f"AND n.recorded_at >= e.recorded_at AND (n.recorded_at > e.recorded_at OR n.id > e.id) "
        f"AND {moves} ORDER BY n.recorded_at, n.id LIMIT 1) AS left_on "
        f"FROM {event} e JOIN {org} o ON o.id = e.organisation_id "
        f"WHERE o.path >= %s AND o.path < %s "
        f"AND (e.to_stage <> e.from_stage OR e.action = 'add_to_pool') "
        f"AND e.event_date <= {as_date('%s')} AND e.event_date <= {as_date('%s')}) "
        f"SELECT s.*, {working_days_sql('s.entered_on', 's.until_on')} AS days FROM ("
        f"SELECT t.candidate_id, t.stage, t.organisation_id, t.org_path, t.entered_on, "
        f"CASE WHEN t.left_on <= p.as_of THEN t.left_on END AS left_on, "
        f"CASE WHEN t.left_on <= p.as_of THEN t.left_on ELSE p.as_of END AS until_on "
        f"FROM t CROSS JOIN (SELECT {as_date('%s')} AS as_of, {as_date('%s')} AS start_on) p "
        f"WHERE t.left_on IS NULL OR t.left_on >= p.start_on) s")
    return sql, [low, high, end, as_of, as_of, start]


def read_date(value) -> date | None:
    """A date column read back by raw SQL: a date on PostgreSQL, a string on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def fetch(sql: str, params) -> list[dict]:
    """Rows of `sql` as dicts. The SQL of this module writes its modulo as `%%`: it is always
    run with parameters (a list, perhaps empty), so both drivers read it as `%`."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
