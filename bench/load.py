"""Load generator: N users at once for D seconds against a running app, every role's pages
mixed (the leadership's dashboard and report pages, the organisation department's lists, the
branch secretary's candidate list and candidate pages, the member list, search), then
requests per second, latency percentiles, errors, timeouts, each page's p95 and how much of
the machine the generator itself used. Standard library only; loopback addresses only (it is
a measuring tool, not a way to load someone else's server). Not part of the test suite.

How it works: each login (`--logins`, password `--password`) signs in once; the virtual
users take the logins in turn and share that login's session, as tabs of one browser. Before
the clock starts, each login's pages are found by following the links of its home page and of
the pages the menu opens (GET pages of a whitelist: lists, detail pages, reports; never a
download, a form that writes, the admin or the import). Then every virtual user, in its own
thread, loops until the time is up: pick one of its login's page kinds at random, then one
page of that kind, GET it (a new connection, as gunicorn's sync workers close each one),
wait `--think` seconds. With `--think 0` (the default) the users press as fast as the server
answers: the result is the server's capacity, not a count of people (see README, "Bao nhiêu
máy chủ cho bao nhiêu người dùng", for the conversion).

The national bench database (bench/national.py: 2 million members, 1 million candidates,
55,064 organisations) served by gunicorn with 4 workers, sessions in Redis:

    .venv/bin/python bench/national.py          # builds phattrien_national once
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/phattrien_national \\
           CACHE_URL=redis://127.0.0.1:6379/1 SESSION_ENGINE=cached_db \\
           SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') \\
           ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false REQUIRE_2FA=false
    .venv/bin/python manage.py collectstatic --noinput   # the production settings need it
    .venv/bin/gunicorn config.wsgi --workers 4 --bind 127.0.0.1:8000 --timeout 120 &
    .venv/bin/python manage.py worker &
    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8000 --users 50 --duration 60 \
        --server-pid <gunicorn's pid> --database phattrien_national

The default logins are bench/national.py's (password `bench-pass-2026`): leadership and
organisation department at the root (TW) and at a province (T01), the office of a grassroots
committee and a branch secretary. REQUIRE_2FA=false because the organisation department logs
in with a second factor otherwise (bench only, never in production). `--json FILE` also
writes the figures as JSON. The generator shares the machine with the servers: its own CPU
share is printed so that a saturated generator is not mistaken for a slow server, and, with
`--server-pid` (the gunicorn master) and `--database`, the CPU the app processes and the
PostgreSQL backends spent per request: the cost of a page, whatever else the machine runs.
"""
import argparse
import http.client
import ipaddress
import json
import math
import os
import random
import re
import resource
import socket
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

DEFAULT_LOGINS = [
    "bench_tw_lanhdao", "bench_tinh_lanhdao", "bench_tw_bantochuc", "bench_tinh_bantochuc",
    "bench_coso_vanphong", "bench_chibo_bithu",
]
DEFAULT_PASSWORD = "bench-pass-2026"
MAX_USERS, MAX_SECONDS = 1000, 3600
PER_KIND = 3  # pages kept of each kind for each login
DISCOVERY_TIMEOUT = 300  # seconds: a country-wide report page may be slow before it is fast
# Read-only pages a user opens (views that only answer GET or show a form on GET).
PAGES = [re.compile(p) for p in (
    r"^/$", r"^/worklist/$", r"^/examination/$", r"^/numbering/$", r"^/nominations/$",
    r"^/candidates/$", r"^/candidates/\d+/$", r"^/classes/$", r"^/classes/\d+/$",
    r"^/organisations/$", r"^/organisations/[^/]+/$", r"^/members/$", r"^/members/\d+/$",
    r"^/headcounts/$", r"^/headcounts/[^/]+/$", r"^/reports/$",
    r"^/reports/(?!jobs/|targets/)[^/]+/[^/]+/$",
)]
REPORT = re.compile(r"^/reports/(?!jobs/|targets/)([^/]+)/([^/]+)/$")
# Searches as typed in the lists' search box (no diacritics, as users type them).
SEARCHES = ["/members/?" + urlencode({"q": "nguyen van"}),
            "/candidates/?" + urlencode({"q": "tran thi"})]


