"""The forecast: admissions expected by the end of the year and of the term, from the pipeline
on the as-of day T and this subtree's own history, against the target; and its back-test.

Each open dossier (a pre-admission stage on T) counts its stage's historical chance p: of the
dossiers of the subtree that were in that stage on the same day one, two, three years before
(further back when the horizon is longer, so the outcome is known), the share admitted (their
ceremony: the step into "probationary") within as many days as from T to the horizon. People
not yet in the pipeline on T add the admissions of those who entered it after each reference
day, averaged. Expected = admitted so far (the reports' count) + Σ open × p + inflow; the
range is ± 1,645 standard deviations (90 %) of the sum of open·p·(1 − p), the inflow's
variance across the reference years and the drift of the chances between them (the variance
of Σ open × p_k, each reference day's own chances p_k in turn). Every query takes T as a
parameter and reads only events dated on or before it, so the forecast made at T on a past day
is the one made then.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.db.models import Count, Min, Q
from django.db.models.functions import Substr
from django.utils.safestring import SafeString
from openpyxl.styles import Font

from members.models import PATH_STEP, Organisation, subtree_bounds
from recruitment.models import Candidate, Stage, StageEvent

from .. import periods
from ..charts import ADMITTED, INK, TARGET, WIDTH, _axis, _legend, _nice_max, _svg, _text
from ..membership import counting_basis
from ..selectors import admissions, targets_of
from ..templatetags.documents import vn_number
from .common import Scope, units_of
from .sql import _postgres, as_date, fetch

S = Stage
# The stages before the ceremony, in the pipeline's order.
OPEN_STAGES = (S.SOURCE_POOL, S.HELPER_ASSIGNED, S.SYMPATHISER, S.APPLIED, S.HISTORY_VERIFIED,
               S.INTRODUCED, S.OPINIONS_COLLECTED, S.BRANCH_VOTED, S.AT_GRASSROOTS,
               S.PARTIAL_APPRAISED, S.AT_UPPER, S.ADMISSION_DECIDED)
MIN_HISTORY = 20  # fewer dossiers than this in a stage: its chance is borrowed
Z90 = 1.645  # a 90 % interval of a normal distribution
REFERENCES = 3  # reference days per horizon
YEAR_H, TERM_H = "year", "term"
_STAGES_SQL = ", ".join(f"'{s.value}'" for s in OPEN_STAGES)
EXPECTED = "#ef9a9a"
_CEREMONY = "to_stage = 'probationary' AND from_stage <> 'probationary'"


@dataclass
class StageRate:
    stage: str
    label: str
    open: int  # dossiers in the stage on T
    history: int  # dossiers in the stage on the reference days (pooled)
    admitted: int  # of them, admitted within the horizon
    p: float  # the chance used (own or borrowed)
    borrowed: str = ""  # "", "neighbours" (with the stages next to it) or "pooled"

    @property
    def expected(self) -> float:
        return self.open * self.p

    @property
    def percent(self) -> float:
        return 100 * self.p


@dataclass
class Horizon:
    kind: str  # YEAR_H or TERM_H
    label: str  # "2026" or "2025-2030"
    start: date  # the first day counted as "admitted so far"
    end: date
    days: int  # from T to the horizon
    references: list[date] = field(default_factory=list)
    truncated: bool = False  # history shorter than the horizon: windows cut at T
    admitted: int = 0
    target: int | None = None
    stages: list[StageRate] = field(default_factory=list)
    inflow: float = 0.0
    inflow_by_reference: list[int] = field(default_factory=list)
    variance: float = 0.0

    @property
    def open(self) -> int:
        return sum(s.open for s in self.stages)

    @property
    def pipeline(self) -> float:
        return sum(s.expected for s in self.stages)

    @property
    def expected(self) -> float:
        return self.admitted + self.pipeline + self.inflow

    @property
    def low(self) -> int:
        return max(self.admitted, round(self.expected - Z90 * math.sqrt(self.variance)))

    @property
    def high(self) -> int:
        return max(self.admitted, round(self.expected + Z90 * math.sqrt(self.variance)))

    @property
    def no_history(self) -> bool:
        return self.days > 0 and not self.references

    @property
    def shortfall(self) -> float | None:
        """How far the expected value stays under the target (negative: above it)."""
        return None if self.target is None else self.target - self.expected


@dataclass
class UnitForecast:
    unit: Organisation
    open: int
    horizons: dict[str, Horizon]

    def horizon(self, kind: str) -> Horizon | None:
        return self.horizons.get(kind)


@dataclass
class ForecastFigures:
    organisation: Organisation
    period: periods.Period
    as_of: date
    horizons: list[Horizon]
    units: list[UnitForecast]
    backtest: Backtest | None = None
    year_links: bool = True  # the year's lists (?ky=<year>) are counted to the same day T

    @property
    def main(self) -> Horizon:
        """The horizon the units are ranked by: the term's for a term, else the year's."""
        return self.horizons[-1]

    def horizon(self, kind: str) -> Horizon | None:
        return next((h for h in self.horizons if h.kind == kind), None)

    @property
    def columns(self) -> list[tuple[str, str, bool]]:
        """The unit table's columns: (sort key, label, sortable: the main horizon's)."""
        cols = [("don_vi", "Đơn vị", True), ("dang_cho", "Đang trong quy trình", True)]
        for h in self.horizons:
            main = h.kind == self.main.kind
            cols += [("da_ket_nap", f"Đã kết nạp {h.label}", main),
                     ("du_bao", f"Dự báo {h.label} (khoảng 90 %)", main),
                     ("chi_tieu", f"Chỉ tiêu {h.label}", main),
                     ("thieu", f"Thiếu so với chỉ tiêu {h.label}", main)]
        return cols

    @property
    def plain_headers(self) -> list[tuple[str, str, dict]]:
        return [(key, label, {}) for key, label, _s in self.columns]


@dataclass
class Backtest:
    organisation: Organisation
    label: str
    as_of: date  # the middle day of the term
    forecast: float
    low: int
    high: int
    actual: int
    figures: ForecastFigures

    @property
    def error(self) -> float:
        return self.forecast - self.actual

    @property
    def relative_error(self) -> float | None:
        return self.error / self.actual if self.actual else None

    @property
    def relative_percent(self) -> float | None:
        r = self.relative_error
        return None if r is None else 100 * r


def years_before(day: date, k: int) -> date:
    try:
        return day.replace(year=day.year - k)
    except ValueError:  # 29 February
        return day.replace(year=day.year - k, day=28)


def reference_days(t: date, days: int, earliest: date | None) -> tuple[list[tuple], bool]:
    """[(reference day, end of its window)] and whether the windows are cut short.

    References T − k years with k ≥ ⌈H/365⌉ (so T_ref + H ≤ T: the outcome is known), three
    of them, those before the subtree's first dossier left out. With none left (history
    shorter than the horizon), the longest references the history allows, windows cut at T."""
    if days <= 0 or earliest is None:
        return [], False
    k = max(1, math.ceil(days / 365))
    while years_before(t, k) + timedelta(days=days) > t:
        k += 1
    refs = [(r, r + timedelta(days=days)) for r in
            (years_before(t, j) for j in range(k, k + REFERENCES)) if r >= earliest]
    if refs:
        return refs, False
    longest = [years_before(t, j) for j in range(k - 1, 0, -1)]
    refs = [(r, t) for r in longest if r >= earliest][:REFERENCES]
    return refs, bool(refs)


def _held_in(low: str, high: str, t: date) -> tuple[str, list]:
    """SQL: the event `e` is of a dossier held by a branch of the subtree on or before T.
    On PostgreSQL the ids are read first into an array, so each dossier's events are fetched
    by its index instead of scanning the whole table (the planner cannot guess how few
    dossiers a subtree holds: T01 21 s → 3 s); a tree's root holds every dossier: no filter."""
    if len(low) == PATH_STEP:
        return "1 = 1", []
    event, org = StageEvent._meta.db_table, "members_organisation"
    ids = (f"SELECT x.candidate_id FROM {event} x JOIN {org} xo ON xo.id = x.organisation_id "
           f"WHERE xo.path >= %s AND xo.path < %s AND x.event_date <= {as_date('%s')}")
    if _postgres():
        return (f"e.candidate_id = ANY(ARRAY(SELECT DISTINCT candidate_id FROM ({ids}) i))",
                [low, high, t])
    return f"e.candidate_id IN ({ids})", [low, high, t]


