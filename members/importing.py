"""Bulk import of the spreadsheets of spec/import-format.md: one mechanism for every kind.

Read the file (XLSX, or CSV in UTF-8 with or without BOM) → check the headers → read every
cell through the kind's resource → let the resource look everything up in bulk and check
every row → only when no row has an error, write every row in one transaction with bulk
writes. A preview runs the same steps and rolls the transaction back, so what it promises is
exactly what the confirmation does. Errors read `dòng N, cột X: lý do`.
"""
import csv
import difflib
import io
import itertools
import logging
import unicodedata
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from .history import Channel, recording
from .models import Organisation, Role
from .resources import normalise, unescape_formula
from .selectors import grants_of, roles_over

logger = logging.getLogger(__name__)

# Every kind of the spec, in the order a whole database is loaded.
KINDS = {
    "organisations": "members.resources.OrganisationResource",
    "members": "members.resources.MemberResource",
    "candidates": "recruitment.resources.CandidateResource",
    "classes": "recruitment.resources.TrainingClassResource",
    "enrolments": "recruitment.resources.EnrolmentResource",
    "targets": "reports.resources.TargetResource",
}


def resource_class(kind: str):
    """The resource of a kind, or None (unknown kind, or its app does not have one yet)."""
    path = KINDS.get(kind)
    if path is None:
        return None
    try:
        return import_string(path)
    except ModuleNotFoundError as err:
        if err.name == path.rsplit(".", 1)[0]:  # that app has no resources module
            return None
        raise


def available_kinds() -> list[str]:
    return [k for k in KINDS if resource_class(k) is not None]


def max_upload_mb() -> float:
    return getattr(settings, "IMPORT_MAX_UPLOAD_MB", 20)


def max_upload_bytes() -> int:
    return int(max_upload_mb() * 1024 * 1024)


def too_large(size: int) -> str:
    """The refusal of a file over the limit, sizes written the Vietnamese way (50,0 MB)."""
    return _("Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB. Hãy chia thành nhiều tệp nhỏ "
             "hơn.") % {"size": f"{size / 1048576:.1f}".replace(".", ","),
                         "limit": f"{max_upload_mb():g}".replace(".", ",")}


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 100_000))


def kinds_for(user) -> list[str]:
    """The kinds this user may import (at least one of the resource's roles, or superuser)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return available_kinds()
    roles = {g.role for g in grants_of(user)}
    return [k for k in available_kinds()
            if roles & {*resource_class(k).import_roles, Role.ADMINISTRATOR}]


class Scope:
    """Where a user may import: the subtrees where they hold one of the kind's roles (a branch
    secretary: the branch; organisation-department staff: their subtree); superusers and the
    command line without --as: everywhere."""

    def __init__(self, user, roles=()):
        self.everything = user is None or user.is_superuser
        roles = {*roles, Role.ADMINISTRATOR}
        grants = [] if self.everything else [
            g.organisation for g in grants_of(user) if g.role in roles]
        self.administrator = self.everything or any(
            g.role == Role.ADMINISTRATOR for g in grants_of(user))
        self.roots = []
        for org in sorted(grants, key=lambda o: o.path):
            if not any(org.path.startswith(r.path) for r in self.roots):
                self.roots.append(org)

    def covers(self, organisation) -> bool:
        return self.everything or any(organisation.path.startswith(r.path) for r in self.roots)


@dataclass
class Problem:
    """One reason a row (or the whole file, when `row` is None) cannot be imported."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        return _("dòng %(row)s, cột %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Outcome:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Outcome":
        data = dict(data)
        data["errors"] = [Problem(**p) for p in data.get("errors", [])]
        data["warnings"] = [Problem(**p) for p in data.get("warnings", [])]
        return cls(**data)


class FileRefused(Exception):
    """The file as a whole cannot be read (size, format, headers); nothing is looked at."""

    def __init__(self, *messages):
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


class ApplyAborted(Exception):
    """Raised inside the transaction to roll everything back (the reason is in the batch)."""


# Reading files.

XLSX_MAGIC, XLS_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


def _size(source) -> int:
    size = getattr(source, "size", None)
    if size is None:
        position = source.tell()
        source.seek(0, io.SEEK_END)
        size = source.tell()
        source.seek(position)
    return size


