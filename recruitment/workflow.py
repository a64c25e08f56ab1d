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


# Facts about where a branch sits that change its path (`route_facts`).
PARTIAL = "partial"  # the branch sits under a partial committee (7-KNĐ, 14-KNĐ)
GRASSROOTS_BRANCH = "grassroots_branch"  # a chi bộ cơ sở: no grassroots committee above it
DELEGATED = "delegated"  # its grassroots committee is authorised to admit (ủy quyền)


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
    # Only where the branch's route has all of `when` and none of `unless`.
    when: frozenset = frozenset()
    unless: frozenset = frozenset()
    # Taken by whoever holds the dossier at its stage (STAGE_HOLDER) instead of `roles`.
    by_holder: bool = False
    # A return: the stages the reviewer may send the dossier back to (to_stage is the first).
    targets: tuple[str, ...] = ()

    def leaves(self, stage: str, target: str | None = None) -> str:
        if self.targets and target in self.targets:
            return target
        return self.to_stage or stage

    def roles_at(self, stage: str) -> tuple[str, ...]:
        if self.by_holder:
            holder = STAGE_HOLDER.get(stage)
            return (holder,) if holder else ()
        return self.roles

    def fits(self, facts) -> bool:
        return self.when <= set(facts) and not (self.unless & set(facts))

    @property
    def needs_partial_committee(self) -> bool:
        return PARTIAL in self.when


def _returning(code, label, from_stages, targets, roles, **kw):
    return Action(code, label, from_stages, targets[0], roles, kind=RETURN, targets=targets, **kw)


BEFORE_VOTE = (S.SOURCE_POOL, S.HELPER_ASSIGNED, S.SYMPATHISER, S.APPLIED, S.HISTORY_VERIFIED,
               S.INTRODUCED, S.OPINIONS_COLLECTED)
# Where a verification may still be added or answered: from the application to the vote, so a
# dossier returned for a missing verification can be mended before the branch votes again.
VERIFYING = (S.APPLIED, S.HISTORY_VERIFIED, S.INTRODUCED, S.OPINIONS_COLLECTED)
AT_GRASSROOTS_STAGES = (S.AT_GRASSROOTS, S.PARTIAL_APPRAISED)
RECOGNITION_AT_GRASSROOTS = (S.RECOGNITION_BRANCH_VOTED, S.RECOGNITION_PARTIAL_APPRAISED)
PROBATION_STAGES = (S.PROBATIONARY, *RECOGNITION_AT_GRASSROOTS, S.RECOGNITION_AT_UPPER,
                    S.REMOVAL_BRANCH_VOTED, S.REMOVAL_AT_UPPER)
BEFORE_DECISION = (*BEFORE_VOTE, S.BRANCH_VOTED, *AT_GRASSROOTS_STAGES, S.AT_UPPER)
# A return to the branch lands where the fault can be mended: the verification (before the
# history is certified again) or the vote.
BRANCH_RETURN_TARGETS = (S.OPINIONS_COLLECTED, S.APPLIED)

# Which level holds the dossier at each open stage: it records a withdrawal or a death there.
STAGE_HOLDER = {
    **{stage: R.BRANCH_SECRETARY for stage in (*BEFORE_VOTE, S.BRANCH_VOTED,
                                                S.ADMISSION_DECIDED, S.PROBATIONARY)},
    **{stage: R.GRASSROOTS_OFFICE for stage in (*AT_GRASSROOTS_STAGES,
                                                 *RECOGNITION_AT_GRASSROOTS,
                                                 S.REMOVAL_BRANCH_VOTED)},
    **{stage: R.ORG_DEPARTMENT for stage in (S.AT_UPPER, S.RECOGNITION_AT_UPPER,
                                              S.REMOVAL_AT_UPPER)},
}

BRANCH_VOTE_RULES = ("AGE_MIN", "AGE_MAX", "EDUCATION", "CERT_VALID", "VERIFIED", "INTRODUCERS",
                     "INTRODUCER_TENURE", "DOC_AGE", "READMISSION", "BRANCH_SIZE", "BRANCH_VOTE",
                     "BRANCH_REGISTER", "NUMBER_UNIQUE")
FAILED_VOTE_RULES = ("BRANCH_SIZE", "VOTE_FAILED", "BRANCH_REGISTER")
RECOGNITION_VOTE_RULES = ("RECOGNITION_WINDOW", "RECOGNITION_LATE", "NEW_MEMBER_CLASS",
                          "RECOGNITION_REVOTE", "BRANCH_SIZE", "BRANCH_VOTE", "BRANCH_REGISTER",
                          "NUMBER_UNIQUE")
