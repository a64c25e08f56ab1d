"""History of personal data: every change to a member or a candidate is a row of its
historical table (django-simple-history), with who, when, old and new values, and through
what the change came (a page, an import job, the admin, a command).

The channel is taken from the context a write runs in (`recording(...)`); a request without
one is a page, or the admin under /admin/. Bulk imports write their history rows in bulk with
the same fields (`bulk_history_attrs`).
"""
import contextlib
import contextvars

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class Channel(models.TextChoices):
    PAGE = "page", _("Trang ứng dụng")
    IMPORT = "import", _("Nhập tệp")
    ADMIN = "admin", _("Trang quản trị")
    COMMAND = "command", _("Lệnh quản trị")


_current: contextvars.ContextVar = contextvars.ContextVar("history_channel", default=None)


@contextlib.contextmanager
def recording(channel: str, *, job=None):
    """Writes inside this block are recorded as coming through `channel` (and `job`)."""
    token = _current.set((channel, getattr(job, "pk", job)))
    try:
        yield
    finally:
        _current.reset(token)


def current_channel() -> tuple[str, int | None]:
    explicit = _current.get()
    if explicit is not None:
        return explicit
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return Channel.COMMAND, None
    if request.path.startswith("/admin/"):
        return Channel.ADMIN, None
    return Channel.PAGE, None


def bulk_history_attrs() -> dict:
    """The extra fields of history rows written in bulk (bulk_create_with_history …)."""
    channel, job = current_channel()
    return {"history_channel": channel, "history_job_id": job}


class PersonHistory(models.Model):
    """The fields every historical row of a person carries beside the person's own."""

    history_channel = models.CharField(_("qua"), max_length=16, choices=Channel.choices,
                                       default=Channel.COMMAND)
    history_job_id = models.BigIntegerField(_("lượt nhập dữ liệu"), null=True, blank=True)

    class Meta:
        abstract = True


def person_history(*excluded):
    return HistoricalRecords(
        bases=[PersonHistory],
        excluded_fields=["search_name", "created_at", "updated_at", *excluded],
    )


@receiver(pre_create_historical_record)
def _stamp_channel(sender, instance, history_instance, **kwargs):
    if isinstance(history_instance, PersonHistory):
        channel, job = current_channel()
        history_instance.history_channel = channel
        history_instance.history_job_id = job
