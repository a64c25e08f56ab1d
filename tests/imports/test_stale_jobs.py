"""A job whose worker died (killed for running too long, machine restarted) does not stay
“running 80 %” forever: without a heartbeat for IMPORT_STALE_MINUTES it is failed, on its page
or by a sweep, and its owner can run it again with the same file."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members import importing
from members.models import ImportJob

from .conftest import MEMBER_HEADERS, csv_bytes

S = ImportJob.Status
INTERRUPTED = ("Lượt nhập bị gián đoạn (tiến trình xử lý dừng giữa chừng); không dòng nào được "
               "ghi. Bấm “Thử lại” để xử lý lại tệp này.")


def a_file():
    return SimpleUploadedFile("a.csv", csv_bytes(MEMBER_HEADERS, [
        [f"Người {c}", "17/05/1990", "Nam", "", "", "B1", c, "02/03/2015", "", ""]
        for c in ("0001", "0002")]))


def job_of(user, *, status=S.RUNNING, silent_for=None, **fields):
    job = ImportJob.objects.create(kind="members", user=user, filename="a.csv", file=a_file(),
                                   status=status, **fields)
    if silent_for is not None:
        then = timezone.now() - silent_for
        ImportJob.objects.filter(pk=job.pk).update(
            created_at=then, started_at=then, heartbeat_at=then, progress=80,
            message="Đang ghi vào cơ sở dữ liệu")
        job.refresh_from_db()
    return job


def retry_url(job):
    return f"/import/jobs/{job.pk}/retry/"


def test_a_job_silent_for_eleven_minutes_shows_as_interrupted_with_a_retry_button(
        as_user, users, tree):
    job = job_of(users.admin, silent_for=timedelta(minutes=11))
    page = as_user(users.admin).get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert INTERRUPTED in page
    assert f'action="{retry_url(job)}"' in page and ">Thử lại</button>" in page
    assert 'http-equiv="refresh"' not in page
    job.refresh_from_db()
    assert job.status == S.FAILED and job.finished_at is not None


def test_a_job_whose_worker_still_reports_stays_running(as_user, users, tree):
    job = job_of(users.admin, silent_for=timedelta(minutes=30))
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=2))
    page = as_user(users.admin).get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert '<progress value="80"' in page and INTERRUPTED not in page
    job.refresh_from_db()
    assert job.status == S.RUNNING


def test_how_long_silence_means_dead_is_a_setting(as_user, users, tree, settings):
    settings.IMPORT_STALE_MINUTES = 60
    job = job_of(users.admin, silent_for=timedelta(minutes=30))
    as_user(users.admin).get(reverse("members:import_job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == S.RUNNING
    settings.IMPORT_STALE_MINUTES = 20
    assert importing.fail_stale_jobs() == 1


def test_the_daily_command_and_every_worker_run_sweep_dead_jobs(users, tree):
    dead = job_of(users.admin, silent_for=timedelta(hours=3))
    queued_long = job_of(users.admin, status=S.QUEUED)
    ImportJob.objects.filter(pk=queued_long.pk).update(
        created_at=timezone.now() - timedelta(hours=3))
    call_command("purge_imports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    dead.refresh_from_db(), queued_long.refresh_from_db()
    assert (dead.status, dead.message) == (S.FAILED, INTERRUPTED)
    # Waiting in the queue is not dying: it still runs when a worker gets to it.
    assert queued_long.status == S.QUEUED

    other = job_of(users.admin, silent_for=timedelta(hours=1))
    importing.run_import_job.call(queued_long.pk)
    other.refresh_from_db(), queued_long.refresh_from_db()
    assert other.status == S.FAILED
    assert queued_long.status in (S.PREVIEWED, S.REJECTED)


def test_progress_updates_keep_the_heartbeat_going(users, tree, monkeypatch):
    """The worker's progress (every 1,000 rows read or planned) is its sign of life."""
    job = job_of(users.admin, status=S.QUEUED)
    seen = {}

    def slow_run(kind, source, *, user, commit, progress=None, legacy=False, job=None):
        long_ago = timezone.now() - timedelta(minutes=30)
        ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
        progress(40, "Đã đọc 1.000 dòng")
        seen["swept"] = importing.fail_stale_jobs()
        return importing.Outcome(kind=kind, rows=2)

    monkeypatch.setattr(importing, "run", slow_run)
    importing.run_job(job)
    job.refresh_from_db()
    assert seen["swept"] == 0
    assert job.status == S.PREVIEWED and job.heartbeat_at > job.started_at


