"""Import benchmark: 10,000 candidate rows with full history (source pool → official member:
nine stage events, a member and two decisions each) on PostgreSQL, through the bulk import of
`members/importing.py`, timed against django-import-export's default row-by-row
`Resource.import_data` of the same file doing the same work (each row's history built by the
same code, then saved one object at a time), in the same run. Not part of the test suite.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--baseline-rows 10000]

Creates (and drops first) its own database, by default
postgres://postgres@127.0.0.1:5432/phattrien_bench_import (BENCH_DATABASE_URL overrides).
"""
import argparse
import io
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
URL = os.environ.get("BENCH_DATABASE_URL",
                     "postgres://postgres@127.0.0.1:5432/phattrien_bench_import")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("LOG_LEVEL", "ERROR")


def create_database():
    import psycopg

    url = urlparse(URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


create_database()

import django  # noqa: E402

django.setup()

import tablib  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from members import importing  # noqa: E402
from members.models import PATH_STEP, Member, Organisation  # noqa: E402
from members.resources import write_xlsx  # noqa: E402
from recruitment.models import Candidate, Decision, StageEvent  # noqa: E402
from recruitment.resources import CandidatePlanner, CandidateResource  # noqa: E402

GRASSROOTS, BRANCHES, HELPERS = 10, 10, 5  # 100 branches, 500 helpers


def build_tree():
    call_command("migrate", verbosity=0)
    orgs = [Organisation(code="DBK", name="Đảng bộ Khối", kind="upper_committee",
                         path="00001", depth=1)]
    for g in range(1, GRASSROOTS + 1):
        gp = f"00001{g:0{PATH_STEP}d}"
        orgs.append(Organisation(code=f"G{g}", name=f"Đảng bộ cơ sở {g}",
                                 kind="grassroots_committee", path=gp, depth=2))
        for b in range(1, BRANCHES + 1):
            orgs.append(Organisation(code=f"G{g}-B{b}", name=f"Chi bộ {g}.{b}", kind="branch",
                                     path=gp + f"{b:0{PATH_STEP}d}", depth=3))
    by_path = {}
    for o in orgs:
        o.parent = by_path.get(o.path[:-PATH_STEP])
        Organisation.objects.bulk_create([o])
        by_path[o.path] = o
    branches = [o for o in orgs if o.kind == "branch"]
    Member.objects.bulk_create([
        Member(full_name=f"Đảng viên Giúp Đỡ {b.code}-{h}", search_name=f"dv {b.code}-{h}",
               birth_date=date(1975, 1, 1), sex="male", organisation=b,
               card_number=f"{b.code}-{h}", admitted_date=date(2000, 1, 1),
               official_date=date(2001, 1, 1), status="official")
        for b in branches for h in range(HELPERS)])
    return branches


def fmt(day):
    return day.strftime("%d/%m/%Y")


def candidate_rows(n, branches):
    """n people, each through every step, dates spread over 2016–2024 (so rules are judged
    by the parameters of different years)."""
    resource = CandidateResource()
    rows = []
    for i in range(n):
        branch = branches[i % len(branches)]
        start = date(2016, 1, 4) + timedelta(days=(i * 7) % 2500)
        born = date(1990 + i % 10, 1 + i % 12, 1 + i % 28)
        rows.append({
            "Họ và tên": f"Người Thứ {i}", "Ngày sinh": fmt(born),
            "Giới tính": "Nữ" if i % 2 else "Nam", "Dân tộc": "Kinh", "Tôn giáo": "Không",
            "Số CCCD": f"{i:012d}", "Trình độ học vấn": "12/12",
            "Trình độ chuyên môn": "Cử nhân", "Đoàn viên": "Có",
            "Nguồn giới thiệu": "Đoàn Thanh niên", "Mã tổ chức": branch.code,
            "Ngày vào danh sách dự nguồn": fmt(start),
            "Đảng viên theo dõi, giúp đỡ": f"{branch.code}-{i % HELPERS}",
            "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": fmt(start + timedelta(days=60)),
            "Số giấy chứng nhận": f"{i}/GCN",
            "Ngày chi bộ xét": fmt(start + timedelta(days=130)),
            "Ngày đảng ủy cơ sở xét": fmt(start + timedelta(days=145)),
            "Số quyết định kết nạp": f"{i}-QĐ/ĐUK",
            "Ngày quyết định kết nạp": fmt(start + timedelta(days=175)),
            "Ngày kết nạp": fmt(start + timedelta(days=190)),
            "Ngày hoàn thành lớp đảng viên mới": fmt(start + timedelta(days=320)),
            "Số quyết định công nhận chính thức": f"{i}-QĐ/CT",
            "Ngày công nhận chính thức": fmt(start + timedelta(days=190 + 365)),
            "Ngày quyết định công nhận": fmt(start + timedelta(days=190 + 400)),
            "Trạng thái kết thúc": "", "Ngày kết thúc": "",
        })
    out = io.BytesIO()
    write_xlsx(out, resource.headers(), ([r[h] for h in resource.headers()] for r in rows))
    return out.getvalue()


def counts():
    return {"candidates": Candidate.objects.count(), "events": StageEvent.objects.count(),
            "members": Member.objects.count(), "decisions": Decision.objects.count()}


def clear():
    with connection.cursor() as cur:
        cur.execute("DELETE FROM recruitment_decision; DELETE FROM recruitment_stageevent;"
                    "DELETE FROM recruitment_candidate;"
                    "DELETE FROM members_member WHERE card_number IS NULL;")


class RowByRowCandidateResource(CandidateResource):
    """django-import-export's default import (instance lookup by citizen ID, widgets that
    query per row, one transaction, diffs) with each row's history built by the same planner
    and saved one object at a time, as a straightforward resource would."""

    def save_instance(self, instance, is_create, row, **kwargs):
        parsed = importing.Row(0, {}, {})
        for column in self.columns():
            value = column.parse(row.get(column.column_name))
            parsed.values[column.column_name] = value
            parsed.text[column.column_name] = column.text(value)
        batch = importing.Batch(self, user=None, present=set(row.keys()), rows=[parsed],
                                legacy=True)
        CandidatePlanner(self, batch).plan()
        if batch.errors:
            raise ValueError("; ".join(str(e) for e in batch.errors))
        state = batch.state
        for obj in (*state["new_members"], *state["new"], *state["events"],
                    *state["decisions"]):
            obj.save()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=None,
                        help="rows for the row-by-row baseline (default: the same file)")
    args = parser.parse_args()
    branches = build_tree()
    data = candidate_rows(args.rows, branches)
    print(f"{args.rows} candidate rows with full history, XLSX of {len(data) / 1e6:.1f} MB, "
          f"PostgreSQL {connection.pg_version // 10000}")

    start = time.perf_counter()
    # Generated histories break rules on some rows, as old paper records do.
    outcome = importing.run("candidates", io.BytesIO(data), user=None, commit=True, legacy=True)
    bulk = time.perf_counter() - start
    assert outcome.ok and outcome.created == args.rows, [str(e) for e in outcome.errors[:5]]
    bulk_counts = counts()
    print(f"bulk import (members/importing.py):          {bulk:7.1f} s  {bulk_counts}")

    clear()
    baseline_rows = args.baseline_rows or args.rows
    baseline_data = data if baseline_rows == args.rows else candidate_rows(baseline_rows,
                                                                           branches)
    start = time.perf_counter()
    dataset = tablib.Dataset().load(baseline_data, format="xlsx")
    result = RowByRowCandidateResource().import_data(dataset, raise_errors=True)
    row_by_row = time.perf_counter() - start
    assert not result.has_errors() and not result.has_validation_errors()
    row_counts = counts()
    print(f"row by row (import-export Resource.import_data): {row_by_row:7.1f} s  {row_counts}")
    if baseline_rows != args.rows:
        row_by_row *= args.rows / baseline_rows
        print(f"  scaled to {args.rows} rows: {row_by_row:.1f} s")
    else:
        assert row_counts == bulk_counts, "both imports must write the same data"
    print(f"speed-up: {row_by_row / bulk:.1f}×  (target ≥ 5×, bulk < 20 s: "
          f"{'met' if row_by_row / bulk >= 5 and bulk < 20 else 'NOT met'})")


if __name__ == "__main__":
    main()