def kind_of(login: str, url: str, scope: frozenset = frozenset()) -> str:
    """The page kind a URL is counted under: its path with ids and codes taken out. A report
    on an organisation the home page links a report of (the leadership dashboard's: the
    user's whole scope) keeps its code, the scope deciding its cost; others count as
    "report (unit)"."""
    parts = urlsplit(url)
    path = parts.path
    if "q=" in parts.query:
        return f"search {path}"
    if path == "/":
        return f"home ({login})"
    if m := REPORT.match(path):
        period = "term" if "-" in m[2] else "year"
        return f"report {m[1]} {period}" if m[1] in scope else f"report (unit) {period}"
    path = re.sub(r"/\d+/", "/<id>/", path)
    return re.sub(r"^/(organisations|headcounts)/[^/]+/$", r"/\1/<code>/", path)


def refuse_unless_loopback(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname:
        sys.exit(f"--base-url must be http://<loopback address>:<port>, not {base_url!r}")
    port = parts.port or 80
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    except socket.gaierror as err:
        sys.exit(f"cannot resolve {parts.hostname}: {err}")
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        sys.exit(f"refused: {parts.hostname} is not a loopback address ({', '.join(addresses)});"
                 " this tool only loads a server on this machine")
    return parts.hostname, port


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


class Session:
    """One login's cookies over http.client; safe to share between threads (read-only)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, body=None, headers=None, timeout=30.0):
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "phattrien-bench-load",
                   **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        return response, content

    def remember(self, response):
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value

    def login(self, username: str, password: str) -> None:
        try:
            response, _ = self.request("GET", "/login/", timeout=DISCOVERY_TIMEOUT)
        except OSError as err:
            sys.exit(f"no app answers at http://{self.host}:{self.port}/: {err}")
        self.remember(response)
        body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                          "username": username, "password": password}).encode()
        response, content = self.request("POST", "/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{self.host}:{self.port}/login/"}, timeout=DISCOVERY_TIMEOUT)
        self.remember(response)
        if response.status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"login of {username!r} failed (HTTP {response.status}); is the password "
                     "right and the account not throttled?")
        if "/2fa/" in response.headers.get("Location", ""):
            sys.exit(f"{username!r} must confirm a second factor: run the server with "
                     "REQUIRE_2FA=false for the bench")

    def discover(self, login: str) -> dict[str, list[str]]:
        """The login's pages by kind: the home page, the pages its links open, and the pages
        theirs open. Only the first two levels are read (for their links), and no report:
        the pages are found, not measured, and a country's report is slow before it is fast."""
        pages: dict[str, list[str]] = defaultdict(list)
        # The reports' index too: its shortcuts are the user's scope, and its menu the same
        # as the home page's when a slow home page times out.
        frontier = ["/", "/reports/"]
        kinds = {url: kind_of(login, url) for url in frontier}  # url → kind, as first reached
        scope: frozenset = frozenset()
        for depth in range(3):
            following = []
            for url in frontier:
                kind = kinds[url]
                if len(pages[kind]) >= PER_KIND:
                    continue
                pages[kind].append(url)
                if depth == 2 or REPORT.match(urlsplit(url).path):
                    continue
                try:
                    response, content = self.request("GET", url, timeout=DISCOVERY_TIMEOUT)
                except (OSError, http.client.HTTPException) as err:
                    response, content = None, str(err).encode()
                location = urlsplit(response.headers.get("Location", "")) if response else None
                if (response is not None and response.status == 302 and depth < 2
                        and any(p.match(location.path) for p in PAGES)
                        and location.path not in kinds):
                    # A menu entry that goes straight to the one page there is to see.
                    kinds[location.path] = kind_of(login, location.path, scope)
                    following.append(location.path)
                if response is None or response.status != 200:
                    status = response.status if response else content.decode()
                    print(f"  {login}: {url} answered {status} while looking for pages",
                          flush=True)
                    if url != "/":  # the home page is measured even when it fails
                        pages[kind].remove(url)
                    continue
                parser = Links()
                parser.feed(content.decode("utf-8", errors="replace"))
                links = []
                for href in parser.hrefs:
                    target = urlsplit(urljoin(url, href))
                    if target.netloc and target.netloc != f"{self.host}:{self.port}":
                        continue
                    if any(p.match(target.path) for p in PAGES):
                        links.append(target.path + (f"?{target.query}" if target.query else ""))
                if depth == 0:
                    scope |= {m[1] for link in links if (m := REPORT.match(link))}
                for link in links:
                    if link not in kinds:
                        kinds[link] = kind_of(login, link, scope)
                        following.append(link)
            frontier = following
        for search in SEARCHES:
            if search.split("?")[0] in kinds:
                pages[kind_of(login, search)].append(search)
        return {kind: urls for kind, urls in pages.items() if urls}


@dataclass
class Result:
    kind: str
    seconds: float
    status: int  # 0: no answer
    timeout: bool = False


@dataclass
class Recorder:
    results: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)