def read_table(source):
    """(headers, rows, estimated row count) of the first sheet; rows are (the row's number as
    the spreadsheet shows it, the list of its raw cells), only the rows holding something."""
    size = _size(source)
    if size == 0:
        raise FileRefused(_("Tệp rỗng: không có tiêu đề cột và không có dòng dữ liệu nào."))
    if size > max_upload_bytes():
        raise FileRefused(too_large(size))
    source.seek(0)
    head = source.read(8)
    source.seek(0)
    if head.startswith(XLSX_MAGIC):
        return _read_xlsx(source)
    if head.startswith(XLS_MAGIC):
        raise FileRefused(_("Tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy mở tệp và lưu lại "
                            "dưới dạng .xlsx hoặc CSV UTF-8."))
    return _read_csv(source)


NOT_A_SPREADSHEET = "Tệp không phải bảng tính XLSX hoặc CSV (UTF-8); hãy dùng tệp mẫu."


def _guarded(rows):
    """Rows of a reader; a file that turns out broken half-way is refused, not a crash."""
    try:
        yield from rows
    except FileRefused:
        raise
    except Exception as err:  # csv.Error, a truncated zip member, malformed XML …
        raise FileRefused(_(NOT_A_SPREADSHEET)) from err


def _read_xlsx(source):
    import zipfile

    from openpyxl import load_workbook

    try:
        # A few MB of XLSX can unpack to gigabytes (a "zip bomb"): refuse before reading.
        unpacked = sum(i.file_size for i in zipfile.ZipFile(source).infolist())
        source.seek(0)
    except (zipfile.BadZipFile, OSError) as err:
        raise FileRefused(_(NOT_A_SPREADSHEET)) from err
    if unpacked > 10 * max_upload_bytes():
        raise FileRefused(_("Tệp XLSX quá lớn khi giải nén; hãy chia thành nhiều tệp nhỏ hơn."))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as err:  # a damaged or foreign zip: openpyxl raises many kinds
        raise FileRefused(_(NOT_A_SPREADSHEET)) from err
    # The used range the file declares is not to be trusted: openpyxl pads every row up to it,
    # and `A1:XFD1048576` costs a million rows of 16,384 cells for one cell present.
    last_row = max_rows() + 1  # the header, then the rows of data
    if (sheet.max_row or 0) > last_row:
        raise FileRefused(too_long(sheet.max_row))
    rows = _guarded(_present_rows(sheet, last_row))
    first = next(rows, None)
    if first is None:
        raise FileRefused(_("Tệp rỗng: không có tiêu đề cột và không có dòng dữ liệu nào."))
    number, header_cells = first
    if number != 1:  # the header is row 1: what starts lower is data under no header
        rows, header_cells = itertools.chain([first], rows), {}
    # Only the columns with a name are read, so one stray cell in column XFD does not make
    # every row 16,384 cells wide.
    named = sorted(c for c, v in header_cells.items() if normalise(v) != "")
    if len(named) > MAX_COLUMNS:
        raise FileRefused(_("Dòng tiêu đề có %(n)s cột, quá nhiều so với mọi tệp mẫu; hãy dùng "
                            "tệp mẫu.") % {"n": f"{len(named):,}".replace(",", ".")})
    headers = [header_cells[c] for c in named]
    return headers, _within(rows, named), max((sheet.max_row or 0) - 1, 1)


