"""The pages and computations that must hold at the size of the whole country, measured on
the database bench/national.py builds (2,000,000 members, 1,000,000 candidates, ~10 million
stage events; it is built first if it is not there).

In process, with Django's test `Client` logged in (force_login) as the bench users of
bench/national.py, under config.settings_test (DEBUG off; `testserver` is added to
ALLOWED_HOSTS here). Each measurement runs once to warm up, then 5 times (once when the
warm-up took more than 10 s, not again past 60 s: then the warm-up is the figure); the
table gives the median, the queries of the warm-up run and the time those queries took in
the database, and a ratio where a goal is a ratio:

  dashboard   the leadership home `/` at province (T01) and country (TW) scope
  report      `reports:report` for the current term and the current year, for the bench
              branch, the province and the country
  figures     `reports.selectors.compute_figures`, province and country, current term
  documents   term report of the province: XLSX against PDF (`reports.documents.render`,
              the figures computed once beforehand), goal XLSX ≤ 2× PDF
  lists       member and candidate lists at country scope: first page, and page 500 (the
              keyset cursor of its first row, as the "Trang sau" links carry it)
  search      "nguyen thi" and a CCCD on the member and candidate lists at branch, province
              and country scope, against the Django admin changelist of the same model with
              the same search (`/admin/…/?q=`) by the administrator of the same scope;
              goal page < 0.25× admin
  insight     the four insight views (reports/insight/) of the current term, province and
              country: the worker's computation (`snapshots.store`, once), then the page as
              the leader reads it the rest of the day (the stored figures), goal < 300 ms
  baseline    one indexed lookup of precomputed figures (`reports_rollup`, when the table
              exists): the dashboard and report pages as a ratio to it, goal ≤ 3× and < 300 ms

Each measurement is guarded: a page that fails prints its error (and traceback) and the bench
goes on. Not part of the test suite.

    .venv/bin/python bench/national_bench.py
    .venv/bin/python bench/national_bench.py --only dashboard,report
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/national_bench.py
"""
import argparse
import os
import statistics
import sys
import time
import traceback
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phattrien_national"
URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
sys.path.insert(0, str(ROOT_DIR / "bench"))

GROUPS = ["dashboard", "report", "figures", "documents", "lists", "search", "insight",
          "baseline"]
RUNS, SLOW, VERY_SLOW = 5, 10.0, 60.0
NAME_SEARCH = "nguyen thi"


def ensure_built():
    """Build the country with bench/national.py when its database holds no finished build."""
    import subprocess

    import psycopg

    base, name = URL.rsplit("/", 1)
    ready = False
    try:
        with psycopg.connect(URL) as conn:
            ready = bool(conn.execute(
                "SELECT to_regclass('bench_national_marker') IS NOT NULL").fetchone()[0]) and \
                conn.execute("SELECT count(*) FROM bench_national_marker").fetchone()[0] > 0
    except psycopg.OperationalError:
        ready = False
    if not ready:
        print(f"{name}: no finished build, running bench/national.py first", flush=True)
        subprocess.run([sys.executable, str(ROOT_DIR / "bench" / "national.py")], check=True)


class Row:
    def __init__(self, what, ms=None, queries=None, db_ms=None, ratio=None, goal="",
                 note=""):
        self.what, self.ms, self.queries, self.db_ms = what, ms, queries, db_ms
        self.ratio, self.goal, self.note = ratio, goal, note


ROWS: list[Row] = []


