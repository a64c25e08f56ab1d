"""The training classes file: awareness and new-member classes, each under the organisation
that runs it, with its course number kept unique."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Organisation, Role
from members.resources import ChoiceWidget, CodeWidget, Column, DateWidget, SpreadsheetResource

from .. import selectors
from ..models import ClassKind, TrainingClass


def classes_for_page(user, params):
    """The classes the class list shows, with the same filters (kind, year, q)."""
    return selectors.search_classes(user, **selectors.class_filters(params))


class TrainingClassResource(SpreadsheetResource):
    slug = "classes"
    title = gettext_lazy("Lớp bồi dưỡng")
    import_roles = (Role.ORG_DEPARTMENT,)

    code = Column("Mã lớp", "code", required=True, example="DBK-NT-2024-1")
    class_kind = Column("Loại lớp", "kind", ChoiceWidget(ClassKind.choices), required=True,
                        example=str(ClassKind.AWARENESS.label))
    organiser = Column("Đơn vị tổ chức", "organiser", CodeWidget(Organisation, "code"),
                       required=True, lookup=True, example="DBK")
    start_date = Column("Ngày khai giảng", "start_date", DateWidget(), required=True,
                        example="04/03/2024")
    end_date = Column("Ngày bế giảng", "end_date", DateWidget(), required=True,
                      example="08/03/2024")
    place = Column("Địa điểm", "place", example="Trung tâm Chính trị tỉnh")

    class Meta:
        model = TrainingClass
        fields = ("code", "class_kind", "organiser", "start_date", "end_date", "place")
        import_id_fields = ("code",)

    def export_queryset(self, user, params):
        return classes_for_page(user, params).select_related("organiser").order_by(
            "-start_date", "code")

    def row_key(self, row):
        code = row.values.get("Mã lớp")
        return ("Mã lớp", (code.casefold(),)) if code else None

    def plan(self, batch):
        rows = batch.good_rows()
        organisers = batch.organisations_for(rows, "Đơn vị tổ chức")
        existing = {c.code: c for c in batch.fetch(
            TrainingClass.objects.select_related("organiser"), "code",
            {r.values["Mã lớp"] for r in rows})}
        courses = {(c.organiser_id, c.kind, c.year, c.course_number): c.code
                   for c in batch.fetch(TrainingClass.objects.only(
                       "organiser_id", "kind", "year", "course_number", "code"),
                       "organiser_id", {o.pk for o in organisers.values()})}
        batch.state.update(new=[], changed=[])
        for row in rows:
            v = row.values
            organiser = organisers.get(v["Đơn vị tổ chức"])
            if organiser is None:
                continue
            if v["Ngày bế giảng"] < v["Ngày khai giảng"]:
                batch.error(row, "Ngày bế giảng", _("ngày bế giảng trước ngày khai giảng."))
                continue
            current = existing.get(v["Mã lớp"])
            if current is not None and not batch.scope.covers(current.organiser):
                batch.error(row, "Mã lớp", batch.outside_scope(current.code))
                continue
            if current is not None and not self.differs(current, row, batch.present):
                batch.unchanged += 1
                continue
            old = self.render(current) if current else None
            c = current or TrainingClass(code=v["Mã lớp"], year=v["Ngày khai giảng"].year,
                                         created_by=batch.actor)
            c.kind, c.organiser = v["Loại lớp"], organiser
            c.start_date, c.end_date = v["Ngày khai giảng"], v["Ngày bế giảng"]
            if "Địa điểm" in batch.present:
                c.place = v.get("Địa điểm") or ""
            if current is None:
                c.course_number = self._course_number(c)
            key = (organiser.pk, c.kind, c.year, c.course_number)
            if courses.get(key, c.code) != c.code:
                batch.error(row, "Mã lớp", _("%(org)s đã có lớp cùng loại, cùng khóa %(no)s năm "
                                             "%(year)s (mã %(other)s).") % {
                    "org": organiser.code, "no": c.course_number, "year": c.year,
                    "other": courses[key]})
                continue
            courses[key] = c.code
            batch.state["changed" if current else "new"].append(c)
            if current:
                batch.will_change(row, old)
            else:
                batch.will_create(row)

    @staticmethod
    def _course_number(c) -> str:
        """The course number inside a code built by `TrainingClass.fill_code`, else the code."""
        prefix = c.code_prefix()
        number = c.code[len(prefix):] if c.code.startswith(prefix) else c.code
        return number[-20:]

    def apply(self, batch):
        TrainingClass.objects.bulk_create(batch.state["new"], batch_size=500)
        if batch.state["changed"]:
            TrainingClass.objects.bulk_update(
                batch.state["changed"], ["kind", "organiser", "start_date", "end_date", "place"],
                batch_size=500)
