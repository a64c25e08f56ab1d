"""What an import works on once the file is read: the rows (of the file, or of one chunk of it),
the user's scope, the errors and warnings found, and the outcome handed back to the page, the
command line or the job."""
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Organisation, Role
from .selectors import grants_of, roles_over


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


@dataclass(slots=True)
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
    # The first rows that will be (or were) created or changed, for the preview: dicts of
    # `row`, `action` ("new" or "changed") and `cells`, a list of [column, old, new].
    preview: list = field(default_factory=list)
    # What the import left aside on purpose and says so (the template's example row).
    notes: list = field(default_factory=list)

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


# The preview lists this many rows (the rest are counted): what an import holds stays bounded
# however long the file, as its chunks are.
PREVIEW_ROWS = 200


class ApplyAborted(Exception):
    """Raised inside the transaction to roll everything back (the reason is in the batch)."""


def may_load_legacy_records(user) -> bool:
    """Only administrators load old paper records with hard rules kept as warnings."""
    return Scope(user).administrator


@dataclass(slots=True)
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    values: dict
    text: dict
    ok: bool = True


class Batch:
    """What a resource sees while planning and applying a file: the rows, the user's scope
    and roles, bulk look-ups, and the error and warning lists.

    A resource with `chunk_rows` gets the file a chunk at a time (`next_chunk`): `rows` and
    `state` (what `plan` decided, for `apply`) are the chunk's, while the errors, warnings,
    counts, the keys seen (`seen`, for duplicates) and `kept` (what the resource carries from
    one chunk to the next) are the whole file's.

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
        self.kept: dict = {}
        self.seen: dict = {}  # a row's key → the number of the first row with it
        self.preview: list[dict] = []  # the first PREVIEW_ROWS rows created or changed
        self.today = timezone.localdate()
        self._progress = progress
        self.span = (0, 100)  # the part of the progress bar the rows at hand stand for

    def next_chunk(self, rows, span=(0, 100)):
        """The next rows of the file to plan and apply; what was planned for the rows before
        has been written (or dropped)."""
        self.rows, self.state, self.span = rows, {}, span

    def good_rows(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    def error(self, row, column, message):
        row.ok = False
        self.errors.append(Problem(row.number, column, str(message)))

    def will_create(self, row):
        """The row makes a new record: counted, and shown in the preview with its cells."""
        self.created += 1
        self._preview(row, "new", [[c, "", t] for c, t in row.text.items()
                                   if c in self.present and t])

    def will_change(self, row, old: dict):
        """The row changes a record whose cells read `old` (as exported): counted, and shown
        in the preview as old → new for the cells that differ."""
        self.updated += 1
        self._preview(row, "changed", [[c, old[c], t] for c, t in row.text.items()
                                       if c in self.present and c in old and old[c] != t])

    def _preview(self, row, action, cells):
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append({"row": row.number, "action": action, "cells": cells})

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
        """`done` of `total` of a step that takes the bar from `start` to `end` percent, within
        the part of the bar the rows at hand stand for (the whole bar for a whole file)."""
        if self._progress and total:
            lo, hi = self.span
            percent = start + (end - start) * done // total
            self._progress(lo + (hi - lo) * percent // 100,
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

    def organisations_for(self, rows, column, *, branch=False, failed=True) -> dict:
        """The organisations named in `column`, checked to exist, to be in the user's scope
        (and to be branches when `branch`); errors are recorded on the rows. With `failed`,
        the rows at hand already refused for another cell are checked too (when this cell was
        read), so one upload reports an unknown code beside a bad date of the same row."""
        if failed:
            given = {id(r) for r in rows}
            rows = [*rows, *(r for r in self.rows if not r.ok and id(r) not in given
                             and r.values.get(column) not in (None, ""))]
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

    def branches_for(self, rows, column, *, failed=True) -> dict:
        return self.organisations_for(rows, column, branch=True, failed=failed)

    def not_future(self, row, columns) -> bool:
        ok = True
        for column in columns:
            day = row.values.get(column)
            if day and day > self.today:
                self.error(row, column, _("ngày %(day)s là ngày trong tương lai.") % {
                    "day": day.strftime("%d/%m/%Y")})
                ok = False
        return ok
