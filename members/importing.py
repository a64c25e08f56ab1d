"""Bulk import of the spreadsheets of spec/import-format.md: one mechanism for every kind.

Read the file (XLSX, or CSV in UTF-8 with or without BOM) as it streams → check the headers →
read every cell through the kind's resource → let the resource look everything up in bulk,
check every row and write them with bulk writes, all in one transaction that is rolled back
as soon as one row has an error (every row is still checked, so every error is reported).
A resource with `chunk_rows` (candidates) does this a chunk of rows at a time, so the memory
an import takes does not grow with the file. A preview runs the same steps and rolls the
transaction back, so what it promises is exactly what the confirmation does. Errors read
`dòng N, cột X: lý do`.

The one entry point: files (import_files.py, import_rows.py), the batch (import_batch.py)
and the jobs' upkeep (import_jobs.py) are reachable from here under their own names.
"""
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from . import registry
from .history import Channel, recording
from .import_batch import (  # noqa: F401
    PREVIEW_ROWS,
    ApplyAborted,
    Batch,
    Outcome,
    Problem,
    Row,
    Scope,
    may_load_legacy_records,
)
from .import_files import (  # noqa: F401
    MAX_COLUMNS,
    NOT_A_SPREADSHEET,
    XLS_MAGIC,
    XLSX_MAGIC,
    FileRefused,
    max_rows,
    max_upload_bytes,
    max_upload_mb,
    read_table,
    too_large,
    too_long,
)
from .import_jobs import (  # noqa: F401
    fail_if_stale,
    fail_stale_jobs,
    file_purged_message,
    interrupted_message,
    purge_files,
    retention_days,
    stale_minutes,
)
from .import_rows import RowReader, check_headers, parse_rows, thousands  # noqa: F401
from .models import Role
from .selectors import grants_of

logger = logging.getLogger(__name__)

# Every kind of the spec, in the order a whole database is loaded: each app registers its
# own kinds from its AppConfig.ready(), and apps are made ready lower first.
KINDS = registry.import_kinds


def resource_class(kind: str):
    """The resource of a kind, or None (unknown kind, or its app does not have one yet)."""
    path = KINDS.get(kind)
    if path is None or not isinstance(path, str):
        return path
    try:
        return import_string(path)
    except ModuleNotFoundError as err:
        if err.name == path.rsplit(".", 1)[0]:  # that app has no resources module
            return None
        raise


def available_kinds() -> list[str]:
    return [k for k in KINDS if resource_class(k) is not None]


