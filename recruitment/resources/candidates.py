"""The candidates file: a candidate row carries the dates of its steps.

The bulk import turns them into what the services would have written step by step — the
candidate in the stage its furthest step implies, one imported StageEvent per filled date,
the Member from the ceremony, the decisions — built in memory and written with bulk inserts,
2,000 rows at a time within the import's one transaction. The import is no side door:

- each new step is taken only by a user whose roles over the branch may take its action in
  the workflow table (a branch secretary records the pool, the certificates, the branch vote,
  the ceremony; only the organisation department records decisions; administrators all);
- each step is judged by the rules in force on its date, and a broken hard rule refuses the
  row as the page refuses the step, except in an administrator's load of old paper records,
  where it stays a warning on the event;
- a dossier being worked on in the app (any step typed on its page) is never changed by a
  file: its page is the one way forward;
- someone outside the user's scope is a stranger: not matched by name, and a number they
  hold gets the same answer as any other number the row cannot use.
"""
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from members import categories
from members.history import bulk_history_attrs
from members.models import Member, Movement, Occupation, Organisation, Qualification, Role, Sex
from members.resources import (
    ChoiceWidget,
    CodeWidget,
    Column,
    DateWidget,
    SpreadsheetResource,
    YesNoWidget,
)
from members.resources.categories import CategoryCell, CategoryWidget
from members.signals import rows_added, rows_changing

from .. import selectors
from ..models import Candidate, Decision, Source, StageEvent
from .candidate_columns import (
    ADDED,
    CANDIDATE_UPDATE_FIELDS,
    CER,
    CERT_D,
    CERT_N,
    CID,
    DEC_D,
    DEC_N,
    END_D,
    END_LABELS,
    END_S,
    GRASS,
    HELPER,
    NEWM,
    OCC,
    OCC_T,
    OFF,
    ORG,
    PROF,
    QUAL,
    REC_D,
    REC_N,
    VOTE,
    B,
    EducationWidget,
    N,
)
from .candidate_planner import CandidatePlanner


