"""The members file: party members loaded from a spreadsheet, with the admission and
recognition dates kept to the roles that decide them."""
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import selectors
from ..categories import bare_qualification, education_level, qualification_level
from ..history import bulk_history_attrs
from ..models import (
    Education,
    Member,
    MemberStatus,
    MovementKind,
    Organisation,
    Qualification,
    Role,
    Sex,
    fold,
)
from ..movements import (
    MovementError,
    guard_refusal,
    record_movement,
    state_refusal,
    write_present_rows,
)
from .base import SpreadsheetResource
from .categories import CategoryCell, CategoryWidget, fill_category
from .columns import ChoiceWidget, CodeWidget, Column, DateWidget

ORG, EDU = "Mã tổ chức", "Trình độ học vấn"
QUAL, PROF = "Trình độ chuyên môn", "Chuyên ngành, văn bằng"
MOVED_NOTE = gettext_lazy("Nhập danh sách đảng viên")


class MemberResource(SpreadsheetResource):
    """The members list. Who may write what, as on the pages:

    - a new member, or a changed `Ngày vào Đảng` / `Ngày chính thức` (and so the status,
      probationary or official, that follows from it), is an admission or recognition
      decision: only the organisation department (or an administrator) over the member's
      branch records it;
    - a branch secretary only updates the other columns (name, birth date, sex, ethnicity,
      religion, card number, education, qualification) of members already in their branch;
    - a new member goes on their branch's list from the day they joined (the "present since"
      movement); a member the file puts in another branch moves there through
      `record_movement`, dated the day of the import, never by a silent change of branch;
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
    organisation = Column(ORG, "organisation", CodeWidget(Organisation, "code"),
                          required=True, lookup=True, example="{branch}",
                          note=gettext_lazy("Chi bộ nơi đảng viên sinh hoạt."))
    card_number = Column("Số thẻ đảng viên", "card_number", example="01001234")
    admitted_date = Column("Ngày vào Đảng", "admitted_date", DateWidget(), required=True,
                           example="02/03/2015")
    official_date = Column("Ngày chính thức", "official_date", DateWidget(),
                           example="02/03/2016",
                           note=gettext_lazy("Để trống: còn là đảng viên dự bị."))
    education = Column(EDU, "education", CategoryWidget(Education, education_level,
                                                        keeps_text=False),
                       example="Trung học phổ thông",
                       note=gettext_lazy("12/12, 9/12, Tiểu học, Trung học cơ sở, Trung học phổ "
                                         "thông…; xuất ra theo tên loại."))
    qualification = Column(QUAL, "qualification", CategoryWidget(
        Qualification, qualification_level, bare_qualification), example="Đại học",
        note=gettext_lazy("Một loại của biểu thống kê (Đại học, Thạc sĩ…) hoặc văn bằng như đã "
                          "ghi (Cử nhân Luật): văn bằng được giữ ở cột Chuyên ngành, văn bằng."))
    profession = Column(PROF, "profession", example="Cử nhân Luật")

    class Meta:
        model = Member
        fields = ("full_name", "birth_date", "sex", "ethnicity", "religion", "organisation",
                  "card_number", "admitted_date", "official_date", "education", "qualification",
                  "profession")
        import_id_fields = ("card_number",)

    def dehydrate_qualification(self, m):
        return self.fields["qualification"].widget.render(
            CategoryCell(m.qualification, m.profession))

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
        orgs = batch.branches_for(rows, ORG)
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
        plan.update(new=[], changed=[], moved=[])
        for row in rows:
            v = row.values
            org = orgs.get(v[ORG])
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
                self._fill(batch, row, member)
                plan["new"].append(member)
                batch.will_create(row)
            elif self.differs(existing, row, batch.present):
                if existing.organisation_id != org.pk:
                    if not self._may_move(batch, row, existing):
                        continue
                    plan["moved"].append((row, existing, org))
                old = self.render(existing)
                existing.organisation = org
                self._fill(batch, row, existing)
                plan["changed"].append(existing)
                batch.will_change(row, old)
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
    def _may_move(batch, row, member) -> bool:
        """Whether the member may move to another branch now, as `record_movement` will be
        asked to (a member off the list, or whose dossier is still open, may not)."""
        refusal = (state_refusal(member, MovementKind.TRANSFER_WITHIN)
                   or guard_refusal(member, MovementKind.TRANSFER_WITHIN))
        if refusal is not None:
            batch.error(row, ORG, refusal.message)
        return refusal is None

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
              "Ngày vào Đảng": "admitted_date", "Ngày chính thức": "official_date"}

    def _fill(self, batch, row, member):
        values, present = row.values, batch.present
        new = member.pk is None
        for column, attr in self.FIELDS.items():
            if column in present or new:
                setattr(member, attr, values.get(column))

        def warn(column, message):
            batch.warn(row, column, message)

        fill_category(member, values, present, column=EDU, attr="education", warn=warn)
        fill_category(member, values, present, column=QUAL, attr="qualification",
                      text_column=PROF, text_attr="profession", warn=warn)
        member.search_name = fold(member.full_name)
        if member.status in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL):
            member.status = (MemberStatus.OFFICIAL if member.official_date
                             else MemberStatus.PROBATIONARY)

    def apply(self, batch):
        plan = batch.state
        history = {"default_user": batch.actor, "custom_historical_attrs": bulk_history_attrs()}
        if plan["new"]:
            bulk_create_with_history(plan["new"], Member, batch_size=500, **history)
            write_present_rows(plan["new"])
        # Moves first: record_movement reads the branch the member leaves from the database.
        for row, member, org in plan["moved"]:
            try:
                record_movement(member, MovementKind.TRANSFER_WITHIN, batch.today,
                                actor=batch.actor, to_organisation=org, imported=True,
                                note=str(MOVED_NOTE))
            except MovementError as refusal:
                batch.error(row, ORG, refusal.message)
        if plan["changed"]:
            now = timezone.now()
            for member in plan["changed"]:
                member.updated_at = now
            bulk_update_with_history(
                plan["changed"], Member, ["organisation", "status", "search_name", "updated_at",
                                          "education", "qualification", "profession",
                                          *self.FIELDS.values()], batch_size=500, **history)