def kinds_for(user) -> list[str]:
    """The kinds this user may import (at least one of the resource's roles, or superuser)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return available_kinds()
    roles = {g.role for g in grants_of(user)}
    return [k for k in available_kinds()
            if roles & {*resource_class(k).import_roles, Role.ADMINISTRATOR}]


def check_duplicates(batch):
    """Rows whose key an earlier row of the file has (in this chunk or an earlier one)."""
    seen = batch.seen
    for row in batch.good_rows():
        keyed = batch.resource.row_key(row)
        if keyed is None:
            continue
        column, key = keyed
        if key in seen:
            batch.error(row, column, _("trùng với dòng %(first)s (cùng khóa nhận diện).") % {
                "first": seen[key]})
        else:
            seen[key] = row.number


def _unique_violation(err) -> bool:
    """A unique key taken between the check and the write (another user was faster), as
    opposed to any other refusal of the database."""
    if not isinstance(err, IntegrityError):
        return False
    cause = err.__cause__
    if getattr(cause, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    return str(err).startswith("UNIQUE constraint failed")  # SQLite


def run(kind, source, *, user, commit, progress=None, legacy=False, job=None) -> Outcome:
    """Import the file `source` (binary, seekable) of `kind` as `user` (None: the command line
    with every right). With `commit` False nothing stays written: a preview. `legacy` (or the
    job's `legacy_records`): a load of old paper records by an administrator, where a hard
    rule broken by a row is a warning instead of an error. Every history row written is
    marked as coming through the import (and `job`)."""
    with recording(Channel.IMPORT, job=job):
        return _run(kind, source, user=user, commit=commit, progress=progress,
                    legacy=legacy or bool(getattr(job, "legacy_records", False)))


def _run(kind, source, *, user, commit, progress, legacy) -> Outcome:
    resource_cls = resource_class(kind)
    if resource_cls is None:
        raise ValueError(f"unknown import kind: {kind}")
    resource = resource_cls()
    outcome = Outcome(kind=kind)
    if legacy and not may_load_legacy_records(user):
        outcome.errors = [Problem(None, "", _(
            "Chỉ quản trị hệ thống được nạp hồ sơ giấy cũ; không dòng nào được ghi."))]
        return outcome
    try:
        headers, raw_rows, total = read_table(source)
        reader = RowReader(resource, headers, raw_rows, total, progress)
        batch = Batch(resource, user=user, present=reader.present, rows=[], progress=progress,
                      legacy=legacy)
        # One transaction for the whole file: every chunk written is undone when a later one
        # fails, the file is refused or this is a preview.
        with transaction.atomic():
            aborted = _import(batch, reader, commit=commit)
            if aborted or batch.errors or not commit:
                transaction.set_rollback(True)
    except FileRefused as refusal:
        outcome.errors = [Problem(None, "", m) for m in refusal.messages]
        return outcome
    outcome.rows = reader.count
    outcome.errors = sorted(batch.errors, key=lambda p: (p.row or 0))
    outcome.warnings = batch.warnings
    outcome.preview = batch.preview
    if reader.examples:
        outcome.notes.append(_("Đã bỏ qua dòng ví dụ của tệp mẫu (dòng %(rows)s).") % {
            "rows": ", ".join(str(n) for n in reader.examples)})
    outcome.created, outcome.updated, outcome.unchanged = (
        batch.created, batch.updated, batch.unchanged)
    outcome.applied = commit and not batch.errors and not aborted
    if progress:
        progress(100, _("Xong"))
    return outcome


def _import(batch, reader, *, commit) -> bool:
    """Check and write the file's rows, the whole file at once or, for a resource with
    `chunk_rows`, a chunk at a time: read, checked and written before the next is read, so
    what is held does not grow with the file (only the keys seen and the errors do). Every
    chunk is checked, so every error of every row is reported; none is written once one
    error is found. True when a write was aborted."""
    resource = batch.resource
    size = getattr(resource, "chunk_rows", None)
    writing, aborted = True, False
    for rows, problems in reader.chunks(size):
        if size is None:
            span = (0, 100)
        else:  # the bar moves with the rows done (the total is the file's estimate)
            done, total = reader.count, reader.total
            span = (95 * (done - len(rows)) // total, 95 * done // total)
        batch.next_chunk(rows, span)
        batch.errors.extend(problems)
        check_duplicates(batch)
        checking = _("Đang kiểm tra dữ liệu") if size is None else _(
            "Đang kiểm tra dữ liệu (đã đọc %(n)s dòng)") % {"n": thousands(reader.count)}
        batch.progress(0, 1, start=50, end=50, message=checking)
        resource.plan(batch)
        if writing and not batch.errors:
            batch.progress(0, 1, start=80, end=80, message=_("Đang ghi vào cơ sở dữ liệu")
                           if commit else _("Đang thử ghi"))
            writing = _apply(batch)
            aborted = not writing
        else:
            writing = False
        batch.next_chunk([], batch.span)  # the chunk's rows and objects can go
    return aborted


def _apply(batch) -> bool:
    """Write what was planned for the rows at hand, within a savepoint of the import's
    transaction: a refusal undoes this chunk's writes and leaves the connection usable, so
    the rest of the file is still checked. False when nothing more may be written."""
    kind = batch.resource.slug
    try:
        with transaction.atomic():
            batch.resource.apply(batch)
            if batch.errors:
                raise ApplyAborted()
        return True
    except ApplyAborted:
        pass
    except DatabaseError as err:
        if _unique_violation(err):
            logger.warning("import of %s lost a race on a unique key: %s", kind, err)
            batch.errors.append(Problem(None, "", _(
                "Cơ sở dữ liệu từ chối ghi vì một mã (số CCCD, số thẻ, mã tổ chức…) vừa "
                "được dùng (có thể dữ liệu vừa bị người khác thay đổi). Không dòng nào được "
                "ghi; hãy kiểm tra lại tệp.")))
        else:
            logger.exception("import of %s refused by the database", kind)
            batch.errors.append(Problem(None, "", _(
                "Lỗi hệ thống khi ghi vào cơ sở dữ liệu; không dòng nào được ghi. Hãy báo "
                "quản trị hệ thống.")))
    except ValidationError as err:
        logger.warning("import of %s refused by a model check: %s", kind, err)
        batch.errors.append(Problem(None, "", _(
            "Dữ liệu không hợp lệ: %(err)s. Không dòng nào được ghi.") % {
            "err": "; ".join(err.messages)}))
    return False


# Background jobs: large files are checked and applied by a task of the Django tasks API
# (`TASKS` in settings; `manage.py db_worker` runs them), the state kept in ImportJob.

def background_min_bytes() -> int:
    return int(getattr(settings, "IMPORT_BACKGROUND_MIN_BYTES", 512 * 1024))


def queue(job):
    """Run the job within the request when the file is small, else hand it to a worker."""
    if not job.file or job.file.size < background_min_bytes():
        run_job(job)
        job.refresh_from_db()
    else:
        job_id = job.pk
        transaction.on_commit(lambda: run_import_job.enqueue(job_id))


@task()
def run_import_job(job_id: int) -> str:
    from .models import ImportJob

    # Each run is also a sweep: a job left running by a worker that died is settled here.
    fail_stale_jobs()
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    run_job(job)
    job.refresh_from_db(fields=["status"])
    return job.status


def run_job(job) -> bool:
    """Claim and run one queued job; False when another worker took it first."""
    from .models import ImportJob

    S = ImportJob.Status
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=S.QUEUED).update(
        status=S.RUNNING, started_at=now, heartbeat_at=now, progress=0, message="")
    if not claimed:
        return False
    job.refresh_from_db()
    # This run's own row: once a sweep has failed it and the user has queued it again, what
    # this run still writes would be about another run.
    mine = ImportJob.objects.filter(pk=job.pk, started_at=job.started_at)

    beat = Heartbeat(job)

    def progress(percent, message):
        beat.update(progress=percent, message=str(message), heartbeat_at=timezone.now())

    if not job.file:
        mine.update(status=S.FAILED, finished_at=timezone.now(), message=file_purged_message())
        return True
    try:
        with job.file.open("rb") as source:
            outcome = run(job.kind, source, user=job.user, commit=job.commit, progress=progress,
                          legacy=job.legacy_records, job=job)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        mine.update(status=S.FAILED, finished_at=timezone.now(),
                    message=_("Lỗi hệ thống khi xử lý tệp; không dòng nào được ghi."))
        return True
    finally:
        beat.close()
    if outcome.applied:
        status = S.APPLIED
    else:
        status = S.PREVIEWED if outcome.ok else S.REJECTED
    mine.update(status=status, progress=100, finished_at=timezone.now(),
                heartbeat_at=timezone.now(), result=outcome.as_dict())
    return True


class Heartbeat:
    """The progress of a running job (its sign of life for the stale-job sweep), as the job
    page reads it. The whole file is checked and written in one transaction, and what the job's
    row gets inside it would show only once it ends (with the row locked meanwhile); so on
    PostgreSQL, for a job run outside any transaction of its caller (a worker), the updates
    made while that transaction is open go through a connection of their own, in autocommit.
    Elsewhere (SQLite, a job run inline inside a request's transaction) they go with the
    import, as before."""

    LOCK_TIMEOUT = "2s"  # never wait long on the job's row: a progress update can be skipped

    def __init__(self, job):
        from .models import ImportJob

        self.job, self.side = job, None
        self.jobs = ImportJob.objects.filter(pk=job.pk, started_at=job.started_at)
        self.own = connection.vendor == "postgresql" and not connection.in_atomic_block

    def update(self, **values):
        if not (self.own and connection.in_atomic_block):
            self.jobs.update(**values)
            return
        try:
            self._side_update(values)
        except DatabaseError:
            logger.warning("progress of import job %s not written", self.job.pk, exc_info=True)
            self.close()
            self.own = False  # the next ones wait for the import's transaction

    def _side_update(self, values):
        from .models import ImportJob

        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        meta, quote = ImportJob._meta, self.side.ops.quote_name
        columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
        with self.side.cursor() as cursor:
            # Set and reset each time: the connection may go back to a pool.
            cursor.execute(f"SET lock_timeout = '{self.LOCK_TIMEOUT}'")
            try:
                cursor.execute(
                    f"UPDATE {quote(meta.db_table)} SET {columns} "
                    f"WHERE {quote(meta.pk.column)} = %s "
                    f"AND {quote(meta.get_field('started_at').column)} = %s",
                    [*values.values(), self.job.pk, self.job.started_at])
            finally:
                cursor.execute("RESET lock_timeout")

    def close(self):
        if self.side is not None:
            self.side.close()
            self.side = None


def next_queued_job():
    from .models import ImportJob

    return ImportJob.objects.filter(status=ImportJob.Status.QUEUED).order_by("created_at").first()


# Retrying a job that failed.

class RetryRefused(Exception):
    pass


def retry_job(job):
    """Queue a failed job again with the same file (and the same preview or confirmation).
    Raises RetryRefused when the file is gone or the job is not failed."""
    from .models import ImportJob

    queued = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.FAILED).exclude(file="").update(
        status=ImportJob.Status.QUEUED, progress=0, message="", result={}, started_at=None,
        heartbeat_at=None, finished_at=None)
    if not queued:
        job.refresh_from_db()
        if not job.file:
            raise RetryRefused(file_purged_message())
        raise RetryRefused(_("Chỉ thử lại được lượt nhập bị lỗi hệ thống hoặc bị gián đoạn."))
    job.refresh_from_db()
    queue(job)
