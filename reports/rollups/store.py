"""Writing the rollups: adding what rows contribute (in the writer's transaction), rebuilding
them all, and comparing them with the events."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from members.models import Movement
from recruitment.models import Candidate

from ..models import Rollup
from .sql import (
    CEREMONY,
    DECISION,
    FAR,
    NET,
    UNIQUE,
    _as_date,
    _balance_sql,
    _id_list,
    candidate_contributions,
    expected_sql,
    movement_contributions,
    moves_of,
)


def apply(rows: list[tuple], sign: int) -> None:
    """Adds `sign` × the contributions to the rollup rows (creating the missing ones) and to
    the balance checkpoints at or after each day. Sorted, so concurrent writers take the row
    locks in the same order."""
    if not rows:
        return
    total: dict[tuple, int] = defaultdict(int)
    balances: dict[tuple, int] = defaultdict(int)
    for org, metric, key, day, n in rows:
        total[(org, metric, key, day)] += sign * n
        base, _dot, suffix = metric.partition(".")
        if base in ("in", "out"):
            delta = sign * n if base == "in" else -sign * n
            for basis in ((DECISION, CEREMONY) if not suffix else ("." + suffix,)):
                balances[(org, "bal" + basis, day)] += delta
    values = [(org, metric, key, day, n) for (org, metric, key, day), n in sorted(total.items())
              if n]
    table = Rollup._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (organisation_id, metric, item, day, n) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (organisation_id, metric, item, day) "
            f"DO UPDATE SET n = {table}.n + excluded.n", values)
        cursor.execute(f"DELETE FROM {table} WHERE n = 0 AND metric NOT LIKE 'bal%%' AND "
                       f"organisation_id IN ({_id_list({v[0] for v in values})})")
        updates = [(n, org, metric, day) for (org, metric, day), n in sorted(balances.items())
                   if n]
        if updates:
            cursor.executemany(
                f"UPDATE {table} SET n = n + %s WHERE organisation_id = %s AND metric = %s "
                "AND item = '' AND day >= %s", updates)


# The models whose rows the rollups add up, and what a set of their rows contributes.
CONTRIBUTIONS = {Movement: movement_contributions, Candidate: candidate_contributions}


def added(model, ids) -> None:
    """After rows of `model` were written (saved, or in bulk): their contributions."""
    apply(CONTRIBUTIONS[model](ids), +1)


def removing(model, ids) -> None:
    """Before rows of `model` are changed: their contributions taken off."""
    apply(CONTRIBUTIONS[model](ids), -1)


def rebuild(today: date) -> int:
    """Every rollup row recomputed from the events, in one transaction; returns the rows."""
    table = Rollup._meta.db_table
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            # Millions of rows: aggregate in memory, and build the unique index once at the
            # end rather than row by row (the table is locked until the rebuild commits).
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {UNIQUE}")
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")
        # In the index's order, so an organisation's rows sit together on disk.
        cursor.execute(f"INSERT INTO {table} (organisation_id, metric, item, day, n) "
                       f"SELECT * FROM ({expected_sql()}) e WHERE 1 = 1 "
                       "ORDER BY organisation_id, metric, day, item")
        if postgres:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {UNIQUE} "
                           "UNIQUE (organisation_id, metric, day, item)")
        for basis in (DECISION, CEREMONY):
            cursor.execute(f"INSERT INTO {table} (organisation_id, metric, item, day, n) "
                           + _balance_sql(basis, date(today.year, 1, 1), table))
        if postgres:
            cursor.execute(f"ANALYZE {table}")
        return Rollup.objects.count()


@dataclass
class Difference:
    organisation_id: int
    metric: str
    item: str
    day: date
    stored: int
    expected: int


def differences(limit: int = 100) -> tuple[int, list[Difference]]:
    """Rollup rows that disagree with the events, compared in the database: (how many, the
    first `limit`). Balance checkpoints are checked where they exist: each must equal the
    members on its day as the events count them."""
    table = Rollup._meta.db_table
    expected = ("SELECT organisation_id, metric, item, day, SUM(n) AS n FROM "
                f"({expected_sql()}) e GROUP BY organisation_id, metric, item, day")
    stored = (f"SELECT organisation_id, metric, item, day, n FROM {table} "
              "WHERE n <> 0 AND metric NOT LIKE 'bal%%'")
    ours = "SELECT organisation_id, metric, item, day, n FROM rollup_expected WHERE n <> 0"
    rows_sql = f"""SELECT organisation_id, metric, item, day FROM (
            {ours} EXCEPT {stored}) a
        UNION
        SELECT organisation_id, metric, item, day FROM ({stored} EXCEPT {ours}) b"""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE rollup_expected AS {expected}")
        try:
            cursor.execute(rows_sql)
            keys = sorted((org, metric, item, _as_date(day)) for org, metric, item, day in cursor)
            found = [Difference(*k, _stored(k), _expected_n(cursor, k)) for k in keys[:limit]]
            balances = []
            for basis in (DECISION, CEREMONY):
                cursor.execute(f"""SELECT c.organisation_id, c.metric, c.day, c.n, b.n
                    FROM {table} c LEFT JOIN ({_balance_sql(basis, FAR, 'rollup_expected')}) b
                      ON b.organisation_id = c.organisation_id AND b.day = c.day
                    WHERE c.metric = 'bal{basis}'""")
                for org, metric, day, n, should in cursor:
                    if should is None:  # no movement that year: the last year that had one
                        should = _balance_before(cursor, org, basis, _as_date(day))
                    if n != should:
                        balances.append(Difference(org, metric, "", _as_date(day), n, should))
        finally:
            cursor.execute("DROP TABLE rollup_expected")
    return len(keys) + len(balances), (found + balances)[:limit]


def _balance_before(cursor, org: int, basis: str, day: date) -> int:
    cursor.execute(f"SELECT COALESCE({NET}, 0) FROM rollup_expected WHERE organisation_id = %s "
                   f"AND metric IN ({moves_of(basis)}) AND day <= %s", [org, day])
    return cursor.fetchone()[0]


def _stored(key) -> int:
    org, metric, item, day = key
    row = Rollup.objects.filter(organisation_id=org, metric=metric, item=item, day=day).first()
    return row.n if row else 0


def _expected_n(cursor, key) -> int:
    org, metric, item, day = key
    cursor.execute("SELECT COALESCE(SUM(n), 0) FROM rollup_expected WHERE organisation_id = "
                   "%s AND metric = %s AND item = %s AND day = %s", [org, metric, item, day])
    return cursor.fetchone()[0]


def checkpoint(today: date) -> int:
    """Year-end checkpoints for the complete years that have none yet (the year that just
    ended, on 1 January), without a rebuild; writers wait while it adds up (readers do not).
    Returns the rows written."""
    table = Rollup._meta.db_table
    last = Rollup.objects.filter(metric__startswith="bal").order_by("-day").values_list(
        "day", flat=True).first()
    first_year = last.year + 1 if last else None
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        if first_year is None:  # never rebuilt: the first year of the history
            cursor.execute(f"SELECT MIN(day) FROM {table} WHERE metric LIKE 'in%%'")
            earliest = cursor.fetchone()[0]
            first_year = _as_date(earliest).year if earliest else today.year
        for year in range(first_year, today.year):
            end = date(year, 12, 31)
            for basis in (DECISION, CEREMONY):
                cursor.execute(
                    f"INSERT INTO {table} (organisation_id, metric, item, day, n) "
                    f"SELECT * FROM (SELECT organisation_id, 'bal{basis}' AS metric, '' AS item, "
                    f"%s AS day, {NET} AS n FROM {table} WHERE metric IN ({moves_of(basis)}) "
                    "AND day <= %s GROUP BY organisation_id) c WHERE 1 = 1 "
                    "ON CONFLICT (organisation_id, metric, item, day) DO NOTHING",
                    [end, end])
                written += cursor.rowcount
    return written
