"""History of personal data: every change to a member or a candidate is a row of its
historical table (django-simple-history), with who, when, old and new values, and through
what the change came (a page, an import job, the admin, a command).

The channel is taken from the context a write runs in (`recording(...)`); a request without
one is a page, or the admin under /admin/. Bulk imports write their history rows in bulk with
the same fields (`bulk_history_attrs`).

People are never deleted outright (`KeptQuerySet`, `refuse_deletion`): leaving is a stage,
and a deleted row would take the person out of every past figure. `changes_of` reads the
history back as the person's page shows it.
"""
import contextlib
import contextvars
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
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


# The length of simple-history's history_change_reason column.
CHANGE_REASON_LENGTH = 100


def give_reason(person, reason: str) -> None:
    """The reason the next save of `person` writes on its history row (a correction's "why"),
    cut to the column's length; a caller that needs the whole reason keeps it elsewhere."""
    person._change_reason = reason[:CHANGE_REASON_LENGTH]


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


_purging: contextvars.ContextVar = contextvars.ContextVar("purging_people", default=False)


@contextlib.contextmanager
def purging():
    """Lets people be deleted outright inside this block. Only for emptying a database on
    purpose (tests, an erasure ordered by law from a shell); the application never does."""
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


def refuse_deletion(model) -> None:
    if not _purging.get():
        raise ValidationError(
            _("Không được xóa hẳn hồ sơ %(kind)s: người rời danh sách được ghi bằng một bước "
              "(rút khỏi danh sách, xóa tên, chuyển đi) và lịch sử được giữ lại.")
            % {"kind": model._meta.verbose_name})


class KeptQuerySet(models.QuerySet):
    """A queryset of people: `.delete()` is refused like `Model.delete()`."""

    def delete(self):
        refuse_deletion(self.model)
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


# Reading the history back ------------------------------------------------------------------

HISTORY_LIMIT = 50  # a page shows this many latest records; older ones stay in the admin
EMPTY = _("(trống)")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    step: bool = False  # a pipeline step: its own fields are in the timeline


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    channel: str
    job_id: int | None = None
    job_url: str = ""  # empty when the viewer may not open the import job
    kind: str = "changed"  # created, changed, deleted, or unknown (no earlier record)
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""  # why it was changed, when the change was a correction


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    capped: bool  # older records exist beyond the `limit` shown
    limit: int
    steps: int = 0  # pipeline steps left out: the timeline (Quá trình) shows them


def _who(user) -> str:
    if user is None:
        return "—"
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def _channel_label(code) -> str:
    try:
        return str(Channel(code).label)
    except ValueError:
        return code or "—"


def _shown(model_field, value, names) -> str:
    """A stored value as the person's page writes it."""
    if value is None or value == "":
        return str(EMPTY)
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _related_names(model, fields, records) -> dict:
    """Names of the organisations (and people) the records point to: one query per model."""
    wanted: dict = {}
    for f in fields:
        if f.is_relation:
            ids = wanted.setdefault(f.related_model, set())
            ids.update(getattr(r, f.attname) for r in records)
    names = {}
    for related, ids in wanted.items():
        ids.discard(None)
        if not ids:
            continue
        for pk, obj in related._default_manager.in_bulk(ids).items():
            names[(related, pk)] = getattr(obj, "name", None) or str(obj)
    return names


def changes_of(person, *, may_open_jobs, limit: int = HISTORY_LIMIT) -> HistoryPage:
    """The person's history, newest first, each record compared with the one before it.

    A model may fold a pipeline step into one line: `history_step_field` names the field
    whose change marks a step, `history_step_fields` the fields the step writes (the
    timeline shows them). `may_open_jobs(ids)` returns the import jobs the viewer may open.
    A fixed number of queries whatever the length: the records with their users, one per
    related model, one for the import jobs.
    """
    model = type(person)
    tracked = {f.name for f in person.history.model.tracked_fields if f.editable}
    fields = [f for f in model._meta.fields if f.name in tracked]
    order = {f.name: i for i, f in enumerate(fields)}
    by_name = {f.name: f for f in fields}
    step_field = getattr(model, "history_step_field", None)
    step_fields = set(getattr(model, "history_step_fields", ()))

    latest = list(person.history.select_related("history_user")
                  .order_by("-history_date", "-history_id")[: limit + 1])
    capped = len(latest) > limit
    records = latest[::-1]  # oldest first; when capped the first one is only a baseline
    names = _related_names(model, fields, records)
    job_ids = {r.history_job_id for r in records if r.history_job_id}
    openable = set(may_open_jobs(job_ids)) if job_ids else set()

    entries, steps = [], 0
    for i, record in enumerate(records):
        if capped and i == 0:
            continue
        previous = records[i - 1] if i else None
        entry = HistoryEntry(
            when=timezone.localtime(record.history_date), who=_who(record.history_user),
            channel=_channel_label(record.history_channel), job_id=record.history_job_id,
            job_url=(reverse("members:import_job", args=[record.history_job_id])
                     if record.history_job_id in openable else ""),
            reason=record.history_change_reason or "")
        if record.history_type == "+":
            entry.kind = "created"
        elif record.history_type == "-":
            entry.kind = "deleted"
        elif previous is None:
            entry.kind = "unknown"
        else:
            delta = record.diff_against(previous, included_fields=tracked)
            changed = sorted(delta.changes, key=lambda c: order[c.field])
            stepped = step_field is not None and step_field in delta.changed_fields
            for change in changed:
                if stepped and change.field in step_fields:
                    continue
                f = by_name[change.field]
                entry.changes.append(FieldChange(
                    label=capfirst(f.verbose_name), old=_shown(f, change.old, names),
                    new=_shown(f, change.new, names), step=stepped and f.name == step_field))
            if stepped and all(c.step for c in entry.changes):
                steps += 1  # a plain step: the timeline tells it with its document
                continue
            if not entry.changes:
                continue  # nothing the page shows changed (a save that wrote the same values)
        entries.append(entry)
    entries.reverse()
    return HistoryPage(entries=entries, capped=capped, limit=limit, steps=steps)
