"""The forms of the paths besides the straight one: returns with the stage to return to,
decisions of a delegated grassroots committee, refusals and revocations, failed votes and
their escalation, removal from the probationary list, transfers, withdrawal and death."""
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from members.fields import BranchChoiceField
from members.selectors import branches_visible_to

from ..models import Stage
from .steps import (
    ActionForm,
    AppraisalForm,
    CommitteeVoteForm,
    DecisionForm,
    ReasonForm,
    VoteForm,
    is_list_field,
)

# What the level a dossier is returned to can then do, by the stage it lands at.
RETURN_WORDS = {
    Stage.OPINIONS_COLLECTED: _("Biểu quyết lại (chi bộ họp xét lại)"),
    Stage.APPLIED: _("Bổ sung thẩm tra lý lịch, xác nhận lại lý lịch"),
    Stage.AT_GRASSROOTS: _("Đảng ủy cơ sở xét lại, ra nghị quyết mới"),
    Stage.PROBATIONARY: _("Chi bộ xét lại (đảng viên dự bị), biểu quyết lại"),
    Stage.RECOGNITION_BRANCH_VOTED: _("Đảng ủy cơ sở xét lại đề nghị công nhận chính thức"),
    Stage.REMOVAL_BRANCH_VOTED: _("Đảng ủy cơ sở xét lại đề nghị xóa tên"),
}


def return_choice_label(stage: str) -> str:
    words = RETURN_WORDS.get(stage)
    label = Stage(stage).label
    return f"{words} — {label}" if words else str(label)


class ReturnForm(ReasonForm):
    """A return: the reason, and the stage to send the dossier back to when there is a choice
    (with one target the service takes it)."""

    date_label = _("Ngày trả hồ sơ")
    note_label = _("Lý do trả lại (cần bổ sung, sửa gì)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        targets = self.action.targets
        if len(targets) > 1:
            self.fields["return_to"] = forms.ChoiceField(
                label=_("Trả về bước"), widget=forms.RadioSelect,
                choices=[(t, return_choice_label(t)) for t in targets],
                error_messages={"invalid_choice": _("Hãy chọn một bước trong danh sách."),
                                "required": _("Hãy chọn bước hồ sơ được trả về.")})
            self.order_fields(["event_date", "return_to", "note"])


class CommitteeDecisionForm(CommitteeVoteForm):
    """A delegated grassroots committee votes and decides at one meeting: the vote and the
    decision's number."""

    number_label = _("Số quyết định")
    number_required = True
    is_list = is_list_field()


class CommitteeRemovalForm(CommitteeDecisionForm):
    note_label = _("Lý do xóa tên")
    note_required = True


class RefusalForm(ReasonForm):
    number_label = _("Số nghị quyết, văn bản")


class RevocationForm(DecisionForm):
    date_label = _("Ngày quyết định hủy bỏ")
    number_label = _("Số quyết định hủy bỏ")
    note_label = _("Lý do hủy bỏ quyết định kết nạp")
    note_required = True


class NoCeremonyForm(ReasonForm):
    date_label = _("Ngày văn bản")
    number_label = _("Số văn bản của cấp ủy cấp trên")
    note_label = _("Lý do không tổ chức lễ kết nạp")


class EscalationForm(ReasonForm):
    date_label = _("Ngày báo cáo")
    number_label = _("Số báo cáo")
    note_label = _("Lý do (kết quả biểu quyết của chi bộ, ý kiến khác nhau)")


class RecognitionAppraisalForm(AppraisalForm):
    number_label = _("Số văn bản (14-KNĐ)")


class RemovalVoteForm(VoteForm):
    note_label = _("Lý do đề nghị xóa tên")
    note_required = True


class TransferForm(ActionForm):
    date_label = _("Ngày chuyển")
    number_label = _("Số giấy giới thiệu chuyển sinh hoạt")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"] = BranchChoiceField(
            branches_visible_to(self.user).exclude(pk=self.candidate.organisation_id)
            .order_by("path"), label=_("Chuyển đến chi bộ"),
            error_messages={"invalid_choice": _(
                "Hãy chọn một chi bộ trong phạm vi quản lý của bạn.")})
        self.order_fields(["event_date", "to_organisation", "document_number", "note"])


class WithdrawForm(ReasonForm):
    date_label = _("Ngày rút khỏi danh sách")
    number_label = _("Số văn bản (đơn, biên bản của chi bộ)")
    note_label = _("Lý do rút khỏi danh sách")


class DeathForm(ActionForm):
    date_label = _("Ngày từ trần")
    number_label = _("Số giấy báo tử, giấy chứng tử")
    note_label = _("Ghi chú")

    def clean(self):
        data = super().clean()
        # The dossier closes with a reason; a death needs no other words than its date.
        if data.get("event_date") and not (data.get("note") or "").strip():
            data["note"] = str(_("Từ trần ngày %(day)s")) % {
                "day": date_format(data["event_date"], "d/m/Y")}
        return data


PATH_FORMS = {
    "record_failed_vote": VoteForm,
    "send_to_upper": ActionForm,
    "grassroots_admit": CommitteeDecisionForm,
    "grassroots_refuse": RefusalForm,
    "return_to_grassroots_branch": ReturnForm,
    "revoke_admission": RevocationForm,
    "no_ceremony": NoCeremonyForm,
    "recognition_vote_to_upper": VoteForm,
    "record_failed_recognition_vote": VoteForm,
    "escalate_recognition": EscalationForm,
    "escalate_recognition_to_upper": EscalationForm,
    "recognition_partial_appraisal": RecognitionAppraisalForm,
    "grassroots_recognise": CommitteeDecisionForm,
    "return_recognition_to_branch": ReturnForm,
    "return_recognition_to_grassroots_branch": ReturnForm,
    "propose_removal": RemovalVoteForm,
    "propose_removal_to_upper": RemovalVoteForm,
    "removal_resolution": CommitteeVoteForm,
    "grassroots_remove": CommitteeRemovalForm,
    "return_removal_to_branch": ReturnForm,
    "return_removal": ReturnForm,
    "return_removal_to_grassroots_branch": ReturnForm,
    "transfer": TransferForm,
    "withdraw": WithdrawForm,
    "record_death": DeathForm,
}