def _history_sql(low: str, high: str, t: date, unit_length: int, refs: list[tuple]):
    """One statement: per (horizon, reference, unit, stage) the dossiers held in the stage on
    the reference day and how many of them were admitted within its window ('held'; reference
    0 is T itself: the open dossiers), and per (horizon, reference, unit) the admissions in the
    window of people who entered the pipeline after the reference day ('inflow')."""
    event, org = StageEvent._meta.db_table, "members_organisation"
    n = int(unit_length)
    ref_rows = " UNION ALL ".join(
        f"SELECT '{h}' AS h, {k} AS k, {as_date('%s')} AS ref_on, {as_date('%s')} AS end_on"
        for h, k, _r, _e in refs)
    ref_params = [d for _h, _k, r, e in refs for d in (r, e)]
    held_in, held_params = _held_in(low, high, t)
    sql = (
        f"WITH ev AS (SELECT e.candidate_id, e.from_stage, e.to_stage, e.event_date, "
        f"o.path AS org_path, LEAD(e.event_date) OVER (PARTITION BY e.candidate_id "
        f"ORDER BY e.event_date, e.recorded_at, e.id) AS next_on "
        f"FROM {event} e JOIN {org} o ON o.id = e.organisation_id "
        f"WHERE e.event_date <= {as_date('%s')} AND {held_in}), "
        f"refs AS ({ref_rows}), "
        f"adm AS (SELECT candidate_id, MIN(event_date) AS adm_on FROM ev WHERE {_CEREMONY} "
        f"GROUP BY candidate_id), "
        f"firsts AS (SELECT candidate_id, MIN(event_date) AS first_on FROM ev "
        f"GROUP BY candidate_id), "
        f"held AS (SELECT r.h, r.k, r.ref_on, r.end_on, ev.candidate_id, ev.to_stage AS stage, "
        f"SUBSTR(ev.org_path, 1, {n}) AS unit FROM refs r JOIN ev ON ev.event_date <= r.ref_on "
        f"AND (ev.next_on IS NULL OR ev.next_on > r.ref_on) "
        f"WHERE ev.org_path >= %s AND ev.org_path < %s AND ev.to_stage IN ({_STAGES_SQL})) "
        f"SELECT 'held' AS kind, held.h, held.k, held.unit, held.stage, COUNT(*) AS n, "
        f"COUNT(adm.adm_on) AS x FROM held LEFT JOIN adm ON adm.candidate_id = held.candidate_id "
        f"AND adm.adm_on > held.ref_on AND adm.adm_on <= held.end_on "
        f"GROUP BY held.h, held.k, held.unit, held.stage "
        f"UNION ALL "
        f"SELECT 'inflow' AS kind, r.h, r.k, SUBSTR(ev.org_path, 1, {n}) AS unit, '' AS stage, "
        f"COUNT(*) AS n, COUNT(*) AS x FROM refs r JOIN ev ON ev.event_date > r.ref_on "
        f"AND ev.event_date <= r.end_on AND ev.{_CEREMONY.replace(' AND ', ' AND ev.')} "
        f"JOIN firsts f ON f.candidate_id = ev.candidate_id AND f.first_on > r.ref_on "
        f"WHERE r.k > 0 AND ev.org_path >= %s AND ev.org_path < %s "
        f"GROUP BY r.h, r.k, SUBSTR(ev.org_path, 1, {n})")
    return sql, [t, *held_params, *ref_params, low, high, low, high]


