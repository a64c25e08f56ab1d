"""Two app servers and two task workers on one PostgreSQL and one Redis behave as one: a
session, a login lockout and a queued job do not care which process serves them, and
/healthz on every server sees the database, the cache and a worker.

The processes are real (gunicorn, `manage.py worker`) and spoken to over HTTP on loopback;
they run on the test database, so the data a test commits (transaction=True) is theirs too.
PostgreSQL only (SQLite is one machine's file), and Redis must answer on REDIS_URL.
"""
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Sum
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from members.heartbeat import BEAT
from members.models import (
    Member,
    MemberStatus,
    Movement,
    MovementKind,
    Organisation,
    WorkerHeartbeat,
)
from members.models import OrganisationKind as K
from reports.models import JobStatus, ReportJob
from tests.factories import MemberFactory

from .browser import Browser
from .cluster import Cluster, database_url, wait_for

# A Redis database of its own: emptied before and after the module.
REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "mat-khau-thu"  # tests/factories.py UserFactory
FAILURE_LIMIT = 4
HEALTHY = {"database": "ok", "cache": "ok", "worker": "ok"}


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)


def redis_answers() -> bool:
    try:
        return bool(redis_client().ping())
    except Exception:
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="several servers share a PostgreSQL database"),
    pytest.mark.skipif(not redis_answers(), reason=f"Redis does not answer at {REDIS_URL}"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def cluster(django_db_setup, tmp_path_factory):
    """Servers A and B (gunicorn, 2 workers each) and workers worker-1 and worker-2, on the
    test database, sessions in Redis with a write-through to the database (`cached_db`)."""
    store = redis_client()
    store.flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "DATABASE_POOL_MIN": "1",
        "DATABASE_POOL_MAX": "4",
        "CACHE_URL": REDIS_URL,
        "SESSION_ENGINE": "cached_db",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    cluster = Cluster(env=env, cwd=settings.BASE_DIR,
                      directory=tmp_path_factory.mktemp("cluster"))
    try:
        cluster.start_server("A")
        cluster.start_server("B")
        cluster.start_worker("worker-1")
        cluster.start_worker("worker-2")
        cluster.wait_until_ready()
        yield cluster
    finally:
        cluster.stop()
        store.flushdb()


def test_healthz_on_both_servers_sees_the_database_the_cache_and_a_worker(cluster):
    # Each test empties the tables when it ends: a heartbeat is back within one beat.
    assert wait_for(lambda: WorkerHeartbeat.objects.count() == 2, BEAT + 10), cluster.logs()
    for name, port in cluster.servers.items():
        assert cluster.healthz(port) == (200, HEALTHY), name


def test_a_session_started_on_one_server_is_valid_on_the_other_and_ends_on_both(cluster,
                                                                               users):
    a, b = cluster.servers["A"], cluster.servers["B"]
    assert Browser().get(b, "/members/").location.startswith("/login/")

    browser = Browser()
    login = browser.login(a, "bithu", PASSWORD)
    assert (login.status, login.location) == (302, "/")
    session = browser.cookies["sessionid"]
    page = browser.get(b, "/members/")
    assert page.status == 200 and ">bithu</li>" in page.text
    # Read from the shared cache, kept in the database too.
    assert any(key.endswith(session.encode()) for key in redis_client().keys("*"))
    assert Session.objects.filter(session_key=session).exists()

    assert browser.post(b, "/logout/").status == 302
    stale = Browser()
    stale.cookies["sessionid"] = session
    assert stale.get(a, "/members/").location.startswith("/login/")
    assert not any(key.endswith(session.encode()) for key in redis_client().keys("*"))


def test_failed_logins_spread_over_both_servers_lock_the_account_on_both(cluster, users):
    a, b = cluster.servers["A"], cluster.servers["B"]
    # One short of the limit on each server alone, and on both together.
    for port in [a, b, a][:FAILURE_LIMIT - 1]:
        assert Browser().login(port, "bithu", "sai").status == 200
    locked = Browser().login(b, "bithu", "sai")
    assert locked.status == 429
    assert f"Bạn đã đăng nhập sai quá {FAILURE_LIMIT} lần." in locked.text

    browser = Browser()
    assert browser.login(a, "bithu", PASSWORD).status == 429
    assert "sessionid" not in browser.cookies
    failures = AccessAttempt.objects.filter(username="bithu").aggregate(n=Sum(
        "failures_since_start"))["n"]
    assert failures == FAILURE_LIMIT


def test_report_jobs_queued_through_both_servers_each_run_once_on_one_worker(cluster, tree,
                                                                             users):
    # More branches than a report renders inline: the download is a background job.
    Organisation.objects.bulk_create(
        Organisation(code=f"SC{n}", name=f"Chi bộ {n}", kind=K.BRANCH, parent=tree.gc2,
                     path=f"{tree.gc2.path}{n:05d}", depth=tree.gc2.depth + 1)
        for n in range(100, 401))
    a, b = cluster.servers["A"], cluster.servers["B"]
    browser = Browser()
    assert browser.login(a, "lanhdao", PASSWORD).status == 302
    jobs = []
    for port, year in [(a, 2022), (b, 2023), (a, 2024), (b, 2025)]:
        queued = browser.post(port, f"/reports/DBK/{year}/xlsx/")
        assert queued.status == 302 and queued.location.startswith("/reports/jobs/"), queued.text
        jobs.append(queued.location)

    def finished():
        return ReportJob.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED]).count()
    assert wait_for(lambda: finished() == len(jobs), 120, step=0.25), cluster.logs()
    assert set(ReportJob.objects.values_list("status", flat=True)) == {JobStatus.DONE}

    results = list(DBTaskResult.objects.all())
    assert len(results) == len(jobs)
    logs = cluster.worker_logs()
    for result in results:
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.worker_ids in (["worker-1"], ["worker-2"]), result.worker_ids
        started = [line for text in logs.values() for line in text.splitlines()
                   if f"Task id={result.id} " in line and "state=RUNNING" in line]
        assert len(started) == 1, started
        assert result.finished_at - result.started_at < timedelta(minutes=2)

    # The file a worker made is handed out by either server.
    for location, port in zip(jobs, [b, a, b, a], strict=True):
        assert browser.get(port, location).status == 200
        download = browser.get(port, f"{location}file/")
        assert download.status == 200 and download.body.startswith(b"PK")


