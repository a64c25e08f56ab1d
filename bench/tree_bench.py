"""Subtree queries at national size: 55,000 grassroots organisations under 63 provinces,
about 300,000 organisations in all, 600,000 members. Measures a province's subtree (and its
members) through the ORM scoping against the same range query in bare SQL, in one run, and
prints PostgreSQL's plan to show the index is used.

    createdb -h 127.0.0.1 -U postgres phattrien_bench_tree
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phattrien_bench_tree \
        .venv/bin/python bench/tree_bench.py
"""
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from members.models import PATH_STEP, Member, Organisation, subtree_bounds  # noqa: E402

PROVINCES, GRASSROOTS, BRANCHES, MEMBERS = 63, 873, 4, 2  # 63 × 873 ≈ 55,000 grassroots


def build():
    call_command("migrate", verbosity=0)
    if Organisation.objects.exists():
        return
    orgs, n = [], 0

    def org(path, kind, parent_code):
        nonlocal n
        n += 1
        return Organisation(code=f"O{n}", name=f"Tổ chức {n}", kind=kind, path=path,
                            depth=len(path) // PATH_STEP)

    for p in range(1, PROVINCES + 1):
        pp = f"{p:0{PATH_STEP}d}"
        orgs.append(org(pp, "upper_committee", None))
        for g in range(1, GRASSROOTS + 1):
            gp = pp + f"{g:0{PATH_STEP}d}"
            orgs.append(org(gp, "grassroots_committee", None))
            for b in range(1, BRANCHES + 1):
                orgs.append(org(gp + f"{b:0{PATH_STEP}d}", "branch", None))
    Organisation.objects.bulk_create(orgs, batch_size=5000)
    branches = Organisation.objects.filter(kind="branch").values_list("pk", flat=True)
    Member.objects.bulk_create(
        [Member(full_name=f"Đảng viên {i}", search_name=f"dang vien {i}",
                birth_date=date(1980, 1, 1), sex="male", organisation_id=b,
                admitted_date=date(2010, 1, 1), official_date=date(2011, 1, 1),
                status="official")
         for i, b in enumerate(b for b in branches for _ in range(MEMBERS))],
        batch_size=10000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def timed(fn, repeat=20):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    build()
    province = Organisation.objects.get(path=f"{PROVINCES // 2:0{PATH_STEP}d}")
    low, high = subtree_bounds(province.path)
    total = Organisation.objects.count()
    orm_orgs, n_orgs = timed(lambda: Organisation.objects.subtree_of(province).count())
    orm_members, n_members = timed(lambda: Member.objects.in_subtree_of(province).count())

    def bare(sql, params):
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchone()[0]

    sql_orgs, _ = timed(lambda: bare(
        "SELECT count(*) FROM members_organisation WHERE path >= %s AND path < %s", [low, high]))
    sql_members, _ = timed(lambda: bare(
        "SELECT count(*) FROM members_member m JOIN members_organisation o "
        "ON o.id = m.organisation_id WHERE o.path >= %s AND o.path < %s", [low, high]))
    print(f"organisations in all: {total:,}; one province's subtree: {n_orgs:,} organisations, "
          f"{n_members:,} members")
    print(f"subtree organisations: ORM {orm_orgs * 1000:.2f} ms, bare SQL "
          f"{sql_orgs * 1000:.2f} ms, ratio {orm_orgs / sql_orgs:.2f}")
    print(f"subtree members:       ORM {orm_members * 1000:.2f} ms, bare SQL "
          f"{sql_members * 1000:.2f} ms, ratio {orm_members / sql_members:.2f}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            qs = Organisation.objects.subtree_of(province).only("pk")
            cur.execute("EXPLAIN " + str(qs.query).replace(low, f"'{low}'").replace(
                high, f"'{high}'"))
            print("plan:", " / ".join(row[0].strip() for row in cur.fetchall()[:3]))


if __name__ == "__main__":
    main()