def virtual_user(session: Session, pages: dict, stop_at: float, think: float, timeout: float,
                 recorder: Recorder, seed: int) -> None:
    rng = random.Random(seed)
    kinds = sorted(pages)
    if not kinds:
        return
    while time.monotonic() < stop_at:
        kind = rng.choice(kinds)
        url = rng.choice(pages[kind])
        started = time.monotonic()
        try:
            response, _ = session.request("GET", url, timeout=timeout)
            recorder.add(Result(kind, time.monotonic() - started, response.status))
        except TimeoutError:
            recorder.add(Result(kind, time.monotonic() - started, 0, timeout=True))
        except (OSError, http.client.HTTPException):
            recorder.add(Result(kind, time.monotonic() - started, 0))
        if think:
            time.sleep(min(rng.expovariate(1 / think), max(0.0, stop_at - time.monotonic())))


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = -int(-len(ordered) * p // 100)  # ceil(n · p / 100)
    return ordered[max(0, min(len(ordered) - 1, rank - 1))]


def machine_busy() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat (Linux)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def _proc_cpu(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used) of a process, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(server_pids: list[int], database: str | None) -> dict[str, dict[str, float]]:
    """CPU seconds so far of the app servers (each gunicorn master and its workers) and of the
    PostgreSQL backends connected to `database`, by pid: what the server side spent, however
    busy the machine is with other work."""
    found = {"app": {}, "database": {}}
    title = re.compile(rf"^postgres: .*: \S+ {re.escape(database)} ".encode()) if database else None
    masters = {str(pid) for pid in server_pids}
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        cpu = _proc_cpu(pid)
        if cpu is None:
            continue
        if pid in masters or str(cpu[0]) in masters:
            found["app"][pid] = cpu[1]
        elif title is not None:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if title.match(f.read()):
                        found["database"][pid] = cpu[1]
            except OSError:
                continue
    return found


def cpu_spent(before: dict, after: dict) -> dict[str, float]:
    return {side: sum(seconds - before[side].get(pid, 0.0)
                      for pid, seconds in after[side].items()) for side in after}


def ms(seconds: float) -> int | None:
    """Milliseconds, or None where there was nothing to measure."""
    return None if math.isnan(seconds) else round(seconds * 1000)


def summary(results: list[Result], wall: float, cpu: float, cores: int,
            machine: float | None, server: dict[str, float] | None = None) -> dict:
    ok = [r for r in results if 200 <= r.status < 400]
    errors = [r for r in results if not r.timeout and not 200 <= r.status < 400]
    by_status = defaultdict(int)
    for r in errors:
        by_status[r.status or "no answer"] += 1
    pages = {}
    for kind in sorted({r.kind for r in results}):
        of_kind = [r for r in results if r.kind == kind]
        seconds = [r.seconds for r in of_kind if 200 <= r.status < 400]
        pages[kind] = {
            "requests": len(of_kind), "p50_ms": ms(percentile(seconds, 50)),
            "p95_ms": ms(percentile(seconds, 95)),
            "max_ms": ms(max(seconds, default=float("nan"))),
            "errors": sum(1 for r in of_kind if not r.timeout and not 200 <= r.status < 400),
            "timeouts": sum(1 for r in of_kind if r.timeout),
        }
    seconds = [r.seconds for r in ok]
    return {
        "wall_seconds": round(wall, 1), "requests": len(results),
        "requests_per_second": round(len(results) / wall, 1),
        "p50_ms": ms(percentile(seconds, 50)),
        "p95_ms": ms(percentile(seconds, 95)),
        "p99_ms": ms(percentile(seconds, 99)),
        "errors": len(errors), "errors_by_status": dict(by_status),
        "timeouts": sum(1 for r in results if r.timeout),
        "generator_cpu_share": round(cpu / (wall * cores), 3),
        "generator_cpu_cores": round(cpu / wall, 2), "cores": cores,
        "machine_cpu_busy": None if machine is None else round(machine, 3),
        "server_cpu_seconds": server and {k: round(v, 1) for k, v in server.items()},
        "server_cpu_ms_per_request": server and results and {
            k: round(v * 1000 / len(results), 1) for k, v in server.items()},
        "pages": pages,
    }


def print_summary(s: dict, args) -> None:
    print(f"\n{args.users} users, {s['wall_seconds']} s against {args.base_url} "
          f"(think {args.think} s, timeout {args.timeout} s)")
    print(f"requests {s['requests']}  ({s['requests_per_second']}/s)   "
          f"p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms")
    print(f"errors {s['errors']} {s['errors_by_status'] or ''}  timeouts {s['timeouts']}")
    machine = s["machine_cpu_busy"]
    print(f"load generator CPU: {s['generator_cpu_share']:.1%} of {s['cores']} cores "
          f"({s['generator_cpu_cores']} cores)"
          + ("" if machine is None else f"; whole machine busy {machine:.0%}"))
    if s["server_cpu_seconds"]:
        per = s["server_cpu_ms_per_request"] or {}
        total = sum(per.values())
        print("server CPU: " + ", ".join(
            f"{side} {seconds} s ({per.get(side, 0)} ms a request)"
            for side, seconds in s["server_cpu_seconds"].items())
            + (f" → about {1000 / total:.1f} requests/s per core kept busy" if total else ""))
    width = max(len(k) for k in s["pages"]) if s["pages"] else 10
    print(f"\n{'page':{width}}  {'requests':>8}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}  "
          "errors  timeouts")
    def slowest_first(item):
        p = item[1]
        return (p["p95_ms"] is not None, p["p95_ms"] or 0)

    for kind, p in sorted(s["pages"].items(), key=slowest_first, reverse=True):
        cells = [("-" if p[k] is None else p[k]) for k in ("p50_ms", "p95_ms", "max_ms")]
        print(f"{kind:{width}}  {p['requests']:>8}  {cells[0]:>7}  {cells[1]:>7}  "
              f"{cells[2]:>7}  {p['errors']:>6}  {p['timeouts']:>8}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50, help="virtual users at once (50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--logins", default=",".join(DEFAULT_LOGINS),
                        help="comma-separated user names (default: bench/national.py's)")
    parser.add_argument("--password", default=os.environ.get("BENCH_PASSWORD",
                                                             DEFAULT_PASSWORD))
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a user waits between two pages (0: none)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds before a request counts as timed out (30)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", metavar="FILE", help="also write the figures here")
    parser.add_argument("--server-pid", type=int, action="append", default=[],
                        help="gunicorn master pid (repeatable): its and its workers' CPU")
    parser.add_argument("--database", help="PostgreSQL database name: its backends' CPU "
                        "(PostgreSQL on this machine)")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS or not 0 < args.duration <= MAX_SECONDS:
        parser.error(f"--users 1…{MAX_USERS}, --duration up to {MAX_SECONDS} s")
    host, port = refuse_unless_loopback(args.base_url)
    logins = [name.strip() for name in args.logins.split(",") if name.strip()]

    sessions, pages = {}, {}
    for login in logins:
        started = time.monotonic()
        session = Session(host, port)
        session.login(login, args.password)
        sessions[login], pages[login] = session, session.discover(login)
        print(f"{login}: {sum(map(len, pages[login].values()))} pages of "
              f"{len(pages[login])} kinds ({time.monotonic() - started:.1f} s)", flush=True)

    recorder = Recorder()
    cores = os.cpu_count() or 1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before, busy_before = usage.ru_utime + usage.ru_stime, machine_busy()
    measure_server = bool(args.server_pid or args.database)
    server_before = server_cpu(args.server_pid, args.database) if measure_server else None
    started = time.monotonic()
    stop_at = started + args.duration
    threads = []
    for n in range(args.users):
        login = logins[n % len(logins)]
        thread = threading.Thread(target=virtual_user, daemon=True, args=(
            sessions[login], pages[login], stop_at, args.think, args.timeout, recorder,
            args.seed + n))
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, stop_at - time.monotonic()) + args.timeout + 5)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu, busy_after = usage.ru_utime + usage.ru_stime - cpu_before, machine_busy()
    server = (cpu_spent(server_before, server_cpu(args.server_pid, args.database))
              if measure_server else None)
    machine = None
    if busy_before and busy_after and busy_after[1] > busy_before[1]:
        machine = (busy_after[0] - busy_before[0]) / (busy_after[1] - busy_before[1])

    with recorder.lock:
        results = list(recorder.results)
    figures = summary(results, wall, cpu, cores, machine, server)
    print_summary(figures, args)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"arguments": vars(args), **figures}, f, ensure_ascii=False, indent=2)
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