def _rate(stage: str, history: dict) -> tuple[float, int, int, str]:
    """The chance of a stage from the scope's pooled history {stage: (n, x)}: its own with
    MIN_HISTORY dossiers or more, else pooled with the stages next to it (one each side, then
    two, …) until there are enough, else all stages pooled."""
    i = OPEN_STAGES.index(stage)
    n, x = history.get(stage, (0, 0))
    if n >= MIN_HISTORY:
        return x / n, n, x, ""
    for width in range(1, len(OPEN_STAGES)):
        near = OPEN_STAGES[max(0, i - width):i + width + 1]
        pn = sum(history.get(s, (0, 0))[0] for s in near)
        px = sum(history.get(s, (0, 0))[1] for s in near)
        if pn >= MIN_HISTORY:
            return px / pn, n, x, "neighbours" if len(near) < len(OPEN_STAGES) else "pooled"
    pn = sum(v[0] for v in history.values())
    px = sum(v[1] for v in history.values())
    return (px / pn if pn else 0.0), n, x, "pooled"


def _inflow(counts: list[int]) -> tuple[float, float]:
    """Mean over the reference days and its variance: the sample variance across them (n − 1),
    or the count itself (Poisson) with a single reference."""
    if not counts:
        return 0.0, 0.0
    mean = sum(counts) / len(counts)
    if len(counts) == 1:
        return mean, mean
    return mean, sum((c - mean) ** 2 for c in counts) / (len(counts) - 1)


