"""Keeping the import jobs in order: settling the jobs whose worker died, and deleting the
uploaded files (full of personal data) once they have been kept long enough."""
from datetime import timedelta

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportJob


def stale_minutes() -> int:
    return int(getattr(settings, "IMPORT_STALE_MINUTES", 10))


def retention_days() -> int:
    return int(getattr(settings, "IMPORT_RETENTION_DAYS", 30))


def interrupted_message() -> str:
    return _("Lượt nhập bị gián đoạn (tiến trình xử lý dừng giữa chừng); không dòng nào được "
             "ghi. Bấm “Thử lại” để xử lý lại tệp này.")


def file_purged_message() -> str:
    return _("Tệp đã được xóa sau %(days)s ngày lưu giữ; hãy tải tệp lên lại.") % {
        "days": retention_days()}


def _stale_running(jobs):
    """Running jobs that have given no sign of life for IMPORT_STALE_MINUTES: the worker
    touches `heartbeat_at` with every progress update (every 1,000 rows read or planned),
    so silence that long means it died (or was killed for taking too long)."""
    cutoff = timezone.now() - timedelta(minutes=stale_minutes())
    return jobs.filter(status=ImportJob.Status.RUNNING).alias(
        last_sign=Coalesce("heartbeat_at", "started_at", "created_at")).filter(
        last_sign__lt=cutoff)


def fail_stale_jobs(jobs=None) -> int:
    """Mark as failed every running job whose worker is gone; returns how many. A job
    still queued is left alone: it fails nothing by waiting, and queueing it again would
    only put it back in the same line."""
    jobs = ImportJob.objects.all() if jobs is None else jobs
    # The condition is checked again by the UPDATE itself: a heartbeat arriving meanwhile wins.
    return _stale_running(jobs).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now(),
        message=interrupted_message())


def fail_if_stale(job) -> bool:
    """The job page's own check: settles this job if its worker is gone."""
    if job.status != ImportJob.Status.RUNNING:
        return False
    failed = fail_stale_jobs(ImportJob.objects.filter(pk=job.pk))
    if failed:
        job.refresh_from_db()
    return bool(failed)


def purge_files(days=None) -> int:
    """Delete the uploaded files (full of personal data) of the jobs finished more than
    `days` (IMPORT_RETENTION_DAYS) ago; the job and its result stay. Returns how many."""
    days = retention_days() if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    resting = ImportJob.objects.exclude(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]).exclude(file="")
    old = resting.alias(ended=Coalesce("finished_at", "created_at")).filter(ended__lt=cutoff)
    purged = 0
    for job in old.only("pk", "file").iterator():
        name, storage = job.file.name, job.file.storage
        # The row first, on the same condition: a retry queued meanwhile keeps its file.
        if resting.filter(pk=job.pk).update(file=""):
            storage.delete(name)
            purged += 1
    return purged
