"""Import benchmark: candidate rows with full history (source pool → official member: nine
stage events, a member and two decisions each) on PostgreSQL, through the bulk import of
`members/importing.py`, timed against django-import-export's default row-by-row
`Resource.import_data` of the same kind of file doing the same work (each row's history built
by the same code, then saved one object at a time). Not part of the test suite.

    .venv/bin/python bench/import_bench.py [--rows 10000 100000] [--baseline-rows 10000]
                                           [--trace] [--no-baseline]

Every measurement runs in a fresh subprocess, so peaks do not mix: one writes the XLSX, one
imports it (time; peak RSS of the process, and peak RSS of the import alone: VmHWM reset just
before it), one runs the row-by-row baseline; with --trace one more imports it under
tracemalloc (Python objects' peak and the top allocators near that peak: slower, its time is
not the one reported). Each child creates (and drops first) its own database, by default
postgres://postgres@127.0.0.1:5432/phattrien_bench_import (BENCH_DATABASE_URL overrides).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL",
                     "postgres://postgres@127.0.0.1:5432/phattrien_bench_import")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("LOG_LEVEL", "ERROR")

GRASSROOTS, BRANCHES, HELPERS = 10, 10, 5  # 100 branches, 500 helpers
BRANCH_CODES = [f"G{g}-B{b}" for g in range(1, GRASSROOTS + 1) for b in range(1, BRANCHES + 1)]


def create_database():
    import psycopg

    url = urlparse(URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(database=True):
    if database:
        create_database()
    import django

    django.setup()


def build_tree():
    from django.core.management import call_command

    from members.models import PATH_STEP, Member, Organisation

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


def candidate_rows(n, out):
    """n people, each through every step, dates spread over 2016–2024 (so rules are judged
    by the parameters of different years), written as XLSX to the binary file `out`."""
    from members.resources import write_xlsx
    from recruitment.resources import CandidateResource

    headers = CandidateResource().headers()

    def row(i):
        code = BRANCH_CODES[i % len(BRANCH_CODES)]
        start = date(2016, 1, 4) + timedelta(days=(i * 7) % 2500)
        born = date(1990 + i % 10, 1 + i % 12, 1 + i % 28)
        values = {
            "Họ và tên": f"Người Thứ {i}", "Ngày sinh": fmt(born),
            "Giới tính": "Nữ" if i % 2 else "Nam", "Dân tộc": "Kinh", "Tôn giáo": "Không",
            "Số CCCD": f"{i:012d}", "Trình độ học vấn": "12/12",
            "Trình độ chuyên môn": "Cử nhân", "Đoàn viên": "Có",
            "Nguồn giới thiệu": "Đoàn Thanh niên", "Mã tổ chức": code,
            "Ngày vào danh sách dự nguồn": fmt(start),
            "Đảng viên theo dõi, giúp đỡ": f"{code}-{i % HELPERS}",
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
        }
        return [values.get(h, "") for h in headers]

    write_xlsx(out, headers, (row(i) for i in range(n)))


def counts():
    from members.models import Member
    from recruitment.models import Candidate, Decision, StageEvent

    return {"candidates": Candidate.objects.count(), "events": StageEvent.objects.count(),
            "members": Member.objects.count(), "decisions": Decision.objects.count()}


# Memory of this process: the peak since start (getrusage), the peak since `reset_peak()`
# (VmHWM of /proc/self/status, which writing 5 to /proc/self/clear_refs resets), the current.

def _status(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def cpu_seconds() -> float:
    """CPU time of this process (user + system): unlike the wall clock, not stretched by
    other work on the machine (the database's own time is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def memory():
    return {"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "hwm_mb": _status("VmHWM"), "rss_mb": _status("VmRSS")}


class PeakSnapshots:
    """Under tracemalloc: a thread that polls the traced size and keeps a snapshot each time
    it grows 5 % past the last one, so the last kept is near the peak."""

    def __init__(self, interval=0.25):
        self.interval, self.best, self.snapshot = interval, 0, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _poll(self):
        import tracemalloc

        while not self._stop.wait(self.interval):
            current = tracemalloc.get_traced_memory()[0]
            if current > self.best * 1.05:
                self.snapshot = tracemalloc.take_snapshot()
                self.best = tracemalloc.get_traced_memory()[0]

    def top(self, n=12):
        import tracemalloc

        if self.snapshot is None:
            return []
        snap = self.snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        return [f"{s.size / 1e6:8.1f} MB {s.count:9d} blocks  {s.traceback[0]}"
                for s in snap.statistics("lineno")[:n]]


# Children: each prints one JSON line.

def child_gen(args):
    setup(database=False)
    with open(args.file, "wb") as out:
        candidate_rows(args.rows, out)
    return {"bytes": os.path.getsize(args.file)}


def child_bulk(args):
    setup()
    from django.db import connection

    from members import importing

    build_tree()
    connection.close()  # the import opens its own, as a job does
    before = memory()
    trace = None
    if args.trace:
        import tracemalloc

        tracemalloc.start(1)
        trace = PeakSnapshots()
        trace.__enter__()
    reset = reset_peak()
    start, cpu = time.perf_counter(), cpu_seconds()
    with open(args.file, "rb") as source:
        # Generated histories break rules on some rows, as old paper records do.
        outcome = importing.run("candidates", source, user=None, commit=True, legacy=True)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    result = {"seconds": seconds, "cpu": cpu, "before": before, "after": memory(),
              "hwm_reset": reset, "ok": outcome.ok, "created": outcome.created,
              "warnings": len(outcome.warnings), "errors": [str(e) for e in outcome.errors[:5]]}
    if trace is not None:
        import tracemalloc

        trace.__exit__(None, None, None)
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        result["top"] = trace.top()
        tracemalloc.stop()
    result["counts"] = counts()
    return result


class _RowByRow:
    """django-import-export's default import (instance lookup by citizen ID, widgets that
    query per row, one transaction, diffs) with each row's history built by the same planner
    and saved one object at a time, as a straightforward resource would."""

    @staticmethod
    def make():
        from members import importing
        from recruitment.resources import CandidatePlanner, CandidateResource

        class RowByRowCandidateResource(CandidateResource):
            def save_instance(self, instance, is_create, row, **kwargs):
                parsed = importing.Row(0, {}, {})
                for column in self.columns():
                    value = column.parse(row.get(column.column_name))
                    parsed.values[column.column_name] = value
                    parsed.text[column.column_name] = column.text(value)
                batch = importing.Batch(self, user=None, present=set(row.keys()),
                                        rows=[parsed], legacy=True)
                CandidatePlanner(self, batch).plan()
                if batch.errors:
                    raise ValueError("; ".join(str(e) for e in batch.errors))
                state = batch.state
                for obj in (*state["new_members"], *state["new"], *state["events"],
                            *state["decisions"]):
                    obj.save()

        return RowByRowCandidateResource()


def child_rowbyrow(args):
    setup()
    import tablib

    build_tree()
    before = memory()
    reset = reset_peak()
    start, cpu = time.perf_counter(), cpu_seconds()
    with open(args.file, "rb") as f:
        dataset = tablib.Dataset().load(f.read(), format="xlsx")
    result = _RowByRow.make().import_data(dataset, raise_errors=True)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert not result.has_errors() and not result.has_validation_errors()
    return {"seconds": seconds, "cpu": cpu, "before": before, "after": memory(),
            "hwm_reset": reset, "counts": counts()}


CHILDREN = {"gen": child_gen, "bulk": child_bulk, "rowbyrow": child_rowbyrow}


def spawn(what, **options):
    command = [sys.executable, __file__, "--child", what]
    for key, value in options.items():
        if value is True:
            command.append(f"--{key}")
        elif value not in (None, False):
            command += [f"--{key}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{what} failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak(result):
    """The import's own peak (VmHWM reset just before it) when the kernel allows the reset."""
    after = result["after"]
    return after["hwm_mb"] if result.get("hwm_reset") and after["hwm_mb"] else after["maxrss_mb"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000])
    parser.add_argument("--baseline-rows", type=int, default=None,
                        help="rows for the row-by-row baseline (default: each file's own)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--trace", action="store_true",
                        help="also import once under tracemalloc: Python peak, top allocators")
    parser.add_argument("--child", choices=list(CHILDREN))
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        args.rows = args.rows[0]
        print(json.dumps(CHILDREN[args.child](args)))
        return

    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        files = {}

        def file_for(n):
            if n not in files:
                files[n] = os.path.join(tmp, f"candidates-{n}.xlsx")
                size = spawn("gen", rows=n, file=files[n])["bytes"]
                print(f"{n} candidate rows with full history: XLSX of {size / 1e6:.1f} MB")
            return files[n]

        baselines = {}
        for n in args.rows:
            bulk = spawn("bulk", rows=n, file=file_for(n))
            assert bulk["ok"] and bulk["created"] == n, bulk["errors"]
            print(f"bulk import of {n} rows (members/importing.py): {bulk['seconds']:7.1f} s "
                  f"(CPU {bulk['cpu']:.1f} s), {bulk['warnings']} warnings, "
                  f"peak RSS of the import {peak(bulk):6.0f} MB (of the process "
                  f"{bulk['after']['maxrss_mb']:.0f} MB, {bulk['before']['rss_mb']:.0f} MB "
                  f"before the import)  {bulk['counts']}")
            if args.trace:
                traced = spawn("bulk", rows=n, file=file_for(n), trace=True)
                print(f"  tracemalloc peak of Python objects: {traced['traced_peak_mb']:.0f} MB;"
                      f" near the peak:")
                for line in traced["top"]:
                    print("   ", line)
            if args.no_baseline:
                continue
            b = args.baseline_rows or n
            if b not in baselines:
                baselines[b] = spawn("rowbyrow", rows=b, file=file_for(b))
                r = baselines[b]
                print(f"row by row of {b} rows (import-export Resource.import_data): "
                      f"{r['seconds']:7.1f} s (CPU {r['cpu']:.1f} s), peak RSS {peak(r):6.0f} MB"
                      f"  {r['counts']}")
            r = baselines[b]
            row_by_row = r["seconds"] * n / b
            if b == n:
                assert r["counts"] == bulk["counts"], "both imports must write the same data"
            else:
                print(f"  row by row scaled to {n} rows: {row_by_row:.1f} s")
            ratio = row_by_row / bulk["seconds"]
            fast = ratio >= 5 and bulk["seconds"] < 20 * n / 10_000
            print(f"speed-up at {n} rows: {ratio:.1f}×  (target ≥ 5×, bulk < 20 s per 10,000 "
                  f"rows: {'met' if fast else 'NOT met'}; peak RSS < 500 MB: "
                  f"{'met' if peak(bulk) < 500 else 'NOT met'})")


if __name__ == "__main__":
    main()
