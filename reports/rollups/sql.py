"""The SQL that says what source rows add to the rollups: one statement for movements, one
for dossiers, each restricted by a WHERE on the rows and on the organisations involved, so
the same text serves a rebuild of everything and the change of one row."""
from datetime import date

from django.db import connection

from members.models import MAX_DEPTH, PATH_STEP, Movement, subtree_bounds
from members.models.movements import UNCOUNTED_KINDS
from recruitment.models import Candidate
from recruitment.workflow import CLOSED_STAGES

SHARED, DECISION, CEREMONY = "", ".d", ".c"
FAR = date(9999, 12, 31)  # the day of a dossier with no deadline
UNIQUE = "rollup_unique_day"
SUFFIX = {"decision": DECISION, "ceremony": CEREMONY}


def _sql_list(values) -> str:
    return ", ".join("'{}'".format(str(v).replace("'", "''")) for v in values)


def _levels() -> str:
    return " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, MAX_DEPTH + 1))


def _ancestors(org_filter: str) -> str:
    """(org, anc, apath): each organisation with every organisation on its path, itself
    included."""
    return f"""SELECT t.id AS org, a.id AS anc, a.path AS apath
        FROM members_organisation t
        JOIN ({_levels()}) lv ON lv.k * {PATH_STEP} <= LENGTH(t.path)
        JOIN members_organisation a ON a.path = SUBSTR(t.path, 1, lv.k * {PATH_STEP})
        WHERE {org_filter}"""


# The three ways a movement is dated: one row when it has no separate decision date, else
# one on the decision's date (`.d`) and one on its own (`.c`): (suffix, day, condition).
_DATINGS = [(SHARED, "m.date", "(m.decision_date IS NULL OR m.decision_date = m.date)"),
            (DECISION, "m.decision_date",
             "(m.decision_date IS NOT NULL AND m.decision_date <> m.date)"),
            (CEREMONY, "m.date", "(m.decision_date IS NOT NULL AND m.decision_date <> m.date)")]


def movement_sql(where: str, org_filter: str = "1 = 1") -> str:
    """What the movements selected by `where` (on alias m) add: (organisation, metric, item,
    day, n). A movement enters each organisation above its destination that is not above
    its origin, and leaves each above its origin that is not above its destination."""
    anc = _ancestors(org_filter)
    counted = f"m.kind NOT IN ({_sql_list(UNCOUNTED_KINDS)})"
    parts = []
    for metric, side, other in (("in", "m.to_organisation_id", "m.from_organisation_id"),
                                ("out", "m.from_organisation_id", "m.to_organisation_id")):
        for suffix, day, when in _DATINGS:
            parts.append(f"""SELECT x.anc AS organisation_id, '{metric}{suffix}' AS metric,
                    m.kind AS item, {day} AS day, COUNT(*) AS n
                FROM members_movement m JOIN ({anc}) x ON x.org = {side}
                LEFT JOIN members_organisation o ON o.id = {other}
                WHERE {where} AND {counted} AND {when}
                  AND (o.path IS NULL OR SUBSTR(o.path, 1, LENGTH(x.apath)) <> x.apath)
                GROUP BY x.anc, {day}, m.kind""")
    return "\nUNION ALL\n".join(parts)


def candidate_sql(where: str, org_filter: str = "1 = 1") -> str:
    """What the dossiers selected by `where` (on alias c) add: open ones, by stage and due
    day, to the holding branch and every organisation above it."""
    return f"""SELECT x.anc AS organisation_id, 'open' AS metric, c.stage AS item,
            COALESCE(c.due_date, '{FAR.isoformat()}') AS day, COUNT(*) AS n
        FROM recruitment_candidate c JOIN ({_ancestors(org_filter)}) x
          ON x.org = c.organisation_id
        WHERE {where} AND c.stage NOT IN ({_sql_list(CLOSED_STAGES)})
        GROUP BY x.anc, c.stage, COALESCE(c.due_date, '{FAR.isoformat()}')"""


def _id_list(ids) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def _contributions(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(org, metric, key, _as_date(day), n) for org, metric, key, day, n in cursor]


def _as_date(day) -> date:
    return day if isinstance(day, date) else date.fromisoformat(str(day)[:10])


def _orgs_of_movements(ids) -> set[int]:
    rows = Movement.objects.filter(pk__in=ids).values_list("from_organisation_id",
                                                           "to_organisation_id")
    return {pk for pair in rows for pk in pair if pk}


# The branches involved are read first and written into the statement as literals: with a
# subquery instead, PostgreSQL plans the ancestors for every organisation (one movement on
# the national data: 10.6 ms this way, 14.5 ms with the subquery).
def movement_contributions(ids) -> list[tuple]:
    ids = list(ids)
    if not ids:
        return []
    orgs = _orgs_of_movements(ids)
    if not orgs:
        return []
    return _contributions(movement_sql(f"m.id IN ({_id_list(ids)})",
                                       f"t.id IN ({_id_list(orgs)})"))


def candidate_contributions(ids) -> list[tuple]:
    ids = list(ids)
    if not ids:
        return []
    orgs = set(Candidate.objects.filter(pk__in=ids).exclude(organisation=None)
               .values_list("organisation_id", flat=True))
    if not orgs:
        return []
    return _contributions(candidate_sql(f"c.id IN ({_id_list(ids)})",
                                        f"t.id IN ({_id_list(orgs)})"))


def subtree_contributions(path: str) -> list[tuple]:
    """What every movement and dossier touching the subtree at `path` adds, to every
    organisation above or in it: read before and after the subtree moves in the tree."""
    low, high = subtree_bounds(path)
    inside = f"SELECT id FROM members_organisation WHERE path >= '{low}' AND path < '{high}'"
    touching = (f"(m.to_organisation_id IN ({inside}) OR m.from_organisation_id IN ({inside}))")
    moved = _contributions(movement_sql(touching))
    return moved + _contributions(candidate_sql(f"c.organisation_id IN ({inside})"))


def _year_end_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"make_date(CAST(EXTRACT(YEAR FROM {column}) AS integer), 12, 31)"
    return f"strftime('%Y', {column}) || '-12-31'"


def expected_sql() -> str:
    return movement_sql("1 = 1") + "\nUNION ALL\n" + candidate_sql("1 = 1")


# The members on the list add up the entries less the exits of one counting basis.
NET = "SUM(CASE WHEN metric LIKE 'in%%' THEN n ELSE -n END)"


def moves_of(basis: str) -> str:
    """The metrics of the entries and exits counted under `basis` (a suffix), for an IN."""
    return _sql_list(["in", "in" + basis, "out", "out" + basis])


def _balance_sql(basis: str, before: date, source: str) -> str:
    """Year-end checkpoints of the members on the list, from in/out rows of `source`."""
    year_end = _year_end_sql("day")
    return f"""SELECT organisation_id, 'bal{basis}' AS metric, '' AS item, year_end AS day,
            SUM(net) OVER (PARTITION BY organisation_id ORDER BY year_end) AS n
        FROM (SELECT organisation_id, {year_end} AS year_end, {NET} AS net
              FROM {source} s WHERE metric IN ({moves_of(basis)})
              GROUP BY organisation_id, {year_end}) y
        WHERE year_end < '{before.isoformat()}'"""
