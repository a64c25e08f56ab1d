"""The learners file: who attended which class and with what result, each learner found by
name and birth date inside the class's organisation and the user's scope."""
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, Role, subtree_q
from members.resources import ChoiceWidget, CodeWidget, Column, DateWidget, SpreadsheetResource
from members.selectors import sees_everything

from .. import selectors
from ..models import Candidate, ClassKind, Enrolment, Result, TrainingClass
from .candidate_columns import B, N
from .classes import classes_for_page

RESULT_LABELS = [(Result.PASSED, "Đạt"), (Result.FAILED, "Không đạt"), (Result.ABSENT, "Vắng"),
                 (Result.PENDING, "Chưa có kết quả")]


class EnrolmentResource(SpreadsheetResource):
    slug = "enrolments"
    title = gettext_lazy("Học viên các lớp")
    import_roles = (Role.ORG_DEPARTMENT,)

    training_class = Column("Mã lớp", "training_class", CodeWidget(TrainingClass, "code"),
                            required=True, lookup=True, example="DBK-NT-2024-1")
    person_name = Column(N, required=True, readonly=True, example="Hoàng Thị Quỳnh Anh")
    person_birth = Column(B, widget=DateWidget(), required=True, readonly=True,
                          example="17/05/1995")
    result = Column("Kết quả", "result", ChoiceWidget(RESULT_LABELS, {"Hoàn thành": "passed"}),
                    required=True, example="Đạt")
    certificate_number = Column("Số giấy chứng nhận", "certificate_number", example="123/GCN")

    class Meta:
        model = Enrolment
        fields = ("training_class", "person_name", "person_birth", "result",
                  "certificate_number")

    def dehydrate_person_name(self, e):
        return e.person.full_name

    def dehydrate_person_birth(self, e):
        return DateWidget().render(e.person.birth_date)

    def export_queryset(self, user, params):
        qs = Enrolment.objects.filter(training_class__in=classes_for_page(user, params))
        if not sees_everything(user):
            roots = selectors.scope_roots(user)
            qs = qs.filter(subtree_q(roots, prefix="candidate__organisation__")
                           | subtree_q(roots, prefix="member__organisation__"))
        return qs.select_related("training_class", "candidate", "member").order_by(
            "-training_class__start_date", "training_class__code",
            Coalesce("candidate__search_name", "member__search_name"), "pk")

    def row_key(self, row):
        v = row.values
        if not (v.get("Mã lớp") and v.get(N) and v.get(B)):
            return None
        return N, (v["Mã lớp"].casefold(), v[N].casefold(), v[B])

    def plan(self, batch):
        rows = batch.good_rows()
        visible = selectors.classes_visible_to(batch.user) if batch.user else \
            TrainingClass.objects.all()
        classes = {c.code: c for c in batch.fetch(visible.select_related("organiser"), "code",
                                                   {r.values["Mã lớp"] for r in rows})}
        names = {r.values[N] for r in rows}
        people = {}
        for model, kind in ((Candidate, ClassKind.AWARENESS), (Member, ClassKind.NEW_MEMBER)):
            for p in batch.fetch(model.objects.select_related("organisation"), "full_name",
                                 names):
                people.setdefault((kind, p.full_name, p.birth_date), []).append(p)
        enrolled = {}
        for e in batch.fetch(Enrolment.objects.select_related("candidate", "member"),
                             "training_class_id",
                             {c.pk for c in classes.values()}):
            enrolled[(e.training_class_id, e.candidate_id, e.member_id)] = e
        numbers = {(e.training_class_id, e.certificate_number): e for e in enrolled.values()
                   if e.certificate_number}
        batch.state.update(new=[], changed=[])
        for row in rows:
            self._plan_row(batch, row, classes, people, enrolled, numbers)

    def _plan_row(self, batch, row, classes, people, enrolled, numbers):
        v = row.values
        tc = classes.get(v["Mã lớp"])
        if tc is None:
            batch.error(row, "Mã lớp", _("không có lớp nào mã “%(code)s”.") % {
                "code": v["Mã lớp"]})
            return
        # Someone outside the user's scope is not found, as if they did not exist.
        found = [p for p in people.get((tc.kind, v[N], v[B]), [])
                 if tc.organiser.contains(p.organisation)
                 and batch.scope.covers(p.organisation)]
        who = _("quần chúng") if tc.kind == ClassKind.AWARENESS else _("đảng viên")
        if len(found) != 1:
            batch.error(row, N, (_("không tìm thấy %(who)s tên này, sinh ngày này thuộc %(org)s.")
                                 if not found else _("có nhiều %(who)s cùng họ tên và ngày sinh "
                                                     "thuộc %(org)s.")) % {
                "who": who, "org": tc.organiser.code})
            return
        person = found[0]
        is_candidate = isinstance(person, Candidate)
        key = (tc.pk, person.pk if is_candidate else None, None if is_candidate else person.pk)
        current = enrolled.get(key)
        number = v.get("Số giấy chứng nhận") or ""
        passed = v["Kết quả"] == Result.PASSED
        other = numbers.get((tc.pk, number))
        if number and other is not None and other is not current:
            batch.error(row, "Số giấy chứng nhận", _("số giấy chứng nhận đã dùng cho người "
                                                     "khác trong lớp này."))
            return
        if passed and not number:
            batch.warn(row, "Số giấy chứng nhận", _("hoàn thành nhưng chưa có số giấy chứng "
                                                    "nhận."))
        if current is not None and current.recorded_in_pipeline and not passed:
            batch.error(row, "Kết quả", _("kết quả hoàn thành đã ghi vào hồ sơ, không sửa "
                                          "được."))
            return
        if current is not None and not self.differs(current, row, batch.present):
            batch.unchanged += 1
            return
        old = self.render(current) if current else None
        e = current or Enrolment(training_class=tc, enrolled_by=batch.actor,
                                 **{"candidate" if is_candidate else "member": person})
        e.result = v["Kết quả"]
        if "Số giấy chứng nhận" in batch.present or current is None:
            e.certificate_number = number
        e.certificate_date = (e.certificate_date or tc.end_date) if passed else None
        # Imported results are history: the candidates file carries the pipeline's dates.
        e.recorded_in_pipeline = e.recorded_in_pipeline or passed
        if number:
            numbers[(tc.pk, number)] = e
        batch.state["changed" if current else "new"].append(e)
        if current:
            batch.will_change(row, old)
        else:
            batch.will_create(row)

    def apply(self, batch):
        Enrolment.objects.bulk_create(batch.state["new"], batch_size=500)
        if batch.state["changed"]:
            Enrolment.objects.bulk_update(
                batch.state["changed"], ["result", "certificate_number", "certificate_date",
                                         "recorded_in_pipeline"], batch_size=500)
