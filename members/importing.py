"""Bulk import of the spreadsheets of spec/import-format.md: one mechanism for every kind.

Read the file (XLSX, or CSV in UTF-8 with or without BOM) → check the headers → read every
cell through the kind's resource → let the resource look everything up in bulk and check
every row → only when no row has an error, write every row in one transaction with bulk
writes. A preview runs the same steps and rolls the transaction back, so what it promises is
exactly what the confirmation does. Errors read `dòng N, cột X: lý do`.

This module is the import's one entry point: the reading of files (import_files.py) and the
batch a resource works on (import_batch.py) and the upkeep of the jobs (import_jobs.py) are
reachable from here under their own names.
"""
import difflib
import logging
import unicodedata

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from . import registry
from .history import Channel, recording
from .import_batch import (  # noqa: F401
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
from .models import Role
from .resources import normalise, unescape_formula
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


def _header(value) -> str:
    return " ".join(normalise(value).split())


def check_headers(resource, headers) -> dict[str, int]:
    """Column name → position; refuses a file with a missing, misspelled or doubled column."""
    names = [_header(h) for h in headers]
    known = resource.headers()
    positions, problems = {}, []
    for i, name in enumerate(names):
        if name in known:
            if name in positions:
                problems.append(_("Cột “%(name)s” xuất hiện hai lần.") % {"name": name})
            positions[name] = i
    unknown = [n for n in names if n and n not in known]
    for column in resource.columns():
        name = column.column_name
        if name in positions:
            continue
        guess = _close_match(name, unknown)
        if guess:
            problems.append(_("Cột “%(found)s” viết sai tên: phải là “%(name)s” (đúng như tệp mẫu, "
                              "có dấu).") % {"found": guess, "name": name})
        elif column.required:
            problems.append(_("Thiếu cột bắt buộc “%(name)s”.") % {"name": name})
    if problems:
        problems.append(_("Các cột của tệp mẫu: %(names)s.") % {"names": ", ".join(known)})
        raise FileRefused(*problems)
    return positions


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _close_match(name, candidates):
    folded = {_fold(c): c for c in candidates}
    match = difflib.get_close_matches(_fold(name), list(folded), n=1, cutoff=0.75)
    return folded[match[0]] if match else None


def _model_field(model, attribute):
    """The model field behind a column, whose validators (length, format) a cell must pass."""
    try:
        f = model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return None
    return None if f.is_relation else f


def parse_rows(resource, headers, raw_rows, total, progress=None):
    """Read every cell of every row; returns (present columns, rows, cell problems). A column
    the file leaves out reads as an empty cell, so a new record takes its default (`Dân tộc`:
    Kinh); resources keep the stored value of an existing record for it (see `present`)."""
    positions = check_headers(resource, headers)
    columns = [c for c in resource.columns() if c.column_name in positions]
    absent = {c.column_name: c.parse(None) for c in resource.columns()
              if c.column_name not in positions}
    model_fields = {c.column_name: _model_field(resource._meta.model, c.attribute)
                    for c in columns if c.attribute and not c.readonly}
    rows, problems, limit = [], [], max_rows()
    for number, raw in raw_rows:
        cells = [unescape_formula(v) if isinstance(v, str) else v for v in raw]
        if all(normalise(v) == "" for v in cells):
            continue
        if len(rows) >= limit:
            raise FileRefused(_("Tệp có hơn %(n)s dòng dữ liệu; hãy chia thành nhiều tệp.") % {
                "n": f"{limit:,}".replace(",", ".")})
        row = Row(number, dict(absent), {})
        for column in columns:
            i = positions[column.column_name]
            value = cells[i] if i < len(cells) else None
            _read_cell(row, column, value, model_fields.get(column.column_name), problems)
        rows.append(row)
        if progress and len(rows) % 1000 == 0:
            progress(min(50 * len(rows) // total, 50), _("Đã đọc %(n)s dòng") % {
                "n": f"{len(rows):,}".replace(",", ".")})
    if not rows:
        raise FileRefused(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
    return set(positions), rows, problems


def _read_cell(row, column, value, model_field, problems):
    name = column.column_name
    try:
        parsed = column.parse(value)
    except ValueError as err:
        row.ok = False
        problems.append(Problem(row.number, name, str(err)))
        row.values[name], row.text[name] = None, ""
        return
    if parsed in (None, "") and column.required:
        row.ok = False
        problems.append(Problem(row.number, name, _("cột bắt buộc, không được để trống.")))
    elif isinstance(parsed, str) and model_field is not None:
        try:
            model_field.run_validators(parsed)
        except ValidationError as err:
            row.ok = False
            problems.append(Problem(row.number, name, " ".join(err.messages)))
    row.values[name] = parsed
    row.text[name] = column.text(parsed)


def check_duplicates(batch):
    seen = {}
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
        present, rows, problems = parse_rows(resource, headers, raw_rows, total, progress)
    except FileRefused as refusal:
        outcome.errors = [Problem(None, "", m) for m in refusal.messages]
        return outcome
    batch = Batch(resource, user=user, present=present, rows=rows, progress=progress,
                  legacy=legacy)
    batch.errors.extend(problems)
    check_duplicates(batch)
    if progress:
        progress(50, _("Đang kiểm tra dữ liệu"))
    resource.plan(batch)
    outcome.rows = len(rows)
    if not batch.errors:
        if progress:
            progress(80, _("Đang ghi vào cơ sở dữ liệu") if commit else _("Đang thử ghi"))
        try:
            with transaction.atomic():
                resource.apply(batch)
                if batch.errors:
                    raise ApplyAborted()
                if not commit:
                    transaction.set_rollback(True)
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
    outcome.errors = sorted(batch.errors, key=lambda p: (p.row or 0))
    outcome.warnings = batch.warnings
    outcome.created, outcome.updated, outcome.unchanged = (
        batch.created, batch.updated, batch.unchanged)
    outcome.applied = commit and not batch.errors
    if progress:
        progress(100, _("Xong"))
    return outcome


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

    def progress(percent, message):
        mine.update(progress=percent, message=str(message), heartbeat_at=timezone.now())

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
    if outcome.applied:
        status = S.APPLIED
    else:
        status = S.PREVIEWED if outcome.ok else S.REJECTED
    mine.update(status=status, progress=100, finished_at=timezone.now(),
                heartbeat_at=timezone.now(), result=outcome.as_dict())
    return True


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