REMOVAL_VOTE_RULES = ("BRANCH_SIZE", "BRANCH_VOTE", "BRANCH_REGISTER", "NUMBER_UNIQUE")
COMMITTEE_RULES = ("PARTIAL_APPRAISAL", "COMMITTEE_VOTE", "NUMBER_UNIQUE")
DECISION_RULES = ("NUMBER_UNIQUE",)
GB, DL, PT = frozenset({GRASSROOTS_BRANCH}), frozenset({DELEGATED}), frozenset({PARTIAL})
BS, GO, OD = R.BRANCH_SECRETARY, R.GRASSROOTS_OFFICE, R.ORG_DEPARTMENT

ACTIONS = [
    # Source pool to the branch vote
    Action("add_to_pool", _("Đưa vào danh sách quần chúng ưu tú"), (), S.SOURCE_POOL,
           (BS,), document=_("Danh sách dự nguồn")),
    Action("assign_helper", _("Phân công đảng viên giúp đỡ"), (S.SOURCE_POOL,),
           S.HELPER_ASSIGNED, (BS,), ("HELPER_OFFICIAL",), document=_("Nghị quyết chi bộ")),
    Action("record_awareness_certificate", _("Ghi giấy chứng nhận lớp nhận thức về Đảng"),
           (S.HELPER_ASSIGNED,), S.SYMPATHISER, (BS, OD), document=_("Giấy chứng nhận")),
    Action("renew_awareness_certificate", _("Ghi giấy chứng nhận nhận thức về Đảng mới (học lại)"),
           (S.SYMPATHISER, *VERIFYING), None, (BS, OD), document=_("Giấy chứng nhận"),
           kind=RECORD),
    Action("record_application", _("Ghi đơn xin vào Đảng"), (S.SYMPATHISER,), S.APPLIED,
           (BS,), document="1-KNĐ"),
    Action("add_verification", _("Ghi yêu cầu thẩm tra lý lịch"), VERIFYING, None, (BS, GO),
           document=_("Công văn thẩm tra"), kind=RECORD),
    Action("answer_verification", _("Ghi kết quả thẩm tra lý lịch"), VERIFYING, None, (BS, GO),
           document=_("Kết quả thẩm tra"), kind=RECORD),
    Action("certify_history", _("Xác nhận lý lịch người xin vào Đảng"), (S.APPLIED,),
           S.HISTORY_VERIFIED, (BS,), ("VERIFIED",), document="2-KNĐ"),
    Action("record_introductions", _("Ghi giới thiệu người vào Đảng"), (S.HISTORY_VERIFIED,),
           S.INTRODUCED, (BS,), ("HELPER_OFFICIAL", "INTRODUCERS", "INTRODUCER_TENURE"),
           document="3-KNĐ / 4-KNĐ / 4A-KNĐ"),
    Action("record_opinions", _("Ghi ý kiến đoàn thể và chi ủy nơi cư trú"), (S.INTRODUCED,),
           S.OPINIONS_COLLECTED, (BS,), document="5-KNĐ"),
    Action("branch_vote", _("Ghi nghị quyết chi bộ đề nghị kết nạp"), (S.OPINIONS_COLLECTED,),
           S.BRANCH_VOTED, (BS,), BRANCH_VOTE_RULES, document="6-KNĐ"),
    Action("record_failed_vote", _("Ghi biểu quyết của chi bộ không đạt 2/3 (chưa đề nghị kết "
                                   "nạp)"), (S.OPINIONS_COLLECTED,), None, (BS,),
           FAILED_VOTE_RULES, document=_("Biên bản họp chi bộ"), kind=RECORD),
    # Up to the decision
    Action("send_up", _("Gửi hồ sơ lên đảng ủy cơ sở"), (S.BRANCH_VOTED,), S.AT_GRASSROOTS,
           (BS,), document=_("Tờ trình của chi bộ"), unless=GB),
    Action("send_to_upper", _("Gửi hồ sơ lên cấp ủy cấp trên (chi bộ cơ sở)"), (S.BRANCH_VOTED,),
           S.AT_UPPER, (BS,), document=_("Tờ trình của chi bộ cơ sở"), when=GB),
    Action("partial_appraisal", _("Ghi thẩm định của đảng ủy bộ phận"), (S.AT_GRASSROOTS,),
           S.PARTIAL_APPRAISED, (GO,), ("NUMBER_UNIQUE",), document="7-KNĐ", when=PT),
    Action("grassroots_resolution", _("Ghi nghị quyết đảng ủy cơ sở, gửi cấp trên"),
           AT_GRASSROOTS_STAGES, S.AT_UPPER, (GO,), COMMITTEE_RULES, document="8-KNĐ",
           unless=DL),
    Action("grassroots_admit", _("Đảng ủy cơ sở quyết định kết nạp (được ủy quyền)"),
           AT_GRASSROOTS_STAGES, S.ADMISSION_DECIDED, (GO,),
           (*COMMITTEE_RULES, "AGE_MIN", "READMISSION_DECISION"), document="9-KNĐ", when=DL),
    _returning("return_to_branch", _("Trả hồ sơ về chi bộ"), AT_GRASSROOTS_STAGES,
               BRANCH_RETURN_TARGETS, (GO,)),
    Action("grassroots_refuse", _("Đảng ủy cơ sở không đề nghị kết nạp"), AT_GRASSROOTS_STAGES,
           S.REJECTED, (GO,), document=_("Nghị quyết đảng ủy cơ sở"), kind=END),
    Action("approve_admission", _("Quyết định kết nạp"), (S.AT_UPPER,), S.ADMISSION_DECIDED,
           (OD,), ("AGE_MIN", "READMISSION_DECISION", *DECISION_RULES), document="9-KNĐ"),
    _returning("return_to_grassroots", _("Trả hồ sơ về đảng ủy cơ sở"), (S.AT_UPPER,),
               (S.AT_GRASSROOTS,), (OD,), unless=GB),
    _returning("return_to_grassroots_branch", _("Trả hồ sơ về chi bộ cơ sở"), (S.AT_UPPER,),
               BRANCH_RETURN_TARGETS, (OD,), when=GB),
    Action("refuse_admission", _("Không kết nạp"), (S.AT_UPPER,), S.REJECTED, (OD,), kind=END),
    # The ceremony, or the end of a decision that will not be carried out
    Action("hold_ceremony", _("Ghi lễ kết nạp"), (S.ADMISSION_DECIDED,), S.PROBATIONARY,
           (BS,), ("CEREMONY_AFTER_DECISION", "CEREMONY_DEADLINE", "HELPER_OFFICIAL"),
           document=_("Biên bản lễ kết nạp")),
    Action("revoke_admission", _("Hủy bỏ quyết định kết nạp"), (S.ADMISSION_DECIDED,),
           S.REVOKED, (OD, GO), ("ISSUER_DECIDES", *DECISION_RULES),
           document=_("Quyết định hủy bỏ quyết định kết nạp"), kind=END),
    Action("no_ceremony", _("Không tổ chức lễ kết nạp (quá hạn, không được cấp trên đồng ý)"),
           (S.ADMISSION_DECIDED,), S.NOT_HELD, (OD, GO), ("ISSUER_DECIDES",),
           document=_("Văn bản của cấp ủy cấp trên"), kind=END),
    # Probation and recognition
    Action("probation_review", _("Ghi văn bản trong thời gian dự bị"), (S.PROBATIONARY,), None,
           (BS,), document="10-KNĐ / 11-KNĐ / 12-KNĐ", kind=RECORD),
    Action("record_new_member_certificate", _("Ghi giấy chứng nhận lớp đảng viên mới"),
           (S.PROBATIONARY,), None, (BS, OD), document=_("Giấy chứng nhận"), kind=RECORD),
    Action("recognition_vote", _("Ghi nghị quyết chi bộ đề nghị công nhận chính thức"),
           (S.PROBATIONARY,), S.RECOGNITION_BRANCH_VOTED, (BS,), RECOGNITION_VOTE_RULES,
           document="13-KNĐ", unless=GB),
    Action("recognition_vote_to_upper", _("Ghi nghị quyết chi bộ cơ sở đề nghị công nhận chính "
                                          "thức, gửi cấp trên"), (S.PROBATIONARY,),
           S.RECOGNITION_AT_UPPER, (BS,), RECOGNITION_VOTE_RULES, document="13-KNĐ", when=GB),
    Action("record_failed_recognition_vote", _("Ghi biểu quyết công nhận chính thức không đạt "
                                               "2/3"), (S.PROBATIONARY,), None, (BS,),
           ("RECOGNITION_WINDOW", "RECOGNITION_REVOTE", *FAILED_VOTE_RULES),
           document=_("Biên bản họp chi bộ"), kind=RECORD),
    Action("escalate_recognition", _("Báo cáo cấp ủy cấp trên xem xét, quyết định (chi bộ "
                                     "biểu quyết không đạt)"), (S.PROBATIONARY,),
           S.RECOGNITION_BRANCH_VOTED, (BS,), ("RECOGNITION_ESCALATION",),
           document=_("Báo cáo của chi bộ"), unless=GB),
    Action("escalate_recognition_to_upper", _("Báo cáo cấp ủy cấp trên xem xét, quyết định "
                                              "(chi bộ cơ sở biểu quyết không đạt)"),
           (S.PROBATIONARY,), S.RECOGNITION_AT_UPPER, (BS,), ("RECOGNITION_ESCALATION",),
           document=_("Báo cáo của chi bộ cơ sở"), when=GB),
    Action("recognition_partial_appraisal", _("Ghi thẩm định của đảng ủy bộ phận về công nhận "
                                              "chính thức"), (S.RECOGNITION_BRANCH_VOTED,),
           S.RECOGNITION_PARTIAL_APPRAISED, (GO,), ("NUMBER_UNIQUE",), document="14-KNĐ",
           when=PT),
    Action("recognition_resolution", _("Ghi nghị quyết đảng ủy cơ sở về công nhận chính thức"),
           RECOGNITION_AT_GRASSROOTS, S.RECOGNITION_AT_UPPER, (GO,), COMMITTEE_RULES,
           document="15-KNĐ", unless=DL),
    Action("grassroots_recognise", _("Đảng ủy cơ sở quyết định công nhận chính thức (được ủy "
                                     "quyền)"), RECOGNITION_AT_GRASSROOTS, S.OFFICIAL, (GO,),
           COMMITTEE_RULES, document="15-KNĐ / 16-KNĐ", when=DL),
    _returning("return_recognition_to_branch", _("Trả hồ sơ công nhận chính thức về chi bộ"),
               RECOGNITION_AT_GRASSROOTS, (S.PROBATIONARY,), (GO,)),
    Action("approve_recognition", _("Quyết định công nhận đảng viên chính thức"),
           (S.RECOGNITION_AT_UPPER,), S.OFFICIAL, (OD,), DECISION_RULES, document="16-KNĐ"),
    _returning("return_recognition", _("Trả hồ sơ công nhận về đảng ủy cơ sở"),
               (S.RECOGNITION_AT_UPPER,), (S.RECOGNITION_BRANCH_VOTED,), (OD,), unless=GB),
    _returning("return_recognition_to_grassroots_branch", _("Trả hồ sơ công nhận về chi bộ cơ "
                                                            "sở"), (S.RECOGNITION_AT_UPPER,),
               (S.PROBATIONARY,), (OD,), when=GB),
    # Removal from the probationary list: resolved like an admission, level by level
    Action("propose_removal", _("Ghi nghị quyết chi bộ đề nghị xóa tên đảng viên dự bị"),
           (S.PROBATIONARY,), S.REMOVAL_BRANCH_VOTED, (BS,), REMOVAL_VOTE_RULES,
           document=_("Nghị quyết chi bộ"), unless=GB),
    Action("propose_removal_to_upper", _("Ghi nghị quyết chi bộ cơ sở đề nghị xóa tên đảng "
                                         "viên dự bị, gửi cấp trên"), (S.PROBATIONARY,),
           S.REMOVAL_AT_UPPER, (BS,), REMOVAL_VOTE_RULES, document=_("Nghị quyết chi bộ cơ sở"),
           when=GB),
    Action("removal_resolution", _("Ghi nghị quyết đảng ủy cơ sở đề nghị xóa tên đảng viên dự "
                                   "bị"), (S.REMOVAL_BRANCH_VOTED, *RECOGNITION_AT_GRASSROOTS),
           S.REMOVAL_AT_UPPER, (GO,), ("COMMITTEE_VOTE", "NUMBER_UNIQUE"),
           document=_("Nghị quyết đảng ủy cơ sở"), unless=DL),
    Action("grassroots_remove", _("Đảng ủy cơ sở quyết định xóa tên đảng viên dự bị (được ủy "
                                  "quyền)"), (S.REMOVAL_BRANCH_VOTED, *RECOGNITION_AT_GRASSROOTS),
           S.REMOVED, (GO,), ("COMMITTEE_VOTE", "NUMBER_UNIQUE"),
           document=_("Quyết định xóa tên"), kind=END, when=DL),
    _returning("return_removal_to_branch", _("Trả hồ sơ đề nghị xóa tên về chi bộ"),
               (S.REMOVAL_BRANCH_VOTED,), (S.PROBATIONARY,), (GO,)),
    Action("remove_probationary", _("Quyết định xóa tên khỏi danh sách đảng viên dự bị"),
           (S.REMOVAL_AT_UPPER, S.RECOGNITION_AT_UPPER), S.REMOVED, (OD,), DECISION_RULES,
           document=_("Quyết định xóa tên"), kind=END),
    _returning("return_removal", _("Trả hồ sơ đề nghị xóa tên về cấp dưới"),
               (S.REMOVAL_AT_UPPER,), (S.REMOVAL_BRANCH_VOTED,), (OD,), unless=GB),
    _returning("return_removal_to_grassroots_branch", _("Trả hồ sơ đề nghị xóa tên về chi bộ "
                                                        "cơ sở"), (S.REMOVAL_AT_UPPER,),
               (S.PROBATIONARY,), (OD,), when=GB),
    # Any time: the person moves, withdraws or dies
    Action("transfer", _("Chuyển hồ sơ sang chi bộ khác"), (*BEFORE_VOTE, S.BRANCH_VOTED,
                                                            S.PROBATIONARY), None, (GO, OD),
           ("TRANSFER_TARGET",), document=_("Giấy giới thiệu chuyển sinh hoạt"), kind=RECORD),
    Action("withdraw", _("Rút khỏi danh sách"), BEFORE_DECISION, S.WITHDRAWN, (), kind=END,
           by_holder=True, document=_("Đơn, biên bản của chi bộ")),
    Action("record_death", _("Ghi từ trần"), (*BEFORE_DECISION, S.ADMISSION_DECIDED,
                                             *PROBATION_STAGES), S.DIED, (), kind=END,
           by_holder=True, document=_("Giấy báo tử")),
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
    S.RECOGNITION_PARTIAL_APPRAISED: ("recognition_vote_date", "RECOGNITION_DEADLINE_WD"),
    S.RECOGNITION_AT_UPPER: ("recognition_vote_date", "RECOGNITION_DEADLINE_WD"),
}

