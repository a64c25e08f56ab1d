"""Uploaded import files are full of CCCD numbers: `manage.py purge_imports` deletes those of
jobs finished more than IMPORT_RETENTION_DAYS ago (rejected ones included), keeping the job and
its result; a systemd timer in deploy/ runs it every day."""
import configparser
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from members.models import ImportJob

S = ImportJob.Status
ROOT = Path(__file__).resolve().parents[2]


def job_of(user, status, *, finished_days_ago=None, created_days_ago=0):
    job = ImportJob.objects.create(
        kind="members", user=user, filename="ds.csv", status=status,
        file=SimpleUploadedFile("ds.csv", b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan,S\xe1\xbb\x91 CCCD"),
        result={"kind": "members", "rows": 3, "created": 3})
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=now - timedelta(days=created_days_ago),
        finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago))
    job.refresh_from_db()
    return job


def purge(*args):
    out = io.StringIO()
    call_command("purge_imports", *args, stdout=out)
    return out.getvalue()


def test_files_of_jobs_finished_over_30_days_ago_are_deleted_and_the_jobs_kept(users):
    applied = job_of(users.admin, S.APPLIED, finished_days_ago=31, created_days_ago=31)
    rejected = job_of(users.admin, S.REJECTED, finished_days_ago=45, created_days_ago=45)
    recent = job_of(users.admin, S.REJECTED, finished_days_ago=29, created_days_ago=40)
    paths = {j.pk: Path(j.file.path) for j in (applied, rejected, recent)}
    assert all(p.exists() for p in paths.values())

    assert "Đã xóa tệp của 2 lượt nhập đã xong quá 30 ngày." in purge()

    for job in (applied, rejected):
        job.refresh_from_db()
        assert not job.file and not paths[job.pk].exists()
        assert job.result["created"] == 3 and job.filename == "ds.csv"
    recent.refresh_from_db()
    assert recent.file and paths[recent.pk].exists()
    assert "Đã xóa tệp của 0 lượt nhập" in purge()


def test_jobs_still_queued_or_running_keep_their_file_however_old(users):
    queued = job_of(users.admin, S.QUEUED, created_days_ago=90)
    running = job_of(users.admin, S.RUNNING, created_days_ago=90)
    ImportJob.objects.filter(pk=running.pk).update(heartbeat_at=timezone.now())
    purge()
    for job in (queued, running):
        job.refresh_from_db()
        assert job.file and Path(job.file.path).exists()


def test_the_retention_is_a_setting_and_an_option(users, settings):
    settings.IMPORT_RETENTION_DAYS = 7
    week = job_of(users.admin, S.APPLIED, finished_days_ago=8)
    preview = job_of(users.admin, S.PREVIEWED, finished_days_ago=3)
    assert "1 lượt nhập đã xong quá 7 ngày" in purge()
    assert "1 lượt nhập đã xong quá 2 ngày" in purge("--days", "2")
    week.refresh_from_db(), preview.refresh_from_db()
    assert not week.file and not preview.file


def test_a_negative_retention_is_refused(users):
    with pytest.raises(CommandError, match="Số ngày lưu giữ phải từ 0 trở lên."):
        purge("--days", "-1")


def test_a_preview_whose_file_was_deleted_can_no_longer_be_confirmed(as_user, users, tree):
    job = job_of(users.admin, S.PREVIEWED, finished_days_ago=40)
    purge()
    client = as_user(users.admin)
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert "không xác nhận được nữa" in page and "Xác nhận nhập" not in page
    page = client.post(reverse("members:import_confirm", args=[job.pk]),
                       follow=True).content.decode()
    assert "Tệp đã được xóa sau 30 ngày lưu giữ; hãy tải tệp lên lại." in page
    job.refresh_from_db()
    assert job.status == S.PREVIEWED


def test_a_systemd_timer_runs_the_purge_every_day():
    def unit(name):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read(ROOT / "deploy" / name, encoding="utf-8")
        return parser

    service, timer = unit("purge-imports.service"), unit("purge-imports.timer")
    assert service["Service"]["ExecStart"].endswith("manage.py purge_imports")
    assert service["Service"]["Type"] == "oneshot"
    assert timer["Timer"]["OnCalendar"].startswith("*-*-* ")  # every day
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`IMPORT_RETENTION_DAYS`" in readme and "purge-imports.timer" in readme