def test_rollups_stay_equal_to_the_movements_written_at_once_through_both_servers(
    cluster, tree, users
):
    people = [MemberFactory(full_name=f"Người {n}", organisation=tree.b1) for n in range(12)]
    a, b = cluster.servers["A"], cluster.servers["B"]
    signed_in = Browser()
    assert signed_in.login(a, "bantochuc", PASSWORD).status == 302
    # Half move to a branch of the other grassroots committee, half die, on the same day:
    # every request adds to the same rollup rows (b1's, gc1's, the root's…) at the same time.
    writes = [(person, {"to_organisation": tree.b3.pk, "document_number": f"{n}-GGT/ĐU"}
               if n % 2 else {"document_number": ""}) for n, person in enumerate(people)]
    start, answers = threading.Barrier(len(writes)), {}

    def write(n, person, form):
        browser = Browser()
        browser.cookies = dict(signed_in.cookies)
        kind = MovementKind.TRANSFER_WITHIN if "to_organisation" in form else MovementKind.DIED
        start.wait(timeout=30)
        answers[person.pk] = browser.post([a, b][n % 2], f"/members/{person.pk}/movements/"
                                          f"{kind}/", {"date": "10/01/2024", "note": "", **form})

    threads = [threading.Thread(target=write, args=(n, person, form))
               for n, (person, form) in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.status for r in answers.values()] == [302] * len(writes), [
        r.text[-2000:] for r in answers.values() if r.status != 302]
    assert Movement.objects.filter(kind=MovementKind.TRANSFER_WITHIN).count() == 6
    assert Member.objects.filter(status=MemberStatus.DIED).count() == 6

    check = subprocess.run([sys.executable, "manage.py", "rollups", "check"], env=cluster.env,
                           cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
