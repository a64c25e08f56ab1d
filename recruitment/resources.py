"""Spreadsheet layouts of the recruitment app as django-import-export resources: candidates
with their history, training classes and their learners (spec/import-format.md).

A candidate row carries the dates of its steps. The bulk import turns them into what the
services would have written step by step — the candidate in the stage its furthest step
implies, one imported StageEvent per filled date, the Member from the ceremony, the
decisions — built in memory and written with bulk inserts. The import is no side door:

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
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from members.history import bulk_history_attrs
from members.models import (
    PATH_STEP,
    Member,
    MemberStatus,
    Organisation,
    OrganisationKind,
    Role,
    Sex,
    fold,
    subtree_q,
)
from members.resources import (
    ChoiceWidget,
    CodeWidget,
    Column,
    DateWidget,
    SpreadsheetResource,
    YesNoWidget,
)
from members.selectors import sees_everything

from . import rules as R
from . import selectors
from .calendar import WorkingCalendar
from .models import (
    Candidate,
    ClassKind,
    Decision,
    DecisionKind,
    Enrolment,
    Result,
    Source,
    Stage,
    StageEvent,
    TrainingClass,
)
from .workflow import CLOSED_STAGES, DEADLINES, get_action

S = Stage
N, B, ORG = "Họ và tên", "Ngày sinh", "Mã tổ chức"
CID, HELPER, ADDED = "Số CCCD", "Đảng viên theo dõi, giúp đỡ", "Ngày vào danh sách dự nguồn"
CERT_D, CERT_N = "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức", "Số giấy chứng nhận"
VOTE, GRASS = "Ngày chi bộ xét", "Ngày đảng ủy cơ sở xét"
DEC_N, DEC_D, CER = "Số quyết định kết nạp", "Ngày quyết định kết nạp", "Ngày kết nạp"
NEWM = "Ngày hoàn thành lớp đảng viên mới"
REC_N, OFF = "Số quyết định công nhận chính thức", "Ngày công nhận chính thức"
REC_D, END_S, END_D = "Ngày quyết định công nhận", "Trạng thái kết thúc", "Ngày kết thúc"

END_LABELS = {S.WITHDRAWN: "Rút khỏi danh sách", S.REJECTED: "Không đủ điều kiện",
              S.REMOVED: "Xóa tên"}
END_ACTIONS = {S.WITHDRAWN: "withdraw", S.REJECTED: "refuse_admission",
               S.REMOVED: "remove_probationary"}
DATE_COLUMNS = (B, ADDED, CERT_D, VOTE, GRASS, DEC_D, CER, NEWM, OFF, REC_D, END_D)

# The steps a row can carry, in workflow order, with the columns that record each one.
STEPS = [
    ("add_to_pool", (ADDED,)),
    ("record_awareness_certificate", (CERT_D, CERT_N)),
    ("branch_vote", (VOTE,)),
    ("grassroots_resolution", (GRASS,)),
    ("approve_admission", (DEC_D, DEC_N)),
    ("hold_ceremony", (CER,)),
    ("record_new_member_certificate", (NEWM,)),
    ("approve_recognition", (OFF, REC_D, REC_N)),
    ("end", (END_S, END_D)),
]
STEP_COLUMNS = dict(STEPS)
# The rules each imported step is judged by, besides DATE_ORDER on every step (DATE_NOT_FUTURE
# is an error of the row, not a warning: no history happens in the future). Rules about papers
# the format does not carry (verifications, introductions, vote counts) cannot be judged.
IMPORT_RULES = {
    "branch_vote": ("AGE_MIN", "AGE_MAX", "EDUCATION", "CERT_VALID"),
    "approve_admission": ("AGE_MIN",),
    "hold_ceremony": ("CEREMONY_AFTER_DECISION", "CEREMONY_DEADLINE"),
    "approve_recognition": ("NEW_MEMBER_CLASS",),
}
CID_TAKEN = gettext_lazy("số CCCD")
IMPORTED_NOTE = gettext_lazy("Nhập từ dữ liệu cũ.")
HELPER_NOTE = gettext_lazy("Nhập từ dữ liệu cũ; ngày phân công không có trong tệp, ghi theo ngày "
                           "của bước trước.")


def _fmt(day):
    return day.strftime("%d/%m/%Y")


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
    education = Column("Trình độ học vấn", "education", example="12/12")
    profession = Column("Trình độ chuyên môn", "profession", example="Cử nhân Luật")
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
                  "education", "profession", "youth_union_member", "source", "organisation",
                  "added_date", "helper", "awareness_cert_date", "awareness_cert_number",
                  "branch_vote_date", "grassroots_resolution_date", "decision_number",
                  "decision_date", "ceremony_date", "new_member_cert_date",
                  "recognition_decision_number", "official_date", "recognition_date",
                  "end_status", "end_date")
        import_id_fields = ("citizen_id",)

    # Export of the columns that are not a plain field.
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

    def plan(self, batch):
        CandidatePlanner(self, batch).plan()

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
                "status", "admitted_date", "official_date", "citizen_id", "left_date",
                "updated_at"], batch_size=500, **history)
        if p["new"]:
            bulk_create_with_history(p["new"], Candidate, batch_size=500, **history)
        if p["changed"]:
            for c in p["changed"]:
                c.updated_at = now
            bulk_update_with_history(p["changed"], Candidate, CANDIDATE_UPDATE_FIELDS,
                                     batch_size=300, **history)
        StageEvent.objects.bulk_create(p["events"], batch_size=1000)
        Decision.objects.bulk_create(p["decisions"], batch_size=1000)


IDENTITY = {N: "full_name", B: "birth_date", "Giới tính": "sex", "Dân tộc": "ethnicity",
            "Tôn giáo": "religion", CID: "citizen_id", "Trình độ học vấn": "education",
            "Trình độ chuyên môn": "profession", "Đoàn viên": "youth_union_member",
            "Nguồn giới thiệu": "source"}
CANDIDATE_UPDATE_FIELDS = [
    *IDENTITY.values(), "search_name", "organisation", "stage", "stage_date", "due_date",
    "helper", "awareness_cert_number", "awareness_cert_date", "awareness_cert_expires",
    "branch_vote_date", "grassroots_resolution_date", "decision_number", "decision_date",
    "ceremony_date", "probation_end", "new_member_cert_date", "recognition_decision_number",
    "recognition_decision_date", "end_reason", "member", "updated_at"]


class CandidatePlanner:
    """Plans a candidates file: every look-up in a few bulk queries, then each row's history
    built in memory (objects for bulk_create), its rules judged on each step's date."""

    def __init__(self, resource, batch):
        self.resource, self.batch = resource, batch
        self.params = R.Parameters()
        self.calendar = WorkingCalendar.load()
        self._texts = {}
        batch.state.update(new=[], changed=[], events=[], decisions=[], new_members=[],
                           changed_members=[])

    def plan(self):
        b = self.batch
        rows = b.good_rows()
        self.orgs = b.branches_for(rows, ORG)
        self._load_existing(rows)
        self._load_helpers(rows)
        self._load_members(rows)
        self._load_deciders()
        for n, row in enumerate(b.good_rows(), start=1):
            self._plan_row(row)
            if n % 1000 == 0:
                b.progress(n, len(rows))

    # Look-ups: one query (per chunk of keys) for each table.

    def _load_existing(self, rows):
        b = self.batch
        qs = Candidate.objects.select_related("organisation", "helper", "member")
        # Every holder of a CCCD (it is unique: the row can only update that dossier); by
        # name, only people inside the scope: outside it nobody is found.
        self.by_cid = {c.citizen_id: c for c in b.fetch(
            qs, "citizen_id", {r.values.get(CID) for r in rows})}
        self.by_name = {}
        for c in b.fetch(qs, "full_name", {r.values[N] for r in rows if not r.values.get(CID)}):
            if b.scope.covers(c.organisation):
                self.by_name.setdefault((c.full_name, c.birth_date), []).append(c)
        ids = [c.pk for c in self.by_cid.values()] + [
            c.pk for found in self.by_name.values() for c in found]
        self.in_app = set(b.fetch(
            StageEvent.objects.filter(imported=False).order_by().values_list(
                "candidate_id", flat=True).distinct(), "candidate_id", ids))

    def _scoped_members(self):
        qs = Member.objects.select_related("organisation")
        if self.batch.scope.everything:
            return qs
        return qs.filter(subtree_q(self.batch.scope.roots, prefix="organisation__"))

    def _load_helpers(self, rows):
        values = {r.values.get(HELPER) for r in rows} - {None}
        qs = self._scoped_members()
        self.helpers_by_card = {m.card_number: m for m in self.batch.fetch(
            qs, "card_number", values)}
        self.helpers_by_name = {}
        for m in self.batch.fetch(qs, "full_name", values - set(self.helpers_by_card)):
            self.helpers_by_name.setdefault(m.full_name, []).append(m)

    def _load_members(self, rows):
        """Members a ceremony may already have (a members file loaded first): any holder of
        the CCCD, and by name only members inside the scope."""
        with_ceremony = [r for r in rows if r.values.get(CER)]
        qs = Member.objects.select_related("organisation")
        self.members_by_cid = {m.citizen_id: m for m in self.batch.fetch(
            qs, "citizen_id", {r.values.get(CID) for r in with_ceremony})}
        self.members_by_name = {}
        for m in self.batch.fetch(qs, "full_name", {r.values[N] for r in with_ceremony}):
            if self.batch.scope.covers(m.organisation):
                self.members_by_name.setdefault((m.full_name, m.birth_date), []).append(m)
        ids = [m.pk for m in self.members_by_cid.values()] + [
            m.pk for ms in self.members_by_name.values() for m in ms]
        self.taken = {c.member_id for c in self.batch.fetch(
            Candidate.objects.only("member_id"), "member_id", ids)}

    def _load_deciders(self):
        """The committee that decides an admission: the nearest upper committee (Đảng bộ cấp
        trên) above the branch, or the top of the tree."""
        def prefixes(org):
            return [org.path[:i] for i in range(PATH_STEP, len(org.path), PATH_STEP)]

        paths = {p for o in self.orgs.values() for p in prefixes(o)}
        ancestors = {o.path: o for o in self.batch.fetch(Organisation.objects.all(), "path",
                                                          paths)}
        self.decider = {}
        for code, org in self.orgs.items():
            chain = [ancestors[p] for p in prefixes(org) if p in ancestors]
            upper = [a for a in chain if a.kind == OrganisationKind.UPPER_COMMITTEE]
            self.decider[code] = upper[-1] if upper else (chain[0] if chain else org)

    # One row.

    def _match(self, row):
        v = row.values
        if v.get(CID):
            found = self.by_cid.get(v[CID])
            if found is not None and not self.batch.scope.covers(found.organisation):
                self.batch.error(row, CID, self.batch.taken_elsewhere(CID_TAKEN))
                return False
            return found
        found = self.by_name.get((v[N], v[B]), [])
        if len(found) > 1:
            self.batch.error(row, N, _("có %(n)s quần chúng cùng họ tên và ngày sinh; hãy ghi số "
                                       "CCCD.") % {"n": len(found)})
            return False
        return found[0] if found else None

    def _helper(self, row, branch):
        text = row.values.get(HELPER)
        if not text:
            return None
        if text in self.helpers_by_card:
            return self.helpers_by_card[text]
        found = self.helpers_by_name.get(text, [])
        if len(found) > 1:
            found = [m for m in found if m.organisation_id == branch.pk]
        if len(found) == 1:
            return found[0]
        self.batch.error(row, HELPER, _(
            "không tìm thấy đảng viên có số thẻ hoặc họ tên “%(v)s” trong phạm vi của bạn."
        ) % {"v": text} if not found else _(
            "có nhiều đảng viên tên “%(v)s”; hãy ghi số thẻ đảng viên.") % {"v": text})
        return False

    def _plan_row(self, row):
        b, res = self.batch, self.resource
        branch = self.orgs.get(row.values[ORG])
        if branch is None:
            return
        existing = self._match(row)
        if existing is False:
            return
        helper = self._helper(row, branch)
        if helper is False:
            return
        stored = res.render(existing) if existing else {}
        values = self._merged(row, stored)
        if not (b.not_future(row, DATE_COLUMNS) & self._structure_ok(row, values)):
            return
        if existing is not None and not res.differs(existing, row, b.present):
            b.unchanged += 1
            return
        if existing is not None and existing.pk in self.in_app:
            changed = next(c for c in res.headers()
                           if c in b.present and c in stored and stored[c] != row.text[c])
            b.error(row, changed, _(
                "hồ sơ của quần chúng này đang được xử lý trên ứng dụng nên nhập tệp không sửa "
                "được; hãy ghi thay đổi trên trang hồ sơ của quần chúng."))
            return
        c = existing or Candidate(stage=S.SOURCE_POOL, stage_date=values[ADDED])
        new_steps = self._new_steps(row, stored, values)
        if new_steps is None:
            return
        helper_changes = HELPER in b.present and (helper.pk if helper else None) != c.helper_id
        if not self._may_take(row, branch, values, new_steps, helper_changes):
            return
        for column, attr in IDENTITY.items():
            if column in b.present or existing is None:
                setattr(c, attr, values.get(column) if values.get(column) is not None
                        else ("" if attr in ("education", "profession") else None))
        c.citizen_id = c.citizen_id or None
        c.search_name = fold(c.full_name)
        c.organisation = branch
        if existing is None:
            c.added_date = values[ADDED]
            c.plan_year = (values[DEC_D] or values[CER] or values[ADDED]).year
        new_helper = helper is not None and c.helper_id is None
        if HELPER in b.present:
            c.helper = helper
        if not self._walk(row, c, values, new_steps, helper if new_helper else None):
            return
        b.state["changed" if existing else "new"].append(c)
        if existing:
            b.updated += 1
        else:
            b.created += 1

    def _merged(self, row, stored):
        """The row's values; a column the file lacks keeps the stored value (a new row: the
        column's default, as for an empty cell)."""
        values = {}
        for column in self.resource.columns():
            name = column.column_name
            if name in self.batch.present or name not in stored:
                values[name] = row.values.get(name)
            else:
                values[name] = column.parse(stored[name])
        return values

    def _may_take(self, row, branch, values, steps, helper_changes) -> bool:
        """Whether the user's roles over the branch may take every new step of the row, as
        the workflow table lets them on the dossier's page; each step they may not take is
        an error on its column, naming the role it needs."""
        b, ok = self.batch, True
        wanted = [(step, next((c for c in STEP_COLUMNS[step] if values.get(c)),
                              STEP_COLUMNS[step][0])) for step in steps]
        if helper_changes:
            wanted.append(("assign_helper", HELPER))
        for step, column in wanted:
            action = get_action(END_ACTIONS[values[END_S]] if step == "end" else step)
            needed = b.lacks(action.roles, branch)
            if needed:
                b.error(row, column, _("ghi bước “%(step)s” cần vai trò %(roles)s.") % {
                    "step": action.label, "roles": needed})
                ok = False
        return ok

    def _structure_ok(self, row, v) -> bool:
        b, before = self.batch, len(self.batch.errors)
        if v[ADDED] and v[B] and v[ADDED] <= v[B]:
            b.error(row, ADDED, _("ngày vào danh sách dự nguồn phải sau ngày sinh."))
        if v[CER] and not v[DEC_D]:
            b.error(row, DEC_D, _("có ngày kết nạp %(day)s nhưng thiếu ngày quyết định kết "
                                  "nạp.") % {"day": _fmt(v[CER])})
        if v[DEC_N] and not v[DEC_D]:
            b.error(row, DEC_D, _("có số quyết định kết nạp nhưng thiếu ngày quyết định."))
        if v[CERT_N] and not v[CERT_D]:
            b.error(row, CERT_D, _("có số giấy chứng nhận nhưng thiếu ngày cấp."))
        for column in (NEWM, OFF, REC_D, REC_N):
            if v[column] and not v[CER]:
                b.error(row, column, _("chưa có ngày kết nạp nên chưa thể có cột này."))
        if (v[REC_D] or v[REC_N]) and not v[OFF]:
            b.error(row, OFF, _("có quyết định công nhận nhưng thiếu ngày công nhận chính "
                                "thức."))
        if v[OFF] and v[CER] and v[OFF] < v[CER]:
            b.error(row, OFF, _("ngày công nhận chính thức trước ngày kết nạp."))
        if bool(v[END_S]) != bool(v[END_D]):
            b.error(row, END_D if v[END_S] else END_S,
                    _("trạng thái kết thúc và ngày kết thúc phải ghi cùng nhau."))
        if v[END_S] == S.REMOVED and not v[CER]:
            b.error(row, END_S, _("“Xóa tên” chỉ dùng cho đảng viên dự bị (cần ngày kết nạp)."))
        if v[END_S] in (S.WITHDRAWN, S.REJECTED) and v[CER]:
            b.error(row, END_S, _("đã kết nạp thì không thể “%(s)s”; đảng viên dự bị không "
                                  "đủ điều kiện thì ghi “Xóa tên”.") % {"s": END_LABELS[v[END_S]]})
        if v[END_S] and v[OFF]:
            b.error(row, END_S, _("đã công nhận chính thức thì không có trạng thái kết thúc."))
        return len(b.errors) == before

    def _new_steps(self, row, stored, values):
        """The steps this row adds. Steps already recorded must read the same (history is not
        rewritten by a file), and new steps can only follow them."""
        last_done, new = -1, []
        for index, (_action, columns) in enumerate(STEPS):
            done = any(stored.get(c) for c in columns)
            if done:
                changed = [c for c in columns if c in self.batch.present
                           and stored.get(c, "") != row.text.get(c, "")]
                if changed:
                    self.batch.error(row, changed[0], _(
                        "hồ sơ đã ghi “%(old)s”; lịch sử đã ghi không sửa được bằng nhập tệp."
                    ) % {"old": stored.get(changed[0]) or _("(trống)")})
                    return None
                last_done = index
            elif any(values.get(c) for c in columns):
                new.append(index)
        if new and new[0] < last_done:
            self.batch.error(row, STEPS[new[0]][1][0], _(
                "hồ sơ đã qua bước này; không bổ sung được một bước trước giai đoạn hiện tại."))
            return None
        return [STEPS[i][0] for i in new]

    # The history walk: what `services.perform` does step by step, in memory.

    def _walk(self, row, c, v, steps, new_helper) -> bool:
        """Take the new steps on `c`. `new_helper`: a helper named for the first time, which
        moves a candidate still in the source pool on (the file has no date for it: the
        event takes the date of the step before)."""
        b, before = self.batch, len(self.batch.errors)
        if c.stage in CLOSED_STAGES and steps:
            b.error(row, STEP_COLUMNS[steps[0]][0], _(
                "hồ sơ đã kết thúc (%(stage)s); không ghi thêm bước nào.") % {
                "stage": c.get_stage_display()})
            return False
        state = {"row": row, "c": c, "v": v, "member": c.member if c.member_id else None}
        if new_helper is not None and c.pk and c.stage == S.SOURCE_POOL:
            self._assign_helper(state, new_helper)
        for action in steps:
            if action == "end":
                self._end(state)
            else:
                getattr(self, "_" + action)(state)
            if action == "add_to_pool" and new_helper is not None:
                self._assign_helper(state, new_helper)
        if len(b.errors) == before:
            rule = DEADLINES.get(c.stage)
            start = getattr(c, rule[0]) if rule else None
            c.due_date = (self.calendar.add_working_days(start, self.params.get(rule[1], start))
                          if start else None)
            return True
        return False

    def _event(self, state, action_code, day, column, number="", note=None):
        c, row = state["c"], state["row"]
        action = get_action(action_code)
        ctx = R.Context(c, day, {}, params=self.params)
        ctx.__dict__["calendar"] = self.calendar
        # Dates in the future were refused with the row's errors; every step is checked for
        # DATE_ORDER and its own rules.
        findings = R.evaluate_only(("DATE_ORDER", *IMPORT_RULES.get(action_code, ())), ctx)
        for finding in findings:
            self.batch.finding(row, column, finding)
        from_stage = c.stage
        c.stage = action.leaves(c.stage)
        if action.to_stage is not None:
            c.stage_date = day
        self.batch.state["events"].append(StageEvent(
            candidate=c, action=action.code, from_stage=from_stage, to_stage=c.stage,
            event_date=day, document_form=self._text(action.document),
            document_number=number or "", note=self._text(IMPORTED_NOTE if note is None else note),
            warnings=[f.as_dict() for f in findings], actor=self.batch.actor, imported=True))
        return findings

    def _text(self, lazy) -> str:
        """Translated text, looked up once per planner (tens of thousands of events)."""
        key = id(lazy)  # hashing a lazy string would translate it every time
        if key not in self._texts:
            self._texts[key] = str(lazy or "")
        return self._texts[key]

    def _add_to_pool(self, s):
        self._event(s, "add_to_pool", s["v"][ADDED], ADDED)

    def _assign_helper(self, s, helper):
        s["c"].helper = helper
        self._event(s, "assign_helper", s["c"].stage_date, HELPER, note=HELPER_NOTE)

    def _record_awareness_certificate(self, s):
        c, v = s["c"], s["v"]
        c.awareness_cert_number, c.awareness_cert_date = v[CERT_N] or "", v[CERT_D]
        c.awareness_cert_expires = R.add_months(
            v[CERT_D], self.params.get("CERT_VALID_MONTHS", v[CERT_D]))
        self._event(s, "record_awareness_certificate", v[CERT_D], CERT_D, number=v[CERT_N])

    def _branch_vote(self, s):
        self._event(s, "branch_vote", s["v"][VOTE], VOTE)
        s["c"].branch_vote_date = s["v"][VOTE]

    def _grassroots_resolution(self, s):
        self._event(s, "grassroots_resolution", s["v"][GRASS], GRASS)
        s["c"].grassroots_resolution_date = s["v"][GRASS]

    def _approve_admission(self, s):
        c, v = s["c"], s["v"]
        self._event(s, "approve_admission", v[DEC_D], DEC_D, number=v[DEC_N])
        c.decision_number, c.decision_date = v[DEC_N] or "", v[DEC_D]
        self._decision(s, DecisionKind.ADMISSION, v[DEC_N], v[DEC_D])

    def _decision(self, s, kind, number, day):
        if number:
            c = s["c"]
            self.batch.state["decisions"].append(Decision(
                candidate=c, kind=kind, number=number, decision_date=day,
                decided_by=self.decider[c.organisation.code]))

    def _hold_ceremony(self, s):
        c, v, row = s["c"], s["v"], s["row"]
        self._event(s, "hold_ceremony", v[CER], CER)
        c.ceremony_date = v[CER]
        c.probation_end = R.add_months(v[CER], self.params.get("PROBATION_MONTHS", v[CER]))
        member = self._member_for(row, c)
        if member is None:
            return
        member.admitted_date, member.status = v[CER], MemberStatus.PROBATIONARY
        member.official_date = None
        c.member, s["member"] = member, member

    def _member_for(self, row, c):
        """The member record the ceremony made: one already loaded from a members file (same
        CCCD, or same name and birth date, not yet tied to a candidate), or a new one."""
        b = self.batch
        found = [self.members_by_cid[c.citizen_id]] if c.citizen_id in self.members_by_cid \
            else [m for m in self.members_by_name.get((c.full_name, c.birth_date), [])
                  if m.pk not in self.taken]
        if len(found) > 1:
            b.error(row, N, _("có %(n)s đảng viên cùng họ tên và ngày sinh; không biết nối hồ sơ "
                              "với đảng viên nào.") % {"n": len(found)})
            return None
        if found:
            member = found[0]
            if member.pk in self.taken or not b.scope.covers(member.organisation):
                # Only a CCCD match gets here (names are matched in the scope, untaken).
                b.error(row, CID, b.taken_elsewhere(CID_TAKEN))
                return None
            self.taken.add(member.pk)
            member.citizen_id = member.citizen_id or c.citizen_id
            b.state["changed_members"].append(member)
            return member
        member = Member(
            full_name=c.full_name, search_name=fold(c.full_name), birth_date=c.birth_date,
            sex=c.sex, ethnicity=c.ethnicity, religion=c.religion, citizen_id=c.citizen_id,
            organisation=c.organisation, education=c.education, profession=c.profession)
        b.state["new_members"].append(member)
        return member

    def _record_new_member_certificate(self, s):
        self._event(s, "record_new_member_certificate", s["v"][NEWM], NEWM)
        s["c"].new_member_cert_date = s["v"][NEWM]

    def _approve_recognition(self, s):
        c, v = s["c"], s["v"]
        official, day = v[OFF], v[REC_D] or v[OFF]
        ctx = R.Context(c, official, {}, params=self.params)
        for finding in R.evaluate_only(("RECOGNITION_WINDOW",), ctx):
            self.batch.finding(s["row"], OFF, finding)
        self._event(s, "approve_recognition", day, REC_D if v[REC_D] else OFF, number=v[REC_N])
        c.recognition_decision_number, c.recognition_decision_date = v[REC_N] or "", day
        self._decision(s, DecisionKind.RECOGNITION, v[REC_N], day)
        member = s["member"]
        if member is not None:
            member.status, member.official_date = MemberStatus.OFFICIAL, official
            self._touch(member)

    def _end(self, s):
        c, v = s["c"], s["v"]
        stage = v[END_S]
        note = _("%(status)s (nhập từ dữ liệu cũ).") % {"status": END_LABELS[stage]}
        self._event(s, END_ACTIONS[stage], v[END_D], END_D, note=note)
        c.end_reason = note
        member = s["member"]
        if stage == S.REMOVED and member is not None:
            member.status, member.left_date = MemberStatus.REMOVED, v[END_D]
            self._touch(member)

    def _touch(self, member):
        """An existing member changed by a later step goes to the bulk update once."""
        changed = self.batch.state["changed_members"]
        if member.pk and not any(m is member for m in changed):
            changed.append(member)


# Training classes and their learners.

def _classes_for_page(user, params):
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
        return _classes_for_page(user, params).select_related("organiser").order_by(
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
                batch.updated += 1
            else:
                batch.created += 1

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
        qs = Enrolment.objects.filter(training_class__in=_classes_for_page(user, params))
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
            batch.updated += 1
        else:
            batch.created += 1

    def apply(self, batch):
        Enrolment.objects.bulk_create(batch.state["new"], batch_size=500)
        if batch.state["changed"]:
            Enrolment.objects.bulk_update(
                batch.state["changed"], ["result", "certificate_number", "certificate_date",
                                         "recorded_in_pipeline"], batch_size=500)