def _read_csv(source):
    raw = source.read()
    if b"\x00" in raw[:65536]:
        raise FileRefused(_(NOT_A_SPREADSHEET))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("Tệp CSV không ở bảng mã UTF-8: trong Excel hãy chọn Lưu dưới dạng "
                            "“CSV UTF-8”. Hoặc tệp không phải bảng tính.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = _guarded(csv.reader(io.StringIO(text), delimiter=delimiter))
    headers = next(reader, None)
    if not headers:
        raise FileRefused(_("Tệp rỗng: không có tiêu đề cột và không có dòng dữ liệu nào."))
    return headers, enumerate(reader, start=2), max(text.count("\n") - 1, 1)


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


# The batch: one file being checked and applied.

@dataclass
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    values: dict
    text: dict
    ok: bool = True


class Batch:
    """What a resource sees while planning and applying a file: the rows, the user's scope
    and roles, bulk look-ups, and the error and warning lists.

    `legacy`: the administrator's one-off load of old paper records, where a hard rule broken
    by a row is kept as a warning on its history instead of refusing the row."""

    def __init__(self, resource, *, user, present, rows, progress=None, legacy=False):
        self.resource = resource
        self.user = user
        self.actor = user if user is not None and user.is_authenticated else None
        self.scope = Scope(user, resource.import_roles)
        self.legacy = legacy
        self._roles: dict = {}
        self.present = present
        self.rows = rows
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.created = self.updated = self.unchanged = 0
        self.state: dict = {}
        self.today = timezone.localdate()
        self._progress = progress

    def good_rows(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    def error(self, row, column, message):
        row.ok = False
        self.errors.append(Problem(row.number, column, str(message)))

    def warn(self, row, column, message):
        self.warnings.append(Problem(row.number, column, str(message)))

    def finding(self, row, column, finding):
        """A rule broken by a row's history: a hard rule refuses the row, as the page refuses
        the step, except in a load of old paper records; a soft one is a warning."""
        if finding.hard and not self.legacy:
            self.error(row, column, str(finding))
        else:
            self.warn(row, column, str(finding))

    def roles_over(self, organisation) -> set[str]:
        """The roles the user holds over an organisation; the command line without a user
        acts as an administrator."""
        if self.user is None:
            return set(Role.values)
        if organisation.pk not in self._roles:
            self._roles[organisation.pk] = roles_over(self.user, organisation)
        return self._roles[organisation.pk]

    def lacks(self, roles, organisation) -> str | None:
        """None when the user may act with one of `roles` at `organisation` (administrators
        may do everything), else the roles needed, by their labels (“Bí thư chi bộ hoặc Cán
        bộ Ban Tổ chức”)."""
        held = self.roles_over(organisation)
        if Role.ADMINISTRATOR in held or held & set(roles):
            return None
        return _(" hoặc ").join(str(Role(r).label) for r in roles)

    def taken_elsewhere(self, what) -> str:
        """The one answer for a unique number (CCCD, card) the row cannot use: the same
        whether it belongs to someone outside the user's scope or is tied to another record,
        so the answer never tells who holds it or where."""
        return _("%(what)s này đã có trong hệ thống; liên hệ Ban Tổ chức.") % {"what": what}

    def progress(self, done, total, start=50, end=80, message=""):
        if self._progress and total:
            self._progress(start + (end - start) * done // total,
                           message or _("Đang kiểm tra dữ liệu"))

    def abort(self, message=""):
        if message:
            self.errors.append(Problem(None, "", str(message)))
        return ApplyAborted(message)

    def fetch(self, queryset, field_name, values) -> list:
        """Objects whose `field_name` is in `values`: one query per chunk of values (the
        databases limit how many parameters one statement takes)."""
        values = [v for v in values if v not in (None, "")]
        chunk = max((connection.features.max_query_params or 20000) - 100, 100)
        found = []
        for i in range(0, len(values), chunk):
            found.extend(queryset.filter(**{f"{field_name}__in": values[i:i + chunk]}))
        return found

    def outside_scope(self, code) -> str:
        return _("“%(code)s” nằm ngoài phạm vi bạn được phân quyền nhập dữ liệu.") % {
            "code": code}

    def organisations_for(self, rows, column, *, branch=False) -> dict:
        """The organisations named in `column`, checked to exist, to be in the user's scope
        (and to be branches when `branch`); errors are recorded on the rows."""
        codes = {r.values.get(column) for r in rows}
        found = {o.code: o for o in self.fetch(Organisation.objects.all(), "code", codes)}
        valid = {}
        for row in rows:
            code = row.values.get(column)
            org = found.get(code)
            if org is None:
                self.error(row, column, _("không có tổ chức nào mã “%(code)s”.") % {"code": code})
            elif not self.scope.covers(org):
                self.error(row, column, self.outside_scope(code))
            elif branch and not org.is_branch:
                self.error(row, column, _("“%(code)s” là %(kind)s, không phải chi bộ.") % {
                    "code": code, "kind": org.get_kind_display().lower()})
            else:
                valid[code] = org
        return valid

    def branches_for(self, rows, column) -> dict:
        return self.organisations_for(rows, column, branch=True)

    def not_future(self, row, columns) -> bool:
        ok = True
        for column in columns:
            day = row.values.get(column)
            if day and day > self.today:
                self.error(row, column, _("ngày %(day)s là ngày trong tương lai.") % {
                    "day": day.strftime("%d/%m/%Y")})
                ok = False
        return ok


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


def may_load_legacy_records(user) -> bool:
    """Only administrators load old paper records with hard rules kept as warnings."""
    return Scope(user).administrator


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


# Reading a worksheet by the cells it holds.

def too_long(last_row: int) -> str:
    return _("Trang tính khai báo vùng dữ liệu đến dòng %(row)s, vượt giới hạn %(n)s dòng dữ "
             "liệu (cộng dòng tiêu đề). Nếu bên dưới chỉ là dòng trống, hãy xóa hẳn các dòng đó "
             "trong Excel rồi lưu lại; nếu không, hãy chia thành nhiều tệp.") % {
        "row": f"{last_row:,}".replace(",", "."), "n": f"{max_rows():,}".replace(",", ".")}


# Several times the widest template: a wider header row is not one of ours.
MAX_COLUMNS = 200


def _present_rows(sheet, last_row):
    """(row number, {column number: value}) of each row of a read-only sheet that holds a
    value, straight from the sheet's XML: no row or cell is made up for the gaps. Reading
    beyond `last_row` (or more row elements than that) refuses the file."""
    from openpyxl.worksheet._reader import WorkSheetParser

    # openpyxl's public iterators pad gaps and widths; its parser (the one they use) does not.
    book = sheet.parent
    with sheet._get_source() as xml:
        parser = WorkSheetParser(xml, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for seen, (number, cells) in enumerate(parser.parse(), start=1):
            if number > last_row or seen > last_row:
                raise FileRefused(too_long(max(number, seen)))
            values = {c["column"]: c["value"] for c in cells if c["value"] is not None}
            if values:
                yield number, values


def _within(rows, named):
    """Rows as lists of the cells under the named columns. A value under no name belongs to
    no column but still makes its row a row, as before: one such value is kept, last."""
    columns = set(named)
    for number, values in rows:
        cells = [values.get(c) for c in named]
        stray = next((v for c, v in values.items() if c not in columns), None)
        yield number, cells if stray is None else [*cells, stray]


# Jobs whose worker died, retries, and how long uploaded files are kept.

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
    from datetime import timedelta

    from django.db.models.functions import Coalesce

    from .models import ImportJob

    cutoff = timezone.now() - timedelta(minutes=stale_minutes())
    return jobs.filter(status=ImportJob.Status.RUNNING).alias(
        last_sign=Coalesce("heartbeat_at", "started_at", "created_at")).filter(
        last_sign__lt=cutoff)


def fail_stale_jobs(jobs=None) -> int:
    """Mark as failed every running job whose worker is gone; returns how many. A job
    still queued is left alone: it fails nothing by waiting, and queueing it again would
    only put it back in the same line."""
    from .models import ImportJob

    jobs = ImportJob.objects.all() if jobs is None else jobs
    # The condition is checked again by the UPDATE itself: a heartbeat arriving meanwhile wins.
    return _stale_running(jobs).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now(),
        message=interrupted_message())


def fail_if_stale(job) -> bool:
    """The job page's own check: settles this job if its worker is gone."""
    from .models import ImportJob

    if job.status != ImportJob.Status.RUNNING:
        return False
    failed = fail_stale_jobs(ImportJob.objects.filter(pk=job.pk))
    if failed:
        job.refresh_from_db()
    return bool(failed)


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


def purge_files(days=None) -> int:
    """Delete the uploaded files (full of personal data) of the jobs finished more than
    `days` (IMPORT_RETENTION_DAYS) ago; the job and its result stay. Returns how many."""
    from datetime import timedelta

    from django.db.models.functions import Coalesce

    from .models import ImportJob

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