def measure(fn, *, count=True):
    """(median seconds, queries, database seconds, result) of `fn`. The warm-up run is the
    counted one (queries and their database time); a slow `fn` is run again once at most."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = db = None
    started = time.perf_counter()
    if count:
        with CaptureQueriesContext(connection) as ctx:
            result = fn()
        queries = len(ctx.captured_queries)
        db = sum(float(q["time"]) for q in ctx.captured_queries)
    else:
        result = fn()
    warm = time.perf_counter() - started
    runs = 0 if warm > VERY_SLOW else 1 if warm > SLOW else RUNS
    if runs == 0:
        print(f"    (warm-up {warm:,.0f} s: not run again)", flush=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    median = statistics.median(times) if times else warm
    return median, queries, db, result


def guarded(what, goal=""):
    """Run one measurement; an error is printed, recorded in the table and passed over."""
    def wrap(fn):
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as err:  # noqa: BLE001 – one failing page must not stop the bench
                print(f"\n!! {what}: {type(err).__name__}: {err}", flush=True)
                traceback.print_exc()
                ROWS.append(Row(what, goal=goal, note=f"ERROR {type(err).__name__}"))
                return None
        return run
    return wrap


def page(client, url):
    """A GET that must answer 200 (else an error with the start of the page)."""
    def get():
        response = client.get(url)
        if response.status_code != 200:
            body = response.content[:400].decode("utf-8", "replace")
            raise AssertionError(f"GET {url} → {response.status_code}: {body}")
        return response
    return get


def record(what, fn, goal="", count=True):
    median, queries, db, result = measure(fn, count=count)
    ROWS.append(Row(what, median * 1000, queries, None if db is None else db * 1000, goal=goal))
    print(f"  {what}: {median * 1000:,.0f} ms" + (f", {queries} queries" if queries else ""),
          flush=True)
    return median, result


class Bench:
    def __init__(self):
        import national
        from django.contrib.auth import get_user_model
        from django.test import Client

        from members.models import Organisation
        from recruitment.rules import today

        self.today = today()
        places = national.bench_places()
        self.root, self.province, self.branch = (places["root"], places["province"],
                                                 places["branch"])
        self.root = Organisation.objects.select_related("parent").get(pk=self.root.pk)
        self.province = Organisation.objects.select_related("parent").get(pk=self.province.pk)
        users = {u.username: u for u in get_user_model().objects.filter(
            username__in=[u[0] for u in national.USERS])}
        self.clients = {}
        for username, user in users.items():
            client = Client()
            client.force_login(user)
            self.clients[username] = client
        self.users = users
        self.baseline_ms = None
        self.page_rows = []  # rows compared with the baseline
        print(f"today {self.today}; branch {self.branch.code}, province {self.province.code}, "
              f"root {self.root.code}", flush=True)

    # ------------------------------------------------------------------ measurements
    def dashboard(self):
        for scope, username in [("province", "bench_tinh_lanhdao"),
                                ("country", "bench_tw_lanhdao")]:
            what = f"dashboard / ({scope})"
            guarded(what, "< 300 ms")(self._page_row)(what, self.clients[username], "/")

    def _page_row(self, what, client, url, goal="< 300 ms"):
        record(what, page(client, url), goal=goal)
        self.page_rows.append(ROWS[-1])

    def report(self):
        from django.urls import reverse

        from reports import periods

        for scope, org, username in [("branch", self.branch, "bench_chibo_bithu"),
                                     ("province", self.province, "bench_tinh_lanhdao"),
                                     ("country", self.root, "bench_tw_lanhdao")]:
            for label in (periods.current_term(org, self.today).label, str(self.today.year)):
                what = f"report {label} ({scope})"
                url = reverse("reports:report", args=[org.code, label])
                guarded(what, "< 300 ms")(self._page_row)(what, self.clients[username], url)

    def figures(self):
        from reports import periods
        from reports.selectors import compute_figures

        for scope, org in [("province", self.province), ("country", self.root)]:
            what = f"compute_figures term ({scope})"

            @guarded(what)
            def run(org=org, what=what):
                period = periods.current_term(org, self.today)
                record(what, lambda: compute_figures(org, period, today=self.today))
            run()

    def documents(self):
        from reports import documents, periods
        from reports.selectors import compute_figures

        @guarded("term XLSX vs PDF (province)", "XLSX ≤ 2× PDF")
        def run():
            period = periods.current_term(self.province, self.today)
            figures = compute_figures(self.province, period, today=self.today)
            t_pdf, pdf = record("render PDF term (province)",
                                lambda: documents.render(figures, "pdf"), count=False)
            t_xlsx, xlsx = record("render XLSX term (province)",
                                  lambda: documents.render(figures, "xlsx"), count=False)
            ROWS[-1].ratio = t_xlsx / t_pdf
            ROWS[-1].goal = "≤ 2× PDF"
            ROWS[-1].note = (f"{len(xlsx.content) / 1024:.0f} KiB vs PDF "
                             f"{len(pdf.content) / 1024:.0f} KiB")
        run()

    def lists(self):
        from urllib.parse import urlencode

        from django.urls import reverse

        from members import selectors as member_selectors
        from recruitment import selectors as candidate_selectors

        user = self.users["bench_tw_bantochuc"]
        client = self.clients["bench_tw_bantochuc"]
        page_size = 25
        deep = 500
        offset = (deep - 1) * page_size - 1  # the last row of page 499: the cursor of 500

        lists = [
            ("member list", reverse("members:member_list"),
             lambda: member_selectors.member_search(user)[0].order_by(
                 *member_selectors.MEMBER_ORDER).values_list("full_name", "pk")),
            ("candidate list", reverse("recruitment:candidate_list"),
             lambda: candidate_selectors.candidate_search(user)[0].order_by(
                 "search_name", "pk").values_list("search_name", "pk")),
        ]
        for name, url, keys in lists:
            guarded(f"{name} page 1 (country)")(record)(
                f"{name} page 1 (country)", page(client, url), goal="< 300 ms")

            @guarded(f"{name} page {deep} (country)")
            def deep_page(url=url, keys=keys, name=name):
                value, pk = keys()[offset]
                record(f"{name} page {deep} (country)",
                       page(client, f"{url}?{urlencode({'sau': f'{value}|{pk}'})}"),
                       goal="< 300 ms")
            deep_page()

    def search(self):
        from urllib.parse import urlencode

        from django.urls import reverse

        from members.models import Member
        from recruitment.models import Candidate

        member_id = (Member.objects.filter(organisation=self.branch, citizen_id__isnull=False)
                     .order_by("pk").values_list("citizen_id", flat=True).first())
        candidate_id = (Candidate.objects.filter(organisation=self.branch,
                                                 citizen_id__isnull=False)
                        .order_by("pk").values_list("citizen_id", flat=True).first())
        scopes = [("branch", "bench_chibo_bithu", "bench_chibo_quantri"),
                  ("province", "bench_tinh_bantochuc", "bench_tinh_quantri"),
                  ("country", "bench_tw_bantochuc", "bench_tw_quantri")]
        models = [("member", reverse("members:member_list"), "/admin/members/member/",
                   member_id),
                  ("candidate", reverse("recruitment:candidate_list"),
                   "/admin/recruitment/candidate/", candidate_id)]
        for label, list_url, admin_url, cccd in models:
            for query_name, q in [(f'"{NAME_SEARCH}"', NAME_SEARCH), ("CCCD", cccd)]:
                for scope, page_user, admin_user in scopes:
                    what = f"{label} search {query_name} ({scope})"

                    @guarded(what, "< 0.25× admin")
                    def run(what=what, q=q, list_url=list_url, admin_url=admin_url,
                            page_user=page_user, admin_user=admin_user, scope=scope):
                        query = "?" + urlencode({"q": q})
                        t_page, _ = record(what, page(self.clients[page_user], list_url + query),
                                           goal="< 0.25× admin")
                        row = ROWS[-1]
                        t_admin, _ = record(f"  admin changelist, same search ({scope})",
                                            page(self.clients[admin_user], admin_url + query))
                        row.ratio = t_page / t_admin
                    run()

    def insight(self):
        from django.urls import reverse

        from reports import periods
        from reports.insight import snapshots

        for scope_name, org, username in [("province", self.province, "bench_tinh_lanhdao"),
                                          ("country", self.root, "bench_tw_lanhdao")]:
            label = periods.current_term(org, self.today).label
            scope = snapshots.scope_for(org, label, self.today)
            for view in snapshots.MODULES:
                what = f"insight {view} computed by the worker ({scope_name})"

                @guarded(what)
                def compute(view=view, what=what, scope=scope):
                    started = time.perf_counter()
                    snapshots.store(view, scope, {})
                    ms = (time.perf_counter() - started) * 1000
                    ROWS.append(Row(what, ms, goal="(once a day)"))
                    print(f"  {what}: {ms:,.0f} ms", flush=True)
                compute()
                what = f"insight {view} page ({scope_name})"
                url = reverse(f"reports:insight_{view}", args=[org.code]) + f"?ky={label}"
                guarded(what, "< 300 ms")(self._page_row)(what, self.clients[username], url)

    def baseline(self):
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT to_regclass('reports_rollup')")
            if cur.fetchone()[0] is None:
                print("  reports_rollup: no such table yet, baseline skipped", flush=True)
                ROWS.append(Row("baseline: reports_rollup lookup", note="skipped: no table"))
                return

        @guarded("baseline: reports_rollup lookup")
        def run():
            def lookup():
                with connection.cursor() as cur:
                    cur.execute("SELECT * FROM reports_rollup WHERE organisation_id = %s LIMIT 1",
                                [self.province.pk])
                    return cur.fetchall()
            for _ in range(20):
                lookup()
            times = []
            for _ in range(50):
                started = time.perf_counter()
                lookup()
                times.append(time.perf_counter() - started)
            self.baseline_ms = statistics.median(times) * 1000
            ROWS.append(Row("baseline: reports_rollup lookup (province)", self.baseline_ms, 1))
            print(f"  baseline: {self.baseline_ms:.2f} ms", flush=True)
        run()
        if self.baseline_ms:
            for row in self.page_rows:
                if row.ms is not None:
                    row.ratio = row.ms / self.baseline_ms
                    row.goal = "≤ 3× baseline, < 300 ms"


def print_table():
    print()
    header = f"{'what':58} {'median ms':>10} {'queries':>8} {'db ms':>8} {'ratio':>11}  goal"
    print(header)
    print("-" * len(header))
    for r in ROWS:
        ms = f"{r.ms:,.1f}" if r.ms is not None else "—"
        queries = str(r.queries) if r.queries is not None else ""
        db = f"{r.db_ms:,.0f}" if r.db_ms is not None else ""
        ratio = f"{r.ratio:,.2f}×" if r.ratio is not None else ""
        print(f"{r.what[:58]:58} {ms:>10} {queries:>8} {db:>8} {ratio:>11}  {r.goal}"
              + (f"  [{r.note}]" if r.note else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(GROUPS))
    args = parser.parse_args()
    only = [g.strip() for g in args.only.split(",") if g.strip()] or GROUPS
    unknown = set(only) - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups {', '.join(sorted(unknown))}; choose from {GROUPS}")
    ensure_built()

    import logging

    import django
    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # force_login's signal chatter

    bench = Bench()
    # The baseline comes last: the pages' ratios are filled in from it.
    for group in GROUPS:
        if group in only or (group == "baseline"
                             and ({"dashboard", "report", "insight"} & set(only))):
            print(f"[{group}]", flush=True)
            getattr(bench, group)()
    print_table()


if __name__ == "__main__":
    main()