# Stages waiting for the upper level's decision: the examination queue.
EXAMINATION_STAGES = (S.AT_UPPER, S.RECOGNITION_AT_UPPER, S.REMOVAL_AT_UPPER)
CLOSED_STAGES = (S.OFFICIAL, S.WITHDRAWN, S.REJECTED, S.REMOVED, S.DIED, S.REVOKED, S.NOT_HELD)
# The order stages are shown in lists and on the diagram.
STAGE_ORDER = [s.value for s in Stage]


def get_action(code: str) -> Action | None:
    return ACTIONS_BY_CODE.get(code)


def route_facts(organisation) -> frozenset:
    """What about a branch's place in the tree changes its dossiers' path: under a partial
    committee, a grassroots branch, or under a grassroots committee that admits itself.
    Reads organisation.parent and its parent (select_related them)."""
    facts = set()
    if organisation.kind == "grassroots_branch":
        facts.add(GRASSROOTS_BRANCH)
    parent = organisation.parent
    if parent is not None and parent.kind == "partial_committee":
        facts.add(PARTIAL)
        parent = parent.parent
    if parent is not None and parent.admits_itself:
        facts.add(DELEGATED)
    return frozenset(facts)


def actions_from(stage: str, *, facts=frozenset(), has_partial_committee: bool | None = None):
    """The actions open from `stage` on a branch whose route has `facts`."""
    if has_partial_committee is not None:
        facts = set(facts) | ({PARTIAL} if has_partial_committee else set())
    return [a for a in ACTIONS if stage in a.from_stages and a.fits(facts)]


def mermaid() -> str:
    """The stage graph as a Mermaid diagram, generated from the table."""
    lines = ["stateDiagram-v2"]
    for action in ACTIONS:
        for target in action.targets or ((action.to_stage,) if action.to_stage else ()):
            for source in action.from_stages or ("[*]",):
                lines.append(f"    {source} --> {target}: {action.code}")
    return "\n".join(lines)
