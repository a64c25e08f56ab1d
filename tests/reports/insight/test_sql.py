"""The insight views' shared SQL against known answers: working days as the Python calendar
counts them, percentiles as `statistics` computes them, and stays from a dossier's steps."""
import random
import statistics
from datetime import date, timedelta

import pytest

from recruitment.calendar import WorkingCalendar
from recruitment.models import Candidate, Holiday, StageEvent
from reports.insight.sql import (
    MEDIAN,
    P90,
    fetch,
    quantiles_sql,
    stints_sql,
    working_days_sql,
    working_ordinal,
)


def _values_sql(rows):
    return " UNION ALL ".join(f"SELECT '{g}' AS g, {v} AS x" for g, v in rows)


@pytest.mark.django_db
def test_working_days_equal_the_calendar():
    tet = [date(2025, 1, 27) + timedelta(days=i) for i in range(7)]  # Mon–Sun of Tết
    Holiday.objects.bulk_create([Holiday(date=d, name="Tết") for d in tet]
                                + [Holiday(date=date(2025, 9, 2), name="Quốc khánh")],
                                ignore_conflicts=True)
    calendar = WorkingCalendar.load()
    rng = random.Random(7)
    pairs = [(date(2024, 12, 1) + timedelta(days=rng.randrange(400)),
              date(2024, 12, 1) + timedelta(days=rng.randrange(400))) for _ in range(60)]
    pairs += [(date(2025, 1, 24), date(2025, 2, 3)), (date(2025, 1, 25), date(2025, 1, 26))]
    source = " UNION ALL ".join(f"SELECT '{a}' AS a, '{b}' AS b" for a, b in pairs)
    rows = fetch(f"SELECT a, b, {working_days_sql('a', 'b')} AS n FROM ({source}) d", [])
    assert [r["n"] for r in rows] == [calendar.working_days_between(a, b) for a, b in pairs]
    # Friday before Tết to the Monday after it: one working day (the Monday).
    assert rows[-2]["n"] == 1
    # A weekend counts nothing.
    assert rows[-1]["n"] == 0
    # 01/01/1900 (a Monday) is working day 1.
    assert fetch(f"SELECT {working_ordinal(chr(39) + '1900-01-01' + chr(39))} AS n", [])[0][
        "n"] == 1


@pytest.mark.django_db
def test_quantiles_equal_statistics_inclusive():
    rng = random.Random(3)
    groups = {"a": [5], "b": [1, 2], "c": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3],
              "d": [rng.randrange(300) for _ in range(97)]}
    rows = [(g, v) for g, values in groups.items() for v in values]
    got = {r["g"]: r for r in fetch(quantiles_sql(_values_sql(rows), ["g"], "x"), [])}
    for g, values in groups.items():
        assert got[g]["n"] == len(values)
        assert got[g]["median"] == pytest.approx(statistics.median(values))
        p90 = (values[0] if len(values) == 1 else
               statistics.quantiles(values, n=10, method="inclusive")[8])
        assert got[g]["p90"] == pytest.approx(p90)
    # Known answers: 1,1,2,3,3,4,5,5,6,9 → median 3.5, p90 at rank 9.1 → 6 + 0.1 × 3 = 6.3.
    assert (got["c"]["median"], got["c"]["p90"]) == (pytest.approx(3.5), pytest.approx(6.3))
    # No groups: the whole set.
    whole = fetch(quantiles_sql(_values_sql(rows), [], "x", (MEDIAN, P90)), [])[0]
    assert whole["n"] == len(rows)


@pytest.mark.django_db
def test_stints_follow_the_steps(tree):
    c = Candidate.objects.create(
        full_name="Lê Văn Bình", birth_date=date(1998, 1, 1), sex="male",
        education="upper_secondary", organisation=tree.b1, added_date=date(2025, 3, 3),
        plan_year=2025, stage="helper_assigned", stage_date=date(2025, 3, 10))
    steps = [("add_to_pool", "source_pool", "source_pool", date(2025, 3, 3)),
             ("assign_helper", "source_pool", "helper_assigned", date(2025, 3, 10)),
             ("note", "helper_assigned", "helper_assigned", date(2025, 3, 12))]
    for action, a, b, day in steps:
        StageEvent.objects.create(candidate=c, action=action, from_stage=a, to_stage=b,
                                  event_date=day)
    sql, params = stints_sql(tree.root.path, date(2025, 1, 1), date(2025, 12, 31),
                             date(2025, 3, 31))
    rows = sorted(fetch(sql, params), key=lambda r: str(r["entered_on"]))
    assert [(r["stage"], r["days"]) for r in rows] == [
        ("source_pool", 5),  # Mon 03/03 → Mon 10/03: five working days
        ("helper_assigned", 15),  # open on 31/03: 11/03 … 31/03
    ]
    assert rows[1]["left_on"] is None
    # Another subtree sees none of them; a period before the entry neither.
    sql, params = stints_sql(tree.gc2.path, date(2025, 1, 1), date(2025, 12, 31),
                             date(2025, 3, 31))
    assert fetch(sql, params) == []
    sql, params = stints_sql(tree.root.path, date(2024, 1, 1), date(2024, 12, 31),
                             date(2024, 12, 31))
    assert fetch(sql, params) == []