def admitted_so_far(scope: Scope, t: date, starts: dict[str, date], basis: str):
    """The reports' admissions (`selectors.admissions`, the counting basis) from each start
    to T, per unit: movements written after T are left out, so a past T sees its own day."""
    low, high = subtree_bounds(scope.organisation.path)
    first = min(starts.values())
    rows = admissions(low, high, first, t, basis).filter(date__lte=t).annotate(
        unit=Substr("to_organisation__path", 1, scope.unit_length)).values("unit").annotate(
        **{k: Count("pk", filter=Q(counted__gte=s)) for k, s in starts.items()}).order_by()
    return {r["unit"]: {k: r[k] for k in starts} for r in rows}


def compute(scope: Scope, *, basis: str | None = None,
            with_backtest: bool = True) -> ForecastFigures:
    """The forecast of the scope's subtree at T = scope.as_of, by unit, and (unless
    `with_backtest` is false) the back-test of the term before: a fixed number of queries."""
    basis = basis or counting_basis()
    org, period, t = scope.organisation, scope.period, scope.as_of
    low, high = subtree_bounds(org.path)
    year = periods.current_year(t)
    plans = [(YEAR_H, year.label, year.start, min(year.end, period.end) if not period.is_term
              else year.end)]
    if period.is_term:
        plans.append((TERM_H, period.label, period.start, period.end))
    earliest = Candidate.objects.filter(
        organisation__path__gte=low, organisation__path__lt=high, added_date__lte=t,
    ).aggregate(first=Min("added_date"))["first"]
    horizons, refs = [], [("now", 0, t, t)]
    for kind, label, start, end in plans:
        days = max(0, (end - t).days)
        ref_days, truncated = reference_days(t, days, earliest)
        horizons.append(Horizon(kind, label, start, end, days, [r for r, _e in ref_days],
                                truncated))
        refs += [(kind, k, r, e) for k, (r, e) in enumerate(ref_days, start=1)]
    sql, params = _history_sql(low, high, t, scope.unit_length, refs)
    rows = fetch(sql, params)
    so_far = admitted_so_far(scope, t, {h.kind: h.start for h in horizons}, basis)
    targets = {}
    for h in horizons:
        p = year if h.kind == YEAR_H else period
        holder = SimpleNamespace(target=None)
        targets[h.kind] = (targets_of(holder, org, p, {}), holder.target)

    open_now: dict[str, dict[str, int]] = {}
    held: dict[tuple, dict[str, list[int]]] = {}  # (h, unit) → stage → [n, x]
    by_ref: dict[tuple, dict[str, list[int]]] = {}  # (h, unit, k) → stage → [n, x]
    inflow: dict[tuple, dict[int, int]] = {}  # (h, unit) → k → count
    for r in rows:
        if r["kind"] == "held" and r["k"] == 0:
            open_now.setdefault(r["unit"], {})[r["stage"]] = r["n"]
        elif r["kind"] == "held":
            pair = held.setdefault((r["h"], r["unit"]), {}).setdefault(r["stage"], [0, 0])
            pair[0] += r["n"]
            pair[1] += r["x"]
            by_ref.setdefault((r["h"], r["unit"], r["k"]), {})[r["stage"]] = [r["n"], r["x"]]
        else:
            inflow.setdefault((r["h"], r["unit"]), {})[r["k"]] = r["n"]

    for h in horizons:
        pooled: dict[str, tuple[int, int]] = {}
        for (kind, _u), stages in held.items():
            if kind == h.kind:
                for s, (n, x) in stages.items():
                    a, b = pooled.get(s, (0, 0))
                    pooled[s] = (a + n, b + x)
        opened = {s: sum(u.get(s, 0) for u in open_now.values()) for s in OPEN_STAGES}
        h.stages = [StageRate(s.value, str(s.label), opened[s], *_reorder(_rate(s, pooled)))
                    for s in OPEN_STAGES] if h.days > 0 else [
            StageRate(s.value, str(s.label), opened[s], 0, 0, 0.0) for s in OPEN_STAGES]
        per_ref = [sum(c.get(k, 0) for (kind, _u), c in inflow.items() if kind == h.kind)
                   for k in range(1, len(h.references) + 1)]
        scope_refs = []
        for k in range(1, len(h.references) + 1):
            merged: dict[str, list[int]] = {}
            for (kind, _u, kk), stages in by_ref.items():
                if kind == h.kind and kk == k:
                    for st, (n, x) in stages.items():
                        pair = merged.setdefault(st, [0, 0])
                        pair[0] += n
                        pair[1] += x
            scope_refs.append(merged)
        _finish(h, sum(v.get(h.kind, 0) for v in so_far.values()), per_ref,
                targets[h.kind][1], _drift(h.stages, scope_refs))

    units = []
    for u in scope.units:
        unit_h = {}
        for h in horizons:
            uh = Horizon(h.kind, h.label, h.start, h.end, h.days, h.references, h.truncated)
            own = held.get((h.kind, u.path), {})
            mine = open_now.get(u.path, {})
            uh.stages = [StageRate(s.stage, s.label, mine.get(s.stage, 0),
                                   *own.get(s.stage, (0, 0)),
                                   *_unit_rate(own.get(s.stage, (0, 0)), s))
                         for s in h.stages]
            counts = inflow.get((h.kind, u.path), {})
            unit_refs = [by_ref.get((h.kind, u.path, k), {})
                         for k in range(1, len(h.references) + 1)]
            _finish(uh, so_far.get(u.path, {}).get(h.kind, 0),
                    [counts.get(k, 0) for k in range(1, len(h.references) + 1)],
                    targets[h.kind][0].get(u.pk), _drift(uh.stages, unit_refs))
            unit_h[h.kind] = uh
        units.append(UnitForecast(u, sum(open_now.get(u.path, {}).values()), unit_h))
    figures = ForecastFigures(org, period, t, horizons, units,
                              year_links=min(scope.today, year.end) == t)
    figures.units = sort_units(figures, "")
    if with_backtest:
        term = period if period.is_term else periods.current_term(org, t)
        check = backtest(org, previous_term(term.label), basis=basis)
        # Shown when the history covered the whole horizon then (not cut short).
        past = check.figures.main
        figures.backtest = check if past.references and not past.truncated else None
    return figures


