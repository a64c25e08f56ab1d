"""The layout of the candidates file, shared by its resource, planner and history: the column
headers, the steps a row can carry with the columns that record them, and the rules each
imported step is judged by."""
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.categories import education_level
from members.models import fold
from members.resources.categories import fill_category
from members.resources.columns import CellError, TextWidget, normalise

from ..models import Education, Stage

S = Stage
N, B, ORG = "Họ và tên", "Ngày sinh", "Mã tổ chức"
CID, HELPER, ADDED = "Số CCCD", "Đảng viên theo dõi, giúp đỡ", "Ngày vào danh sách dự nguồn"
CERT_D, CERT_N = "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức", "Số giấy chứng nhận"
VOTE, GRASS = "Ngày chi bộ xét", "Ngày đảng ủy cơ sở xét"
DEC_N, DEC_D, CER = "Số quyết định kết nạp", "Ngày quyết định kết nạp", "Ngày kết nạp"
NEWM = "Ngày hoàn thành lớp đảng viên mới"
REC_N, OFF = "Số quyết định công nhận chính thức", "Ngày công nhận chính thức"
REC_D, END_S, END_D = "Ngày quyết định công nhận", "Trạng thái kết thúc", "Ngày kết thúc"
QUAL, PROF = "Trình độ chuyên môn", "Chuyên ngành, văn bằng"
OCC, OCC_T = "Nghề nghiệp", "Nghề nghiệp, chức vụ"

END_LABELS = {S.WITHDRAWN: "Rút khỏi danh sách", S.REJECTED: "Không đủ điều kiện",
              S.REMOVED: "Xóa tên", S.DIED: "Từ trần"}
END_ACTIONS = {S.WITHDRAWN: "withdraw", S.REJECTED: "refuse_admission",
               S.REMOVED: "remove_probationary", S.DIED: "record_death"}
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
SENT_NOTE = gettext_lazy("Nhập từ dữ liệu cũ; chi bộ cơ sở gửi thẳng cấp ủy cấp trên, ngày gửi "
                         "không có trong tệp, ghi theo ngày chi bộ xét.")
HELPER_NOTE = gettext_lazy("Nhập từ dữ liệu cũ; ngày phân công không có trong tệp, ghi theo ngày "
                           "của bước trước.")


IDENTITY = {N: "full_name", B: "birth_date", "Giới tính": "sex", "Dân tộc": "ethnicity",
            "Tôn giáo": "religion", CID: "citizen_id", "Trình độ học vấn": "education",
            "Đoàn viên": "youth_union_member", "Nguồn giới thiệu": "source"}
# Category columns: each fills a category and the words beside it (`fill_categories`).
CATEGORIES = [(QUAL, "qualification", PROF, "profession"),
              (OCC, "occupation_group", OCC_T, "occupation")]
CANDIDATE_UPDATE_FIELDS = [
    *IDENTITY.values(), "qualification", "profession", "occupation_group", "occupation",
    "search_name", "organisation", "stage", "stage_date", "due_date", "helper",
    "awareness_cert_number", "awareness_cert_date", "awareness_cert_expires",
    "branch_vote_date", "grassroots_resolution_date", "decision_number", "decision_date",
    "ceremony_date", "probation_end", "new_member_cert_date", "recognition_decision_number",
    "recognition_decision_date", "end_reason", "member", "updated_at"]


def fill_categories(batch, row, c, values):
    """The qualification and occupation of `c` and the words beside them, from the row's
    category columns (the planner sets the identity columns one to one; these fill two fields
    each). Words naming no category are kept, with a warning."""
    def warn(column, message):
        batch.warn(row, column, message)

    for column, attr, text_column, text_attr in CATEGORIES:
        fill_category(c, values, batch.present, column=column, attr=attr,
                      text_column=text_column, text_attr=text_attr, warn=warn)


# What people write in the education column that is a profession, not general education.
_PROFESSION_WORDS = ("dai hoc", "cao dang", "trung cap", "thac si", "tien si", "cu nhan",
                     "ky su", "so cap")


class EducationWidget(TextWidget):
    """General education: the old free text ("12/12", "9/12 (bổ túc)", "Tốt nghiệp THCS",
    "7/10") read as a category of the statistics forms; written as the category's label."""

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        level = education_level(text)
        if level is None:
            hint = ""
            if any(word in fold(text) for word in _PROFESSION_WORDS):
                hint = " " + _("(“%(v)s” là trình độ chuyên môn: ghi ở cột Trình độ chuyên "
                               "môn.)") % {"v": text}
            raise CellError(_("không đọc được “%(v)s”; ghi 12/12, 9/12, Tiểu học, Trung học cơ "
                              "sở, Trung học phổ thông…") % {"v": text} + hint)
        return level

    def render(self, value, obj=None, **kwargs):
        if value in Education.values:
            with translation.override("vi"):
                return str(Education(value).label)
        return "" if value is None else str(value)
