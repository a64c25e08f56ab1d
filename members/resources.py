"""The spreadsheet layouts of spec/import-format.md as django-import-export resources.

One resource per kind names its columns (Vietnamese headers, widgets that read and write
dd/mm/yyyy, Nam/Nữ, Có/Không) and knows how to plan and apply a whole file at once; the
generic engine in `members/importing.py` reads the file and drives them. Export writes the
same columns, so an export re-imports unchanged.
"""
import csv
import io
import re
import unicodedata
from datetime import date, datetime

from django.db.models import NOT_PROVIDED, F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import selectors
from .history import bulk_history_attrs
from .models import (
    ALLOWED_PARENT_KINDS,
    MAX_DEPTH,
    PATH_STEP,
    Member,
    MemberStatus,
    Organisation,
    OrganisationKind,
    Role,
    Sex,
    fold,
)

# Spreadsheet formula injection: export writes formula-like text behind an apostrophe and
# import takes it off again; members/xlsx.py holds the one rule, re-exported here.
from .xlsx import FORMULA_PREFIXES, escape_formula, unescape_formula, write_xlsx  # noqa: F401


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Vietnamese."""


def normalise(value) -> str:
    """A cell as text: numbers from XLSX without '.0', Unicode NFC, outer spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


# Widgets: read a cell (clean) and write one (render), always as text.

