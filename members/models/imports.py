"""Uploaded spreadsheets on their way through preview and confirmation."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _import_upload_path(job, filename):
    import uuid

    from django.utils import timezone

    return f"imports/{timezone.now():%Y/%m}/{job.kind}-{uuid.uuid4().hex}-{filename}"[:250]


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way through preview and confirmation. Small files are
    handled within the request; large ones by a background task (`manage.py db_worker`),
    which writes the progress here so any app server can show it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        PREVIEWED = "previewed", _("Đã kiểm tra, chờ xác nhận")
        REJECTED = "rejected", _("Tệp có lỗi, chưa nhập")
        APPLIED = "applied", _("Đã nhập")
        FAILED = "failed", _("Lỗi hệ thống")

    kind = models.CharField(_("loại dữ liệu"), max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhập"),
                             on_delete=models.PROTECT, related_name="+")
    # Emptied once the retention period is over (`manage.py purge_imports`).
    file = models.FileField(_("tệp"), upload_to=_import_upload_path, max_length=255, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    # False: the queued run only checks and previews; True: it applies (after confirmation).
    commit = models.BooleanField(default=False)
    # The administrator's one-off load of old paper records: a hard rule broken on a row is
    # kept as a warning instead of refusing the row.
    legacy_records = models.BooleanField(_("nạp hồ sơ giấy cũ"), default=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Touched by the worker while it runs; a running job whose heartbeat stops is stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="importjob_status_idx")]

    def __str__(self):
        return f"{self.kind} · {self.filename} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)
