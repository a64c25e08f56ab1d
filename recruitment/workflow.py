"""The admission pipeline as one table: every action, the stages it leaves from and goes to,
the roles that may take it, the rules it checks and the document it records.

Views, templates, services, tests and the generated diagram (docs/workflow.md) all read
this table; nothing else decides what actions exist.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from members.models import Role

from .models import Stage

S = Stage
R = Role

FORWARD, RECORD, RETURN, END = "forward", "record", "return", "end"


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    from_stages: tuple[str, ...]
    to_stage: str | None  # None: a document recorded within the stage
    roles: tuple[str, ...]
    rules: tuple[str, ...] = ()
    document: str = ""  # the form code of the paper (1-KNĐ … 16-KNĐ) or its name
    kind: str = FORWARD
    needs_partial_committee: bool = False  # only where the branch sits under one

    def leaves(self, stage: str) -> str:
        return self.to_stage or stage


BEFORE_VOTE = (S.SOURCE_POOL, S.HELPER_ASSIGNED, S.SYMPATHISER, S.APPLIED, S.HISTORY_VERIFIED,
               S.INTRODUCED, S.OPINIONS_COLLECTED)
BRANCH_VOTE_RULES = ("AGE_MIN", "AGE_MAX", "EDUCATION", "CERT_VALID", "VERIFIED", "INTRODUCERS",
                     "INTRODUCER_TENURE", "DOC_AGE", "BRANCH_SIZE", "BRANCH_VOTE",
                     "BRANCH_REGISTER")

ACTIONS = [
    Action("add_to_pool", _("Đưa vào danh sách quần chúng ưu tú"), (), S.SOURCE_POOL,
           (R.BRANCH_SECRETARY,), document=_("Danh sách dự nguồn")),
    Action("assign_helper", _("Phân công đảng viên giúp đỡ"), (S.SOURCE_POOL,),
           S.HELPER_ASSIGNED, (R.BRANCH_SECRETARY,), ("HELPER_OFFICIAL",),
           document=_("Nghị quyết chi bộ")),
    Action("record_awareness_certificate", _("Ghi giấy chứng nhận lớp nhận thức về Đảng"),
           (S.HELPER_ASSIGNED,), S.SYMPATHISER, (R.BRANCH_SECRETARY, R.ORG_DEPARTMENT),
           document=_("Giấy chứng nhận")),
    Action("renew_awareness_certificate", _("Ghi giấy chứng nhận nhận thức về Đảng mới (học lại)"),
           (S.SYMPATHISER, S.APPLIED, S.HISTORY_VERIFIED, S.INTRODUCED, S.OPINIONS_COLLECTED),
           None, (R.BRANCH_SECRETARY, R.ORG_DEPARTMENT), document=_("Giấy chứng nhận"),
           kind=RECORD),
    Action("record_application", _("Ghi đơn xin vào Đảng"), (S.SYMPATHISER,), S.APPLIED,
           (R.BRANCH_SECRETARY,), document="1-KNĐ"),
    Action("add_verification", _("Ghi yêu cầu thẩm tra lý lịch"), (S.APPLIED,), None,
           (R.BRANCH_SECRETARY, R.GRASSROOTS_OFFICE), document=_("Công văn thẩm tra"),
           kind=RECORD),
    Action("answer_verification", _("Ghi kết quả thẩm tra lý lịch"), (S.APPLIED,), None,
           (R.BRANCH_SECRETARY, R.GRASSROOTS_OFFICE), document=_("Kết quả thẩm tra"),
           kind=RECORD),
    Action("certify_history", _("Xác nhận lý lịch người xin vào Đảng"), (S.APPLIED,),
           S.HISTORY_VERIFIED, (R.BRANCH_SECRETARY,), ("VERIFIED",), document="2-KNĐ"),
    Action("record_introductions", _("Ghi giới thiệu người vào Đảng"), (S.HISTORY_VERIFIED,),
           S.INTRODUCED, (R.BRANCH_SECRETARY,),
           ("HELPER_OFFICIAL", "INTRODUCERS", "INTRODUCER_TENURE"),
           document="3-KNĐ / 4-KNĐ / 4A-KNĐ"),
    Action("record_opinions", _("Ghi ý kiến đoàn thể và chi ủy nơi cư trú"), (S.INTRODUCED,),
           S.OPINIONS_COLLECTED, (R.BRANCH_SECRETARY,), document="5-KNĐ"),
    Action("branch_vote", _("Ghi nghị quyết chi bộ đề nghị kết nạp"), (S.OPINIONS_COLLECTED,),
           S.BRANCH_VOTED, (R.BRANCH_SECRETARY,), BRANCH_VOTE_RULES, document="6-KNĐ"),
    Action("send_up", _("Gửi hồ sơ lên đảng ủy cơ sở"), (S.BRANCH_VOTED,), S.AT_GRASSROOTS,
           (R.BRANCH_SECRETARY,), document=_("Tờ trình của chi bộ")),
    Action("partial_appraisal", _("Ghi thẩm định của đảng ủy bộ phận"), (S.AT_GRASSROOTS,),
           S.PARTIAL_APPRAISED, (R.GRASSROOTS_OFFICE,), document="7-KNĐ",
           needs_partial_committee=True),
    Action("grassroots_resolution", _("Ghi nghị quyết đảng ủy cơ sở, gửi cấp trên"),
           (S.AT_GRASSROOTS, S.PARTIAL_APPRAISED), S.AT_UPPER, (R.GRASSROOTS_OFFICE,),
           ("PARTIAL_APPRAISAL", "COMMITTEE_VOTE"), document="8-KNĐ"),
    Action("return_to_branch", _("Trả hồ sơ về chi bộ"), (S.AT_GRASSROOTS, S.PARTIAL_APPRAISED),
           S.BRANCH_VOTED, (R.GRASSROOTS_OFFICE,), kind=RETURN),
    Action("approve_admission", _("Quyết định kết nạp"), (S.AT_UPPER,), S.ADMISSION_DECIDED,
           (R.ORG_DEPARTMENT,), ("AGE_MIN",), document="9-KNĐ"),
    Action("return_to_grassroots", _("Trả hồ sơ về đảng ủy cơ sở"), (S.AT_UPPER,),
           S.AT_GRASSROOTS, (R.ORG_DEPARTMENT,), kind=RETURN),
    Action("refuse_admission", _("Không kết nạp"), (S.AT_UPPER,), S.REJECTED,
           (R.ORG_DEPARTMENT,), kind=END),
    Action("hold_ceremony", _("Ghi lễ kết nạp"), (S.ADMISSION_DECIDED,), S.PROBATIONARY,
           (R.BRANCH_SECRETARY,), ("CEREMONY_AFTER_DECISION", "CEREMONY_DEADLINE",
                                   "HELPER_OFFICIAL"), document=_("Biên bản lễ kết nạp")),
    Action("probation_review", _("Ghi văn bản trong thời gian dự bị"), (S.PROBATIONARY,), None,
           (R.BRANCH_SECRETARY,), document="10-KNĐ / 11-KNĐ / 12-KNĐ", kind=RECORD),
    Action("record_new_member_certificate", _("Ghi giấy chứng nhận lớp đảng viên mới"),
           (S.PROBATIONARY,), None, (R.BRANCH_SECRETARY, R.ORG_DEPARTMENT),
           document=_("Giấy chứng nhận"), kind=RECORD),
    Action("recognition_vote", _("Ghi nghị quyết chi bộ đề nghị công nhận chính thức"),
           (S.PROBATIONARY,), S.RECOGNITION_BRANCH_VOTED, (R.BRANCH_SECRETARY,),
           ("RECOGNITION_WINDOW", "RECOGNITION_LATE", "NEW_MEMBER_CLASS", "BRANCH_SIZE",
            "BRANCH_VOTE", "BRANCH_REGISTER"), document="13-KNĐ"),
    Action("recognition_resolution", _("Ghi nghị quyết đảng ủy cơ sở về công nhận chính thức"),
           (S.RECOGNITION_BRANCH_VOTED,), S.RECOGNITION_AT_UPPER, (R.GRASSROOTS_OFFICE,),
           ("COMMITTEE_VOTE",), document="15-KNĐ"),
    Action("approve_recognition", _("Quyết định công nhận đảng viên chính thức"),
           (S.RECOGNITION_AT_UPPER,), S.OFFICIAL, (R.ORG_DEPARTMENT,), document="16-KNĐ"),
    Action("return_recognition", _("Trả hồ sơ công nhận về đảng ủy cơ sở"),
           (S.RECOGNITION_AT_UPPER,), S.RECOGNITION_BRANCH_VOTED, (R.ORG_DEPARTMENT,),
           kind=RETURN),
    Action("remove_probationary", _("Xóa tên khỏi danh sách đảng viên dự bị"),
           (S.PROBATIONARY, S.RECOGNITION_BRANCH_VOTED, S.RECOGNITION_AT_UPPER), S.REMOVED,
           (R.ORG_DEPARTMENT,), document=_("Quyết định xóa tên"), kind=END),
    Action("withdraw", _("Rút khỏi danh sách"), (*BEFORE_VOTE, S.BRANCH_VOTED), S.WITHDRAWN,
           (R.BRANCH_SECRETARY,), kind=END),
]
ACTIONS_BY_CODE = {a.code: a for a in ACTIONS}

# The deadline that starts when a candidate enters a stage: (date field it counts from,
# parameter holding the number of working days).
DEADLINES = {
    S.AT_GRASSROOTS: ("branch_vote_date", "DECISION_DEADLINE_WD"),
    S.PARTIAL_APPRAISED: ("branch_vote_date", "DECISION_DEADLINE_WD"),
    S.AT_UPPER: ("branch_vote_date", "DECISION_DEADLINE_WD"),
    S.ADMISSION_DECIDED: ("decision_date", "CEREMONY_DEADLINE_WD"),
    S.PROBATIONARY: ("probation_end", "RECOGNITION_WINDOW_WD"),
    S.RECOGNITION_BRANCH_VOTED: ("recognition_vote_date", "RECOGNITION_DEADLINE_WD"),
    S.RECOGNITION_AT_UPPER: ("recognition_vote_date", "RECOGNITION_DEADLINE_WD"),
}

# Stages waiting for the upper level's decision: the examination queue.
EXAMINATION_STAGES = (S.AT_UPPER, S.RECOGNITION_AT_UPPER)
CLOSED_STAGES = (S.OFFICIAL, S.WITHDRAWN, S.REJECTED, S.REMOVED)
# The order stages are shown in lists and on the diagram.
STAGE_ORDER = [s.value for s in Stage]


def get_action(code: str) -> Action | None:
    return ACTIONS_BY_CODE.get(code)


def actions_from(stage: str, *, has_partial_committee: bool):
    return [
        a for a in ACTIONS
        if stage in a.from_stages and (has_partial_committee or not a.needs_partial_committee)
    ]


def mermaid() -> str:
    """The stage graph as a Mermaid diagram, generated from the table."""
    lines = ["stateDiagram-v2"]
    for action in ACTIONS:
        target = action.to_stage
        if target is None:
            continue
        sources = action.from_stages or ("[*]",)
        for source in sources:
            lines.append(f"    {source} --> {target}: {action.code}")
    return "\n".join(lines)