def _reorder(rate: tuple[float, int, int, str]) -> tuple[int, int, float, str]:
    p, n, x, borrowed = rate
    return n, x, p, borrowed


def _unit_rate(own: tuple[int, int], scope_rate: StageRate) -> tuple[float, str]:
    """A unit's own chance with MIN_HISTORY dossiers or more, else the whole scope's."""
    n, x = own
    if n >= MIN_HISTORY:
        return x / n, ""
    return scope_rate.p, "scope"


def _drift(stages: list[StageRate], refs: list[dict[str, list[int]]]) -> float:
    """How much the expected count from the open dossiers moves between reference days: the
    sample variance of Σ open × p_k over the reference days k, p_k a stage's chance on day k
    alone (the chance in use where day k had MIN_HISTORY dossiers or fewer in the stage)."""
    if len(refs) < 2:
        return 0.0
    totals = []
    for history in refs:
        total = 0.0
        for s in stages:
            n, x = history.get(s.stage, (0, 0))
            total += s.open * (x / n if n > MIN_HISTORY else s.p)
        totals.append(total)
    mean = sum(totals) / len(totals)
    return sum((v - mean) ** 2 for v in totals) / (len(totals) - 1)


def _finish(h: Horizon, admitted: int, per_ref: list[int], target: int | None,
            drift: float = 0.0) -> None:
    h.admitted, h.target = admitted, target
    h.inflow_by_reference = per_ref
    if h.days <= 0:
        return
    h.inflow, inflow_var = _inflow(per_ref)
    h.variance = sum(s.open * s.p * (1 - s.p) for s in h.stages) + inflow_var + drift


SORTS = {"thieu": None, "don_vi": lambda u, k: u.unit.path,
         "dang_cho": lambda u, k: u.open,
         "da_ket_nap": lambda u, k: u.horizons[k].admitted,
         "du_bao": lambda u, k: u.horizons[k].expected,
         "chi_tieu": lambda u, k: (u.horizons[k].target is None, u.horizons[k].target or 0)}