class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return normalise(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class DateWidget(widgets.Widget):
    """dd/mm/yyyy, or a date cell of an XLSX file."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = normalise(value)
        if not text:
            return None
        match = DATE_RE.fullmatch(text)
        if not match:
            raise CellError(_("“%(v)s” không phải ngày; ghi theo dạng dd/mm/yyyy, ví dụ "
                              "02/09/2020.") % {"v": text})
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise CellError(_("ngày “%(v)s” không có thật.") % {"v": text}) from None

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _casefold(text) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


class ChoiceWidget(widgets.Widget):
    """A stored code written as its Vietnamese label (`Nam`, `Chi bộ trực thuộc`)."""

    def __init__(self, choices, aliases=None, **kwargs):
        super().__init__(**kwargs)
        # Files always carry the spec's Vietnamese labels, whatever language the user reads.
        with translation.override("vi"):
            self.labels = {value: str(label) for value, label in choices}
        self.by_label = {_casefold(label): value for value, label in self.labels.items()}
        for alias, value in (aliases or {}).items():
            self.by_label[_casefold(alias)] = value

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        try:
            return self.by_label[_casefold(text)]
        except KeyError:
            raise CellError(_("“%(v)s” không hợp lệ; ghi một trong: %(choices)s.") % {
                "v": text, "choices": ", ".join(self.labels.values())}) from None

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, "") if value else ""


class YesNoWidget(widgets.Widget):
    YES, NO = "Có", "Không"

    def clean(self, value, row=None, **kwargs):
        text = _casefold(normalise(value))
        if text in ("", _casefold(self.NO)):
            return False
        if text == _casefold(self.YES):
            return True
        raise CellError(_("“%(v)s” không hợp lệ; ghi “Có” hoặc “Không” (để trống là "
                          "“Không”).") % {"v": normalise(value)})

    def render(self, value, obj=None, **kwargs):
        return self.YES if value else self.NO


COUNT_RE = re.compile(r"\d+|\d{1,3}(\.\d{3})+")


class CountWidget(widgets.Widget):
    """A whole number ≥ 0 (`1.234` with Vietnamese thousands dots is read as 1234)."""

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        if not COUNT_RE.fullmatch(text):
            raise CellError(_("“%(v)s” không phải số nguyên không âm.") % {"v": text})
        return int(text.replace(".", ""))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CodeWidget(widgets.ForeignKeyWidget):
    """An organisation (or class) written as its code. The bulk engine resolves all codes of a
    file in one query; `clean` serves django-import-export's own row-by-row import."""

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: text})
        except self.model.DoesNotExist:
            raise CellError(_("không có mã “%(v)s”.") % {"v": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class Column(fields.Field):
    """A column of the spec: header, whether it is required, an example and a short note."""

    def __init__(self, column_name, attribute=None, widget=None, *, required=False,
                 lookup=False, example="", note="", default=NOT_PROVIDED, readonly=False):
        super().__init__(attribute=attribute, column_name=column_name,
                         widget=widget or TextWidget(), default=default, readonly=readonly)
        self.required = required
        self.lookup = lookup  # a code resolved in bulk by the resource, not by the widget
        self.example = example
        self.note = note

    @property
    def hint(self) -> str:
        """The note, or what the widget accepts (shown on the upload page and the template)."""
        if self.note:
            return str(self.note)
        w = self.widget
        if isinstance(w, DateWidget):
            return _("Ngày, dạng dd/mm/yyyy.")
        if isinstance(w, YesNoWidget):
            return _("Có / Không (để trống là Không).")
        if isinstance(w, ChoiceWidget):
            return _("Một trong: %(v)s.") % {"v": ", ".join(w.labels.values())}
        if isinstance(w, CountWidget):
            return _("Số nguyên.")
        if self.default is not NOT_PROVIDED and self.default:
            return _("Để trống là “%(v)s”.") % {"v": w.render(self.default)}
        return ""

    def parse(self, value):
        """The cell's value for the bulk engine: lookups stay text, the rest go through the
        widget (CellError when unreadable), empty cells take the default."""
        if self.lookup:
            parsed = normalise(value) or None
        else:
            parsed = self.widget.clean(value)
        if parsed in (None, "") and self.default is not NOT_PROVIDED:
            return self.default
        return None if parsed == "" else parsed

    def text(self, parsed) -> str:
        """The parsed value written back as export text (to compare with what is stored)."""
        if self.lookup:
            return parsed or ""
        return self.widget.render(parsed)


class SpreadsheetResource(resources.ModelResource):
    """A kind of spreadsheet: its columns, its export query, and the bulk import of a file.

    Subclasses set `slug`, `title`, `import_roles` and implement `export_queryset`, `row_key`,
    `plan` (look everything up in bulk, check every row, decide what to write) and `apply`
    (bulk writes inside the engine's transaction)."""

    slug = ""
    title = ""
    import_roles: tuple = ()
    # Columns whose values identify a row (duplicates in one file are refused on them).

    def columns(self) -> list[Column]:
        return self.get_export_fields()

    def headers(self) -> list[str]:
        return [c.column_name for c in self.columns()]

    def render(self, obj) -> dict[str, str]:
        return dict(zip(self.headers(), self.export_resource(obj), strict=True))

    def export_rows(self, queryset):
        for obj in self.iter_queryset(queryset):
            yield self.export_resource(obj)

    def example_row(self, branch_code="") -> list[str]:
        return [c.example.replace("{branch}", branch_code or "CB-01") for c in self.columns()]

    def differs(self, obj, row, present) -> bool:
        current = self.render(obj)
        return any(current[c] != row.text[c] for c in present if c in current)

    # Subclasses:
    def export_queryset(self, user, params):
        raise NotImplementedError

    def row_key(self, row):
        """(column to name in a duplicate error, key tuple), or None when the key is empty."""
        raise NotImplementedError

    def plan(self, batch):
        raise NotImplementedError

    def apply(self, batch):
        raise NotImplementedError


# Writers: the same rows as XLSX (write-only, streamed to a file) or CSV (UTF-8 with BOM,
# which Excel opens with the Vietnamese letters intact).

def csv_chunks(headers, rows):
    """CSV text in chunks, for a streaming response: BOM, header, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for n, row in enumerate(rows, start=1):
        writer.writerow([escape_formula(v or "") for v in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# Organisations and members.

def _existing_by_code(batch, codes):
    return {o.code: o for o in batch.fetch(Organisation.objects.all(), "code", codes)}


class OrganisationResource(SpreadsheetResource):
    slug = "organisations"
    title = gettext_lazy("Tổ chức đảng")
    import_roles = (Role.ORG_DEPARTMENT,)

    code = Column("Mã tổ chức", "code", required=True, example="{branch}",
                  note=gettext_lazy("Mã duy nhất trong cả cây, ví dụ CAT-HD."))
    name = Column("Tên tổ chức", "name", required=True, example="Chi bộ Phòng Tổ chức")
    org_kind = Column("Loại", "kind", ChoiceWidget(OrganisationKind.choices), required=True,
                      example=str(OrganisationKind.BRANCH.label))
    parent = Column("Mã tổ chức cấp trên", "parent", CodeWidget(Organisation, "code"),
                    lookup=True, example="SGD",
                    note=gettext_lazy("Để trống chỉ với tổ chức cao nhất."))
    staff_headcount = Column("Số cán bộ, công chức", "staff_headcount", CountWidget(),
                             example="9")

    class Meta:
        model = Organisation
        fields = ("code", "name", "org_kind", "parent", "staff_headcount")
        import_id_fields = ("code",)

    def export_queryset(self, user, params):
        visible = selectors.organisations_visible_to(user)
        root_code = (params.get("root") or "").strip()
        q = (params.get("q") or "").strip()
        if root_code:
            root = selectors.get_visible_or_404(visible, code=root_code)
            qs = root.descendants(include_self=not q)
            if q:
                qs = qs.filter(Q(name__icontains=q) | Q(code__iexact=q))
        else:
            qs = visible
        return qs.select_related("parent").order_by("path")

    def row_key(self, row):
        code = row.values.get("Mã tổ chức")
        return ("Mã tổ chức", (code.casefold(),)) if code else None

    def plan(self, batch):
        C, P, K = "Mã tổ chức", "Mã tổ chức cấp trên", "Loại"
        rows = batch.good_rows()
        in_file = {r.values[C]: r for r in rows}
        has_parent_column = P in batch.present
        parent_codes = {r.values[P] for r in rows if r.values.get(P)}
        known = _existing_by_code(batch, set(in_file) | parent_codes)
        # Ancestors of every organisation involved, to walk chains without more queries.
        ancestor_paths = {o.path[:i] for o in known.values()
                          for i in range(PATH_STEP, len(o.path), PATH_STEP)}
        by_path = {o.path: o for o in known.values()}
        for o in batch.fetch(Organisation.objects.all(), "path", ancestor_paths - set(by_path)):
            by_path[o.path] = o
            known[o.code] = o

        def parent_of(code):
            row = in_file.get(code)
            if row is not None and has_parent_column:
                return row.values.get(P)
            org = known.get(code)
            if org is None or org.depth <= 1:
                return row.values.get(P) if row is not None else None
            return by_path[org.path[:-PATH_STEP]].code

        def kind_of(code):
            if code is None:
                return None
            return in_file[code].values[K] if code in in_file else known[code].kind

        plan = batch.state
        plan.update(new=[], changed=[], moves=[], known=known)
        for row in rows:
            code, existing = row.values[C], known.get(row.values[C])
            parent_code = parent_of(code)
            if parent_code and parent_code not in in_file and parent_code not in known:
                batch.error(row, P, _("không có tổ chức nào mã “%(code)s”.") % {
                    "code": parent_code})
                continue
            if self._cycle(code, parent_code, parent_of):
                batch.error(row, P, _("“%(parent)s” là %(code)s hoặc nằm dưới %(code)s: chọn "
                                      "làm cấp trên sẽ tạo vòng lặp.") % {
                    "parent": parent_code, "code": code})
                continue
            kind, parent_kind = row.values[K], kind_of(parent_code)
            if parent_kind not in ALLOWED_PARENT_KINDS.get(kind, set()):
                batch.error(row, K, self._kind_message(kind, parent_kind))
                continue
            moving = existing is not None and has_parent_column and (
                (existing.parent_id and by_path[existing.path[:-PATH_STEP]].code)
                or None) != parent_code
            if existing is not None and not batch.scope.covers(existing):
                batch.error(row, C, batch.outside_scope(code))
                continue
            if existing is None or moving:
                if parent_code is None and not batch.scope.everything:
                    batch.error(row, P, _("chỉ quản trị hệ thống được tạo hoặc chuyển một tổ "
                                          "chức lên cấp cao nhất."))
                    continue
                if parent_code in known and not batch.scope.covers(known[parent_code]):
                    batch.error(row, P, batch.outside_scope(parent_code))
                    continue
            if existing is None:
                plan["new"].append(row)
                batch.created += 1
            elif self.differs(existing, row, batch.present):
                existing.name, existing.kind = row.values["Tên tổ chức"], kind
                if "Số cán bộ, công chức" in batch.present:
                    existing.staff_headcount = row.values["Số cán bộ, công chức"]
                plan["changed"].append(existing)
                if moving:
                    plan["moves"].append((existing, parent_code))
                batch.updated += 1
            else:
                batch.unchanged += 1

    @staticmethod
    def _cycle(code, parent_code, parent_of) -> bool:
        seen, current = set(), parent_code
        while current is not None and current not in seen and len(seen) <= MAX_DEPTH * 4:
            if current == code:
                return True
            seen.add(current)
            current = parent_of(current)
        return current is not None and current in seen

    @staticmethod
    def _kind_message(kind, parent_kind):
        label = OrganisationKind(kind).label
        if parent_kind is None:
            return _("%(kind)s phải trực thuộc một tổ chức cấp trên.") % {"kind": label}
        return _("%(kind)s không thể trực thuộc %(parent)s.") % {
            "kind": label, "parent": OrganisationKind(parent_kind).label}

    def apply(self, batch):
        plan = batch.state
        known, created = plan["known"], {}
        P = "Mã tổ chức cấp trên"
        new_rows = plan["new"]
        # Paths: the next free number under each parent, counted from the stored children.
        parent_ids = {known[r.values[P]].pk for r in new_rows
                      if r.values.get(P) in known}
        last = dict(Organisation.objects.filter(parent_id__in=parent_ids).values("parent_id")
                    .annotate(last=Max("path")).values_list("parent_id", "last"))
        root_last = Organisation.objects.filter(parent__isnull=True).aggregate(
            last=Max("path"))["last"]
        counters = {pid: int(p[-PATH_STEP:]) for pid, p in last.items()}
        counters[None] = int(root_last) if root_last else 0
        # Parents before children: create level by level (at most the tree's depth).
        pending = list(new_rows)
        while pending:
            waiting = {r.values["Mã tổ chức"] for r in pending}
            level = [r for r in pending if r.values.get(P) not in waiting]
            if not level:
                raise batch.abort(_("Không sắp xếp được các tổ chức mới theo cấp."))
            objects = []
            for row in level:
                parent = known.get(row.values.get(P)) or created.get(row.values.get(P))
                key = parent.pk if parent else None
                counters[key] = counters.get(key, 0) + 1
                if counters[key] >= 10 ** PATH_STEP:
                    raise batch.abort(_("Tổ chức cấp trên đã có quá nhiều tổ chức trực thuộc."))
                path = (parent.path if parent else "") + str(counters[key]).zfill(PATH_STEP)
                if len(path) // PATH_STEP > MAX_DEPTH:
                    batch.error(row, P, _("Cây tổ chức quá sâu."))
                    raise batch.abort()
                objects.append(Organisation(
                    code=row.values["Mã tổ chức"], name=row.values["Tên tổ chức"],
                    kind=row.values["Loại"], parent=parent, path=path,
                    depth=len(path) // PATH_STEP,
                    staff_headcount=row.values.get("Số cán bộ, công chức")))
            Organisation.objects.bulk_create(objects, batch_size=500)
            created.update({o.code: o for o in objects})
            done = {id(r) for r in level}
            pending = [r for r in pending if id(r) not in done]
        if plan["changed"]:
            Organisation.objects.bulk_update(plan["changed"], ["name", "kind", "staff_headcount"],
                                             batch_size=500)
        for org, parent_code in plan["moves"]:
            org.parent = known.get(parent_code) or created.get(parent_code)
            org.save()  # moves the whole subtree in one statement


class MemberResource(SpreadsheetResource):
    """The members list. Who may write what, as on the pages:

    - a new member, or a changed `Ngày vào Đảng` / `Ngày chính thức` (and so the status,
      probationary or official, that follows from it), is an admission or recognition
      decision: only the organisation department (or an administrator) over the member's
      branch records it;
    - a branch secretary only updates the other columns (name, birth date, sex, ethnicity,
      religion, card number, profession) of members already in their branch;
    - a member admitted through a dossier in the app keeps the dates of that dossier: no file
      rewrites them, whoever imports it;
    - a member outside the user's scope is a stranger: not matched by name (the row reads as
      a new member), and a card number they hold gets one neutral answer.
    """

    slug = "members"
    title = gettext_lazy("Đảng viên")
    import_roles = (Role.BRANCH_SECRETARY, Role.ORG_DEPARTMENT)
    deciding_roles = (Role.ORG_DEPARTMENT,)
    decision_columns = ("Ngày vào Đảng", "Ngày chính thức")

    full_name = Column("Họ và tên", "full_name", required=True, example="Nguyễn Thị Lan")
    birth_date = Column("Ngày sinh", "birth_date", DateWidget(), required=True,
                        example="17/05/1990")
    sex = Column("Giới tính", "sex", ChoiceWidget(Sex.choices), required=True, example="Nữ")
    ethnicity = Column("Dân tộc", "ethnicity", default="Kinh", example="Kinh")
    religion = Column("Tôn giáo", "religion", default="Không", example="Không")
    organisation = Column("Mã tổ chức", "organisation", CodeWidget(Organisation, "code"),
                          required=True, lookup=True, example="{branch}",
                          note=gettext_lazy("Chi bộ nơi đảng viên sinh hoạt."))
    card_number = Column("Số thẻ đảng viên", "card_number", example="01001234")
    admitted_date = Column("Ngày vào Đảng", "admitted_date", DateWidget(), required=True,
                           example="02/03/2015")
    official_date = Column("Ngày chính thức", "official_date", DateWidget(),
                           example="02/03/2016",
                           note=gettext_lazy("Để trống: còn là đảng viên dự bị."))
    profession = Column("Trình độ chuyên môn", "profession", example="Cử nhân Luật")

    class Meta:
        model = Member
        fields = ("full_name", "birth_date", "sex", "ethnicity", "religion", "organisation",
                  "card_number", "admitted_date", "official_date", "profession")
        import_id_fields = ("card_number",)

    def export_queryset(self, user, params):
        return selectors.search_members(user, **selectors.member_filters(params))

    def row_key(self, row):
        card = row.values.get("Số thẻ đảng viên")
        if card:
            return "Số thẻ đảng viên", ("card", card)
        name, born = row.values.get("Họ và tên"), row.values.get("Ngày sinh")
        return ("Họ và tên", ("name", name.casefold(), born)) if name and born else None

    def plan(self, batch):
        rows = batch.good_rows()
        orgs = batch.branches_for(rows, "Mã tổ chức")
        # `dossier`: the candidate whose ceremony made this member (the recruitment app's
        # reverse link), None for members loaded from files.
        qs = Member.objects.select_related("organisation").annotate(dossier=F("candidate__pk"))
        by_card = {m.card_number: m for m in batch.fetch(
            qs, "card_number",
            {r.values["Số thẻ đảng viên"] for r in rows if r.values.get("Số thẻ đảng viên")})}
        by_name = {}
        for m in batch.fetch(qs, "full_name", {r.values["Họ và tên"] for r in rows
                                               if not r.values.get("Số thẻ đảng viên")}):
            if batch.scope.covers(m.organisation):
                by_name.setdefault((m.full_name, m.birth_date), []).append(m)
        plan = batch.state
        plan.update(new=[], changed=[])
        for row in rows:
            v = row.values
            org = orgs.get(v["Mã tổ chức"])
            if org is None:
                continue  # branches_for has reported it
            if v.get("Số thẻ đảng viên"):
                existing = by_card.get(v["Số thẻ đảng viên"])
                if existing is not None and not batch.scope.covers(existing.organisation):
                    batch.error(row, "Số thẻ đảng viên",
                                batch.taken_elsewhere(_("số thẻ đảng viên")))
                    continue
            else:
                found = by_name.get((v["Họ và tên"], v["Ngày sinh"]), [])
                if len(found) > 1:
                    batch.error(row, "Họ và tên", _(
                        "có %(n)s đảng viên cùng họ tên và ngày sinh; hãy ghi số thẻ đảng "
                        "viên.") % {"n": len(found)})
                    continue
                existing = found[0] if found else None
            if not self._dates_ok(batch, row) or not self._may_write(batch, row, org, existing):
                continue
            if existing is None:
                member = Member(organisation=org)
                self._fill(member, v, batch.present)
                plan["new"].append(member)
                batch.created += 1
            elif self.differs(existing, row, batch.present):
                existing.organisation = org
                self._fill(existing, v, batch.present)
                plan["changed"].append(existing)
                batch.updated += 1
            else:
                batch.unchanged += 1

    def _may_write(self, batch, row, org, existing) -> bool:
        if existing is None:
            needed = batch.lacks(self.deciding_roles, org)
            if needed:
                batch.error(row, "Họ và tên", _(
                    "không có đảng viên này trong phạm vi của bạn; thêm một đảng viên là ghi "
                    "quyết định kết nạp, cần vai trò %(roles)s.") % {"roles": needed})
            return not needed
        current = self.render(existing)
        decided = [c for c in self.decision_columns
                   if c in batch.present and current[c] != row.text[c]]
        if not decided:
            return True
        if existing.dossier is not None:
            batch.error(row, decided[0], _(
                "đảng viên này được kết nạp theo hồ sơ trên ứng dụng; ngày vào Đảng và ngày chính "
                "thức lấy từ hồ sơ, không sửa bằng nhập tệp (đang ghi “%(old)s”).") % {
                "old": current[decided[0]] or _("(trống)")})
            return False
        needed = (batch.lacks(self.deciding_roles, existing.organisation)
                  or batch.lacks(self.deciding_roles, org))
        if needed:
            batch.error(row, decided[0], _(
                "sửa ngày vào Đảng hoặc ngày chính thức là ghi quyết định kết nạp hoặc công nhận "
                "chính thức, cần vai trò %(roles)s (đang ghi “%(old)s”).") % {
                "roles": needed, "old": current[decided[0]] or _("(trống)")})
        return not needed

    @staticmethod
    def _dates_ok(batch, row):
        v = row.values
        ok = batch.not_future(row, ("Ngày sinh", "Ngày vào Đảng", "Ngày chính thức"))
        if v["Ngày vào Đảng"] <= v["Ngày sinh"]:
            batch.error(row, "Ngày vào Đảng", _("ngày vào Đảng phải sau ngày sinh."))
            ok = False
        if v.get("Ngày chính thức") and v["Ngày chính thức"] < v["Ngày vào Đảng"]:
            batch.error(row, "Ngày chính thức", _("ngày chính thức không thể trước ngày vào "
                                                  "Đảng."))
            ok = False
        return ok

    FIELDS = {"Họ và tên": "full_name", "Ngày sinh": "birth_date", "Giới tính": "sex",
              "Dân tộc": "ethnicity", "Tôn giáo": "religion", "Số thẻ đảng viên": "card_number",
              "Ngày vào Đảng": "admitted_date", "Ngày chính thức": "official_date",
              "Trình độ chuyên môn": "profession"}

    def _fill(self, member, values, present):
        for column, attr in self.FIELDS.items():
            if column in present or member.pk is None:
                value = values.get(column)
                setattr(member, attr, "" if value is None and attr == "profession" else value)
        member.search_name = fold(member.full_name)
        if member.status in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL):
            member.status = (MemberStatus.OFFICIAL if member.official_date
                             else MemberStatus.PROBATIONARY)

    def apply(self, batch):
        plan = batch.state
        history = {"default_user": batch.actor, "custom_historical_attrs": bulk_history_attrs()}
        if plan["new"]:
            bulk_create_with_history(plan["new"], Member, batch_size=500, **history)
        if plan["changed"]:
            now = timezone.now()
            for member in plan["changed"]:
                member.updated_at = now
            bulk_update_with_history(
                plan["changed"], Member, ["organisation", "status", "search_name", "updated_at",
                                          *self.FIELDS.values()], batch_size=500, **history)
