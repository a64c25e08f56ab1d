"""Background work is visible: `manage.py worker` writes a heartbeat while it runs, the job
pages say when nobody will pick a job up, /healthz reports the worker, and
`manage.py devserver` runs the web server and a worker together and stops both."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from members.heartbeat import Heartbeat, worker_alive
from members.models import ImportJob, WorkerHeartbeat
from reports.models import JobStatus, ReportJob

NO_WORKER = "Chưa có tiến trình nền nào đang chạy nên việc này chưa được xử lý."


def heartbeat_seen(ago):
    now = timezone.now()
    return WorkerHeartbeat.objects.create(hostname="may-chu", pid=4242, started_at=now - ago,
                                          seen_at=now - ago)


# members.heartbeat

@pytest.mark.django_db
def test_a_heartbeat_is_written_once_per_process_and_deleted_when_it_stops():
    heartbeat = Heartbeat(interval=3600)
    heartbeat.start()
    heartbeat.beat()
    row = WorkerHeartbeat.objects.get()
    assert (row.hostname, row.pid) == (socket.gethostname(), os.getpid())
    assert worker_alive()
    heartbeat.stop()
    assert not WorkerHeartbeat.objects.exists() and not worker_alive()


@pytest.mark.django_db
def test_a_worker_is_alive_only_while_its_heartbeat_is_recent():
    assert not worker_alive()
    row = heartbeat_seen(timedelta(seconds=20))
    assert worker_alive()
    assert not worker_alive(within=timedelta(seconds=10))
    WorkerHeartbeat.objects.filter(pk=row.pk).update(seen_at=timezone.now() - timedelta(minutes=2))
    assert not worker_alive()


# manage.py worker

@pytest.mark.django_db(transaction=True)
def test_the_worker_command_beats_while_it_runs_and_leaves_no_row_when_done(monkeypatch):
    seen = []
    run = db_worker.Worker.run

    def run_and_look(worker):
        seen.append(list(WorkerHeartbeat.objects.values_list("pid", flat=True)))
        return run(worker)

    monkeypatch.setattr(db_worker.Worker, "run", run_and_look)
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert seen == [[os.getpid()]]
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_deletes_its_row_when_stopped_by_a_signal(monkeypatch):
    def stopped(worker):
        assert worker_alive()
        raise SystemExit(0)  # what db_worker does on SIGTERM between two jobs

    monkeypatch.setattr(db_worker.Worker, "run", stopped)
    with pytest.raises(SystemExit):
        call_command("worker", "--no-startup-delay", verbosity=0)
    assert not WorkerHeartbeat.objects.exists()


# The job pages

@pytest.fixture
def report_job(users, tree):
    return ReportJob.objects.create(organisation=tree.root, period="2024", format="pdf",
                                    requested_by=users.leader)


@pytest.fixture
def import_job(users):
    return ImportJob.objects.create(kind="members", user=users.secretary, filename="a.csv")


@pytest.mark.django_db
def test_a_waiting_report_job_says_no_worker_is_running(as_user, users, report_job):
    page = as_user(users.leader).get(reverse("reports:job", args=[report_job.pk]))
    text = page.content.decode()
    assert NO_WORKER in text and "<code>python manage.py worker</code>" in text
    assert "<code>make run</code>" in text


@pytest.mark.django_db
def test_a_waiting_report_job_says_nothing_while_a_worker_is_alive(as_user, users, report_job):
    heartbeat_seen(timedelta(seconds=5))
    page = as_user(users.leader).get(reverse("reports:job", args=[report_job.pk]))
    assert "Đang chờ" in page.content.decode() and NO_WORKER not in page.content.decode()


@pytest.mark.django_db
def test_a_finished_report_job_never_mentions_the_worker(as_user, users, report_job):
    ReportJob.objects.filter(pk=report_job.pk).update(status=JobStatus.FAILED, error="hỏng")
    page = as_user(users.leader).get(reverse("reports:job", args=[report_job.pk]))
    assert NO_WORKER not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
def test_a_waiting_or_running_import_says_no_worker_is_running(as_user, users, import_job,
                                                                status):
    ImportJob.objects.filter(pk=import_job.pk).update(status=status,
                                                      heartbeat_at=timezone.now())
    page = as_user(users.secretary).get(reverse("members:import_job", args=[import_job.pk]))
    assert NO_WORKER in page.content.decode()


@pytest.mark.django_db
def test_a_waiting_import_says_nothing_while_a_worker_is_alive(as_user, users, import_job):
    heartbeat_seen(timedelta(seconds=5))
    page = as_user(users.secretary).get(reverse("members:import_job", args=[import_job.pk]))
    assert "Tệp đang chờ xử lý" in page.content.decode()
    assert NO_WORKER not in page.content.decode()


@pytest.mark.django_db
def test_a_stale_heartbeat_counts_as_no_worker(as_user, users, import_job):
    heartbeat_seen(timedelta(minutes=5))
    page = as_user(users.secretary).get(reverse("members:import_job", args=[import_job.pk]))
    assert NO_WORKER in page.content.decode()


# /healthz

@pytest.mark.django_db
def test_healthz_is_healthy_without_a_worker_but_says_it_is_missing(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert (body["database"], body["cache"], body["worker"]) == ("ok", "ok", "missing")
    assert body["worker_detail"] == "no heartbeat in 60 s"


@pytest.mark.django_db
def test_healthz_reports_a_live_worker(client):
    heartbeat_seen(timedelta(seconds=10))
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_does_not_answer(client, monkeypatch):
    monkeypatch.setattr("members.views_health.cache.get", lambda key: None)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def down():
        raise RuntimeError("connection refused")
    monkeypatch.setattr("members.views_health._database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok", "worker": "missing",
                               "worker_detail": "no heartbeat in 60 s"}
    assert "connection refused" not in response.content.decode()


# manage.py devserver

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_exists(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_devserver_runs_the_web_server_and_a_worker_and_sigterm_stops_both(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "DEBUG": "true", "ALLOWED_HOSTS": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
    # The worker needs its queue's table and its heartbeat's; nothing else is migrated.
    subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                    "from django.core.management import call_command as c; "
                    "c('migrate', 'members', verbosity=0); "
                    "c('migrate', 'django_tasks_database', verbosity=0)"],
                   env=env, cwd=settings.BASE_DIR, check=True, timeout=60)
    port, log = free_port(), tmp_path / "devserver.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "devserver",
             f"127.0.0.1:{port}", "--noreload"],
            env=env, cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT)

    def answers():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                return json.load(r)["worker"] == "ok"
        except (OSError, urllib.error.URLError, ValueError):
            return False

    try:
        assert wait_for(answers, 8), log.read_text()
        pids = [int(line.rsplit("pid ", 1)[1].rstrip(").")) for line in
                log.read_text().splitlines() if line.startswith("Đã khởi động")]
        assert len(pids) == 2 and all(group_exists(pid) for pid in pids)
        assert f"http://127.0.0.1:{port}/" in log.read_text()

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=8) == 0
        assert not any(group_exists(pid) for pid in pids)
        assert "Đã dừng máy chủ web và tiến trình nền." in log.read_text()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