class CandidateResource(SpreadsheetResource):
    slug = "candidates"
    title = gettext_lazy("Quần chúng và hồ sơ kết nạp")
    import_roles = (Role.BRANCH_SECRETARY, Role.ORG_DEPARTMENT)

    full_name = Column(N, "full_name", required=True, example="Hoàng Thị Quỳnh Anh")
    birth_date = Column(B, "birth_date", DateWidget(), required=True, example="17/05/1995")
    sex = Column("Giới tính", "sex", ChoiceWidget(Sex.choices), required=True, example="Nữ")
    ethnicity = Column("Dân tộc", "ethnicity", default="Kinh", example="Kinh")
    religion = Column("Tôn giáo", "religion", default="Không", example="Không")
    citizen_id = Column(CID, "citizen_id", example="001195012345",
                        note=gettext_lazy("12 chữ số; để ở dạng chữ để giữ số 0 đầu."))
    education = Column("Trình độ học vấn", "education", EducationWidget(), example="12/12",
                       note=gettext_lazy("12/12, 9/12 (bổ túc), Tiểu học, Trung học cơ sở, "
                                         "Trung học phổ thông…; xuất ra theo tên loại."))
    qualification = Column(QUAL, "qualification", CategoryWidget(
        Qualification, categories.qualification_level, categories.bare_qualification),
        example="Đại học",
        note=gettext_lazy("Một loại của biểu thống kê (Đại học, Thạc sĩ…) hoặc văn bằng như đã "
                          "ghi (Cử nhân Luật): văn bằng được giữ ở cột Chuyên ngành, văn bằng."))
    profession = Column(PROF, "profession", example="Cử nhân Luật")
    occupation_group = Column(OCC, "occupation_group", CategoryWidget(
        Occupation, categories.occupation_group), example="Công nhân",
        note=gettext_lazy("Một loại của biểu thống kê (Công nhân, Nông dân, Học sinh, sinh "
                          "viên…) hoặc nghề như đã ghi (Giáo viên): chữ đã ghi được giữ ở cột "
                          "Nghề nghiệp, chức vụ."))
    occupation = Column(OCC_T, "occupation", example="Công nhân may")
    youth_union_member = Column("Đoàn viên", "youth_union_member", YesNoWidget(), example="Có")
    source = Column("Nguồn giới thiệu", "source", ChoiceWidget(Source.choices),
                    default=Source.OTHER, example=str(Source.YOUTH_UNION.label))
    organisation = Column(ORG, "organisation", CodeWidget(Organisation, "code"), required=True,
                          lookup=True, example="{branch}", note=gettext_lazy("Mã chi bộ."))
    added_date = Column(ADDED, "added_date", DateWidget(), required=True, example="10/01/2024")
    helper = Column(HELPER, lookup=True, readonly=True, example="",
                    note=gettext_lazy("Số thẻ đảng viên, hoặc họ tên."))
    awareness_cert_date = Column(CERT_D, "awareness_cert_date", DateWidget(),
                                 example="15/03/2024")
    awareness_cert_number = Column(CERT_N, "awareness_cert_number", example="123/GCN")
    branch_vote_date = Column(VOTE, "branch_vote_date", DateWidget(), example="10/06/2024")
    grassroots_resolution_date = Column(GRASS, "grassroots_resolution_date", DateWidget(),
                                        example="20/06/2024")
    decision_number = Column(DEC_N, "decision_number", example="123-QĐ/ĐU")
    decision_date = Column(DEC_D, "decision_date", DateWidget(), example="15/07/2024")
    ceremony_date = Column(CER, "ceremony_date", DateWidget(), example="01/08/2024")
    new_member_cert_date = Column(NEWM, "new_member_cert_date", DateWidget(), example="")
    recognition_decision_number = Column(REC_N, "recognition_decision_number", example="")
    official_date = Column(OFF, widget=DateWidget(), readonly=True, example="",
                           note=gettext_lazy("Ngày hết 12 tháng dự bị, như ghi trong quyết "
                                             "định."))
    recognition_date = Column(REC_D, widget=DateWidget(), readonly=True, example="",
                              note=gettext_lazy("Chỉ ghi khi khác ngày công nhận chính thức."))
    end_status = Column(END_S, widget=ChoiceWidget(list(END_LABELS.items())), readonly=True,
                        example="")
    end_date = Column(END_D, widget=DateWidget(), readonly=True, example="")

    class Meta:
        model = Candidate
        fields = ("full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id",
                  "education", "qualification", "profession", "occupation_group", "occupation",
                  "youth_union_member", "source", "organisation",
                  "added_date", "helper", "awareness_cert_date", "awareness_cert_number",
                  "branch_vote_date", "grassroots_resolution_date", "decision_number",
                  "decision_date", "ceremony_date", "new_member_cert_date",
                  "recognition_decision_number", "official_date", "recognition_date",
                  "end_status", "end_date")
        import_id_fields = ("citizen_id",)

    # Export of the columns that are not a plain field.
    def dehydrate_qualification(self, c):
        return self.fields["qualification"].widget.render(
            CategoryCell(c.qualification, c.profession))

    def dehydrate_occupation_group(self, c):
        return self.fields["occupation_group"].widget.render(
            CategoryCell(c.occupation_group, c.occupation))

    def dehydrate_helper(self, c):
        h = c.helper
        return (h.card_number or h.full_name) if h else ""

    def dehydrate_official_date(self, c):
        member = c.member
        return DateWidget().render(member.official_date) if member else ""

    def dehydrate_recognition_date(self, c):
        official = c.member.official_date if c.member else None
        day = c.recognition_decision_date
        return "" if not day or day == official else DateWidget().render(day)

    def dehydrate_end_status(self, c):
        return END_LABELS.get(c.stage, "")

    def dehydrate_end_date(self, c):
        return DateWidget().render(c.stage_date) if c.stage in END_LABELS else ""

    def export_queryset(self, user, params):
        qs = selectors.search_candidates(user, **selectors.candidate_filters(params))
        return qs.select_related("organisation", "helper", "member")

    def row_key(self, row):
        if row.values.get(CID):
            return CID, ("cid", row.values[CID])
        name, born = row.values.get(N), row.values.get(B)
        return (N, ("name", name.casefold(), born)) if name and born else None

    # The file is checked and written 2,000 rows at a time (in the import's one transaction),
    # so what an import holds does not grow with the file.
    chunk_rows = 2000

    def plan(self, batch):
        planner = batch.kept.get("planner")
        if planner is None:
            planner = batch.kept["planner"] = CandidatePlanner(self, batch)
        planner.plan()

    def apply(self, batch):
        p = batch.state
        history = {"default_user": batch.actor, "custom_historical_attrs": bulk_history_attrs()}
        if p["new_members"]:
            bulk_create_with_history(p["new_members"], Member, batch_size=500, **history)
        now = timezone.now()
        if p["changed_members"]:
            for m in p["changed_members"]:
                m.updated_at = now
            bulk_update_with_history(p["changed_members"], Member, [
                "status", "admitted_date", "official_date", "citizen_id", "organisation",
                "left_date", "left_reason", "left_document", "updated_at"], batch_size=500,
                **history)
        if p["new"]:
            bulk_create_with_history(p["new"], Candidate, batch_size=500, **history)
            rows_added.send(Candidate, ids=[c.pk for c in p["new"]])
        if p["changed"]:
            for c in p["changed"]:
                c.updated_at = now
            changed = [c.pk for c in p["changed"]]
            rows_changing.send(Candidate, ids=changed)
            bulk_update_with_history(p["changed"], Candidate, CANDIDATE_UPDATE_FIELDS,
                                     batch_size=300, **history)
            rows_added.send(Candidate, ids=changed)
        StageEvent.objects.bulk_create(p["events"], batch_size=1000)
        Movement.objects.bulk_create(p["movements"], batch_size=1000)
        rows_added.send(Movement, ids=[m.pk for m in p["movements"]])
        Decision.objects.bulk_create(p["decisions"], batch_size=1000)
        # The next chunks are planned against the database as it was before the file: what
        # this file created is not someone they may match (by name, as a helper …).
        created = batch.kept.setdefault("created", {"candidates": set(), "members": set()})
        created["candidates"].update(c.pk for c in p["new"])
        created["members"].update(m.pk for m in p["new_members"])
