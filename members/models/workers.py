"""Signs of life from the background workers, so the pages and /healthz can tell a job that
waits its turn from a job that waits for a worker nobody started."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One running `manage.py worker` process: written when it starts, touched every few
    seconds while it lives, deleted when it stops cleanly. A row left by a killed worker simply
    grows old (`members.heartbeat.worker_alive` looks only at recent ones)."""

    hostname = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("mã tiến trình"))
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    seen_at = models.DateTimeField(_("báo hoạt động lúc"), db_index=True)

    class Meta:
        verbose_name = _("tiến trình nền")
        verbose_name_plural = _("tiến trình nền")
        constraints = [models.UniqueConstraint(fields=["hostname", "pid"],
                                               name="worker_heartbeat_process")]

    def __str__(self):
        return f"{self.hostname}:{self.pid}"