def test_a_run_failed_and_queued_again_meanwhile_does_not_write_over_the_new_run(
        users, tree, monkeypatch):
    job = job_of(users.admin, status=S.QUEUED)

    def run_outlived(kind, source, *, user, commit, progress=None, legacy=False, job=None):
        ImportJob.objects.filter(pk=job.pk).update(status=S.FAILED)  # swept as dead
        ImportJob.objects.filter(pk=job.pk).update(status=S.QUEUED, started_at=None)  # retried
        return importing.Outcome(kind=kind, rows=2)

    monkeypatch.setattr(importing, "run", run_outlived)
    importing.run_job(job)
    job.refresh_from_db()
    assert job.status == S.QUEUED and job.result == {}


def test_the_owner_retries_a_failed_job_with_the_same_file(as_user, users, tree):
    job = job_of(users.admin, silent_for=timedelta(hours=1))
    client = as_user(users.admin)
    client.get(reverse("members:import_job", args=[job.pk]))
    response = client.post(retry_url(job))
    assert response.status_code == 302
    assert response.url == reverse("members:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status in (S.PREVIEWED, S.REJECTED) and job.result["rows"] == 2
    assert job.message != INTERRUPTED and job.filename == "a.csv"


def test_a_job_failed_by_a_system_error_can_be_retried_too(as_user, users, tree):
    job = job_of(users.admin, status=S.FAILED,
                 message="Lỗi hệ thống khi xử lý tệp; không dòng nào được ghi.")
    as_user(users.admin).post(retry_url(job))
    job.refresh_from_db()
    assert job.status in (S.PREVIEWED, S.REJECTED)


def test_someone_elses_job_cannot_be_retried(as_user, users, tree):
    job = job_of(users.admin, status=S.FAILED, message="x")
    assert as_user(users.department).post(retry_url(job)).status_code == 404
    job.refresh_from_db()
    assert job.status == S.FAILED


def test_retry_needs_a_signed_in_user_with_a_role(client, as_user, users, tree):
    job = job_of(users.admin, status=S.FAILED, message="x")
    assert client.post(retry_url(job)).status_code == 302  # to the login page
    assert as_user(users.nobody).post(retry_url(job)).status_code == 403
    job.refresh_from_db()
    assert job.status == S.FAILED


def test_retry_is_a_post(as_user, users, tree):
    job = job_of(users.admin, status=S.FAILED, message="x")
    assert as_user(users.admin).get(retry_url(job)).status_code == 405


@pytest.mark.parametrize("status", [S.APPLIED, S.REJECTED, S.PREVIEWED, S.RUNNING])
def test_only_a_failed_job_is_retried(as_user, users, tree, status):
    job = job_of(users.admin, status=status)
    page = as_user(users.admin).post(retry_url(job), follow=True).content.decode()
    assert "Chỉ thử lại được lượt nhập bị lỗi hệ thống hoặc bị gián đoạn." in page
    job.refresh_from_db()
    assert job.status == status


def test_a_job_whose_file_was_purged_cannot_be_retried(as_user, users, tree):
    job = job_of(users.admin, status=S.FAILED, message="x")
    job.file.delete()
    client = as_user(users.admin)
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert ">Thử lại</button>" not in page and "Tải tệp lên lại" in page
    page = client.post(retry_url(job), follow=True).content.decode()
    assert "Tệp đã được xóa sau 30 ngày lưu giữ; hãy tải tệp lên lại." in page
    job.refresh_from_db()
    assert job.status == S.FAILED
