"""The organisations file: the party tree loaded or moved from a spreadsheet, parents before
children, without cycles and inside the user's scope.

`Số cán bộ, công chức` is the unit's headcount in force today (dated rows, see
members/headcounts.py): a unit without any row gets the count from the start; a count other
than today's becomes a new row from the day of the import, so earlier reports keep theirs.
An empty cell leaves the headcount as it is."""
from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..headcounts import staff_on
from ..models import (
    ALLOWED_PARENT_KINDS,
    FROM_THE_START,
    MAX_DEPTH,
    PATH_STEP,
    Organisation,
    OrganisationKind,
    Role,
    StaffHeadcount,
)
from .base import SpreadsheetResource
from .columns import ChoiceWidget, CodeWidget, Column, CountWidget

STAFF = "Số cán bộ, công chức"


def with_staff(queryset):
    """The units with `staff_today` (the headcount in force today, as exported) and
    `has_headcount` (any row at all), read in the same query."""
    return queryset.annotate(
        staff_today=staff_on(),
        has_headcount=Exists(StaffHeadcount.objects.filter(organisation=OuterRef("pk"))))


def _existing_by_code(batch, codes):
    return {o.code: o for o in batch.fetch(with_staff(Organisation.objects.all()), "code", codes)}


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
    staff_headcount = Column(STAFF, "staff_today", CountWidget(), example="9",
                             note=gettext_lazy("Số đang áp dụng hôm nay; số khác sẽ áp dụng từ "
                                               "ngày nhập. Để trống: giữ nguyên."))

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
        return with_staff(qs.select_related("parent")).order_by("path")

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
        plan.update(new=[], changed=[], moves=[], known=known, headcounts=[])
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
            staff = row.values.get(STAFF)
            if existing is None:
                plan["new"].append(row)
                if staff is not None:
                    plan["headcounts"].append((code, FROM_THE_START, staff))
                batch.will_create(row)
                continue
            old = self.render(existing)
            fields_differ = self.differs(existing, row, batch.present - {STAFF})
            staff_differs = staff is not None and (
                not existing.has_headcount or existing.staff_today != staff)
            if fields_differ:
                existing.name, existing.kind = row.values["Tên tổ chức"], kind
                plan["changed"].append(existing)
                if moving:
                    plan["moves"].append((existing, parent_code))
            if staff_differs:
                since = batch.today if existing.has_headcount else FROM_THE_START
                plan["headcounts"].append((code, since, staff))
            if fields_differ or staff_differs:
                batch.will_change(row, old)
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
                    depth=len(path) // PATH_STEP))
            Organisation.objects.bulk_create(objects, batch_size=500)
            created.update({o.code: o for o in objects})
            done = {id(r) for r in level}
            pending = [r for r in pending if id(r) not in done]
        if plan["changed"]:
            Organisation.objects.bulk_update(plan["changed"], ["name", "kind"], batch_size=500)
        for org, parent_code in plan["moves"]:
            org.parent = known.get(parent_code) or created.get(parent_code)
            org.save()  # moves the whole subtree in one statement
        self._write_headcounts(batch, {**known, **created})

    @staticmethod
    def _write_headcounts(batch, units):
        # A count typed again on the day of an earlier import corrects that day's row.
        rows = [StaffHeadcount(organisation=units[code], valid_from=since, staff=staff,
                               actor=batch.actor, imported=True)
                for code, since, staff in batch.state["headcounts"]]
        if rows:
            StaffHeadcount.objects.bulk_create(
                rows, batch_size=500, update_conflicts=True,
                unique_fields=["organisation", "valid_from"],
                update_fields=["staff", "actor", "imported", "recorded_at"])