def sort_units(figures: ForecastFigures, key: str) -> list[UnitForecast]:
    """The units in the order of `?sap_xep=` (a column, or -column for the reverse); by default
    ("thieu") those whose expected value falls short of their target first, the largest
    shortfall first, then the others in the tree's order."""
    kind, reverse = figures.main.kind, key.startswith("-")
    name = key.lstrip("-") or "thieu"
    units = list(figures.units)
    if SORTS.get(name) is not None:
        return sorted(units, key=lambda u: SORTS[name](u, kind), reverse=reverse)

    def short_first(u):
        gap = u.horizons[kind].shortfall
        return (0, -gap, u.unit.path) if gap is not None and gap > 0 else (1, 0, u.unit.path)
    ordered = sorted(units, key=short_first)
    return ordered[::-1] if reverse else ordered


def backtest(organisation: Organisation, term_label: str, *,
             basis: str | None = None) -> Backtest:
    """The forecast of the term made at its middle day, from the events dated up to then,
    against the admissions the reports count for the whole term."""
    basis = basis or counting_basis()
    period = periods.resolve(organisation, term_label)
    middle = period.start + (period.end - period.start) // 2
    scope = Scope(organisation, period, middle, units_of(organisation, period))
    figures = compute(scope, basis=basis, with_backtest=False)
    term = figures.main
    low, high = subtree_bounds(organisation.path)
    actual = admissions(low, high, period.start, period.end, basis).count()
    return Backtest(organisation, period.label, middle, term.expected, term.low, term.high,
                    actual, figures)


def previous_term(label: str) -> str:
    first, last = (int(y) for y in label.split("-"))
    span = last - first
    return f"{first - span}-{last - span}"


# The lists behind the numbers ----------------------------------------------------------------

def _last_events_sql(low: str, high: str, t: date) -> tuple[str, list]:
    """Each dossier's last step on or before T (its stage and branch then), for the dossiers
    held in the subtree at some point up to T."""
    event, org = StageEvent._meta.db_table, "members_organisation"
    held_in, held_params = _held_in(low, high, t)
    sql = (
        f"SELECT e.candidate_id, e.to_stage, e.organisation_id, o.path AS org_path, "
        f"ROW_NUMBER() OVER (PARTITION BY e.candidate_id ORDER BY e.event_date DESC, "
        f"e.recorded_at DESC, e.id DESC) AS rn FROM {event} e "
        f"JOIN {org} o ON o.id = e.organisation_id WHERE e.event_date <= {as_date('%s')} "
        f"AND {held_in}")
    return sql, [t, *held_params]


def open_ids_sql(path: str, t: date, stage: str | None = None) -> tuple[str, list]:
    """The ids of the dossiers in a pre-admission stage (`stage`, or any) on T held by a
    branch of the subtree at `path`: the 'open' counted by `compute`."""
    low, high = subtree_bounds(path)
    inner, params = _last_events_sql(low, high, t)
    sql = (f"SELECT s.candidate_id FROM ({inner}) s WHERE s.rn = 1 "
           f"AND s.to_stage IN ({_STAGES_SQL}) AND s.org_path >= %s AND s.org_path < %s")
    params += [low, high]
    if stage:
        sql += " AND s.to_stage = %s"
        params.append(stage)
    return sql, params


def open_details(t: date, ids: list[int]) -> dict[int, dict]:
    """Stage, branch (id) and the day it entered the stage, on T, of the dossiers `ids` (one
    page of a list): their own events only."""
    if not ids:
        return {}
    event = StageEvent._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    sql = (f"SELECT s.candidate_id, s.to_stage, s.organisation_id, (SELECT MAX(y.event_date) "
           f"FROM {event} y WHERE y.candidate_id = s.candidate_id AND y.event_date <= "
           f"{as_date('%s')} AND y.to_stage = s.to_stage AND (y.to_stage <> y.from_stage "
           f"OR y.action = 'add_to_pool')) AS since FROM ("
           f"SELECT e.candidate_id, e.to_stage, e.organisation_id, ROW_NUMBER() OVER ("
           f"PARTITION BY e.candidate_id ORDER BY e.event_date DESC, e.recorded_at DESC, "
           f"e.id DESC) AS rn FROM {event} e WHERE e.event_date <= {as_date('%s')} "
           f"AND e.candidate_id IN ({marks})) s WHERE s.rn = 1")
    return {r["candidate_id"]: r for r in fetch(sql, [t, t, *ids])}


def chart(figures: ForecastFigures) -> SafeString:
    """For the year and the term: admitted so far, the expected value with its 90 % range
    (an error bar) and the target."""
    height, x0, x1, y0, y1 = 260, 50, WIDTH - 10, 226, 36
    hs = figures.horizons
    top, step = _nice_max(max([h.high for h in hs] + [h.target or 0 for h in hs]
                              + [h.expected for h in hs]) * 1.1)
    body = _legend([("Đã kết nạp", ADMITTED, False), ("Dự báo", EXPECTED, False),
                    ("Chỉ tiêu", TARGET, False)])
    body += _axis(top, step, x0, x1, y0, y1)
    slot = (x1 - x0) / len(hs)
    bar = min(56, slot / 4)

    def y(v):
        return y0 - (y0 - y1) * v / top
    for i, h in enumerate(hs):
        centre = x0 + slot * (i + 0.5)
        left = centre - bar * 1.5
        for j, (value, colour) in enumerate([(h.admitted, ADMITTED), (h.expected, EXPECTED),
                                             (h.target, TARGET)]):
            if value is None:
                continue
            x = left + j * bar
            body.append(f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{bar - 4:.1f}" '
                        f'height="{y0 - y(value):.1f}" fill="{colour}"/>')
            label_y = y(h.high) if j == 1 else y(value)
            body.append(_text(x + bar / 2 - 2, label_y - 5, vn_number(value), size=11))
        mid = left + bar * 1.5 - 2
        body.append(f'<path d="M{mid:.1f} {y(h.low):.1f}V{y(h.high):.1f}M{mid - 6:.1f} '
                    f'{y(h.low):.1f}h12M{mid - 6:.1f} {y(h.high):.1f}h12" stroke="{INK}" '
                    f'stroke-width="1.5" fill="none"/>')
        name = f"Năm {h.label}" if h.kind == YEAR_H else f"Nhiệm kỳ {h.label}"
        body.append(_text(centre, y0 + 18, f"{name} (đến {h.end:%d/%m/%Y})"))
    desc = "; ".join(
        f"{'năm' if h.kind == YEAR_H else 'nhiệm kỳ'} {h.label}: đã kết nạp {h.admitted}, "
        f"dự báo {round(h.expected)} (khoảng {h.low}–{h.high})"
        + (f", chỉ tiêu {h.target}" if h.target is not None else "") for h in hs)
    return _svg(height, "Dự báo kết nạp đảng viên so với chỉ tiêu", desc, body)


def write_sheet(book, figures: ForecastFigures) -> None:
    """The forecast's sheets: the horizons, the chance of each stage and the units."""
    bold = Font(bold=True)
    ws = book.sheet("Dự báo kết nạp", widths=[26, 14, 14, 14, 14, 14, 14, 14], freeze="A2")
    ws.append(["Kỳ dự báo", "Đến ngày", "Đã kết nạp", "Đang trong quy trình",
               "Dự báo", "Cận dưới (90 %)", "Cận trên (90 %)", "Chỉ tiêu"], font=bold)
    for h in figures.horizons:
        ws.append([f"{'Năm' if h.kind == YEAR_H else 'Nhiệm kỳ'} {h.label}",
                   f"{h.end:%d/%m/%Y}", h.admitted, h.open, round(h.expected, 1), h.low, h.high,
                   h.target])
    ws = book.sheet("Xác suất theo bước", widths=[48, 14, 14, 14, 14, 14, 14], freeze="A2")
    ws.append(["Bước", "Kỳ dự báo", "Đang chờ", "Hồ sơ lịch sử", "Được kết nạp kịp",
               "Xác suất", "Dự kiến kết nạp"], font=bold)
    for h in figures.horizons:
        for s in h.stages:
            ws.append([s.label, h.label, s.open, s.history, s.admitted, round(s.p, 3),
                       round(s.expected, 1)])
    ws = book.sheet("Dự báo theo đơn vị", widths=[40] + [14] * 9, freeze="A2")
    heads = ["Đơn vị", "Đang chờ"]
    for h in figures.horizons:
        heads += [f"Đã kết nạp {h.label}", f"Dự báo {h.label}", f"Khoảng {h.label}",
                  f"Chỉ tiêu {h.label}"]
    ws.append(heads, font=bold)
    for u in figures.units:
        row = [u.unit.name, u.open]
        for h in figures.horizons:
            uh = u.horizons[h.kind]
            row += [uh.admitted, round(uh.expected, 1), f"{uh.low}–{uh.high}", uh.target]
        ws.append(row)
