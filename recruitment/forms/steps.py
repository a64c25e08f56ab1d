"""The step forms of the straight path, and what every step form shares: the date field, the
member choice, the base form (date, document number, note). The forms of the other paths
(returns, transfers, leaving, failed votes, delegated decisions) are in paths.py."""
from django import forms
from django.utils.translation import gettext_lazy as _

from members.fields import DateInput, date_field  # noqa: F401  (re-exported)
from members.models import Organisation, OrganisationKind
from members.selectors import members_visible_to

from ..models import IntroductionKind, Relation
from ..rules import today
from ..services.numbering import offer_for_step
from .findings import check_date


class MemberChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        # A posted id outside the offered list: another branch's member, or a made-up one.
        "invalid_choice": _("Hãy chọn một đảng viên trong danh sách."),
    }

    def label_from_instance(self, member):
        status = member.get_status_display().lower()
        card = f" · {member.card_number}" if member.card_number else ""
        return f"{member.full_name} ({member.organisation.name}{card}, {status})"


def grassroots_of(organisation: Organisation) -> Organisation:
    """The grassroots committee a branch belongs to (the branch itself for a grassroots branch)."""
    for ancestor in reversed(list(organisation.ancestors())):
        if ancestor.kind == OrganisationKind.GRASSROOTS_COMMITTEE:
            return ancestor
    return organisation


def members_near(candidate, user) -> "forms.QuerySet":
    """Members who can help or introduce: active members of the same grassroots organisation
    whom the user may see (a branch secretary: their own branch). The regulations name no
    helper or introducer from outside the candidate's organisation, and a member the user may
    not open is not one they can vouch for. Probationary ones are listed so the rule can refuse
    them with its citation."""
    return (members_visible_to(user).active()
            .in_subtree_of(grassroots_of(candidate.organisation))
            .order_by("search_name", "pk"))


class ActionForm(forms.Form):
    date_label = _("Ngày")
    number_label = _("Số văn bản")
    number_required = False
    note_label = _("Ghi chú")
    note_required = False

    def __init__(self, *args, candidate, action, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.action = action
        self.user = user
        fields = {"event_date": date_field(self.date_label)}
        if self.number_label:
            fields["document_number"] = forms.CharField(
                label=self.number_label, required=self.number_required, max_length=60)
            if not self.is_bound:  # the register's next number; the user may type another
                fields["document_number"].initial = offer_for_step(
                    getattr(action, "code", action), candidate, user,
                    self.initial.get("event_date") or today())
        fields.update(self.fields)
        fields["note"] = forms.CharField(label=self.note_label, required=self.note_required,
                                         widget=forms.Textarea(attrs={"rows": 3}))
        self.fields = fields

    def clean(self):
        data = super().clean()
        check_date(self, self.candidate, data.get("event_date"))
        return data


class ReasonForm(ActionForm):
    number_label = None
    note_label = _("Lý do")
    note_required = True


class HelperForm(ActionForm):
    number_label = _("Số nghị quyết, biên bản chi bộ")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"] = MemberChoiceField(
            members_near(self.candidate, self.user), label=_("Đảng viên chính thức giúp đỡ"))
        self.order_fields(["event_date", "helper"])


class CertificateForm(ActionForm):
    date_label = _("Ngày cấp giấy chứng nhận")
    number_label = _("Số giấy chứng nhận")
    number_required = True


class ApplicationForm(ActionForm):
    date_label = _("Ngày viết đơn")
    number_label = None


class AddVerificationForm(ActionForm):
    date_label = _("Ngày gửi yêu cầu thẩm tra")
    number_label = _("Số công văn")
    relation = forms.ChoiceField(label=_("Người được thẩm tra là"), choices=Relation.choices)
    person_name = forms.CharField(
        label=_("Họ và tên người được thẩm tra"), max_length=120, required=False,
        help_text=_("Để trống khi thẩm tra chính người vào Đảng."))
    requested_of = forms.CharField(label=_("Gửi tới (cấp ủy, chính quyền nơi cư trú, công tác)"),
                                   max_length=200)
    answered_date = date_field(_("Ngày trả lời (nếu đã có)"), required=False)
    conclusion = forms.CharField(label=_("Kết luận (nếu đã có)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not (data.get("person_name") or "").strip():
            if data.get("relation") == Relation.SELF and self.candidate.full_name:
                data["person_name"] = self.candidate.full_name
            elif "person_name" not in self.errors:
                self.add_error("person_name", _("Cần ghi họ và tên người được thẩm tra."))
        sent, answered = data.get("event_date"), data.get("answered_date")
        if sent and answered and answered < sent:
            self.add_error("answered_date", _("Ngày trả lời không thể trước ngày gửi."))
        if answered and not (data.get("conclusion") or "").strip():
            self.add_error("conclusion", _("Đã có ngày trả lời thì cần ghi kết luận."))
        return data


class AnswerVerificationForm(ActionForm):
    date_label = _("Ngày nhận trả lời")
    number_label = None
    conclusion = forms.CharField(label=_("Kết luận thẩm tra"),
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"] = forms.ModelChoiceField(
            self.candidate.verifications.filter(answered_date__isnull=True),
            label=_("Yêu cầu thẩm tra"),
        )
        self.order_fields(["record", "event_date", "conclusion"])


class CertifyHistoryForm(ActionForm):
    date_label = _("Ngày chi ủy, cấp ủy xác nhận lý lịch")
    number_label = None
    history_form_date = date_field(_("Ngày người xin vào Đảng khai lý lịch (2-KNĐ)"))

    def clean(self):
        data = super().clean()
        if data.get("history_form_date") and data.get("event_date") and (
                data["history_form_date"] > data["event_date"]):
            self.add_error("history_form_date", _("Ngày khai lý lịch không thể sau ngày xác nhận."))
        return data


class IntroductionsForm(ActionForm):
    date_label = _("Ngày giới thiệu")
    number_label = None
    union_kind = forms.ChoiceField(
        label=_("Tổ chức đoàn thể giới thiệu"), required=False,
        choices=[("", _("— Không (hai đảng viên giới thiệu) —")),
                 (IntroductionKind.YOUTH_UNION, _("BCH Đoàn cơ sở (4-KNĐ)")),
                 (IntroductionKind.TRADE_UNION, _("BCH Công đoàn cơ sở (4A-KNĐ)"))])
    union_resolution = forms.CharField(label=_("Số nghị quyết của đoàn thể"), required=False,
                                       max_length=60)
    union_date = date_field(_("Ngày nghị quyết của đoàn thể"), required=False)
    known_since_1 = date_field(_("Người giới thiệu thứ nhất cùng công tác từ ngày"),
                               required=False)
    replacement_1 = forms.BooleanField(label=_("Là người giới thiệu thay thế"), required=False)
    known_since_2 = date_field(_("Người giới thiệu thứ hai cùng công tác từ ngày"),
                               required=False)
    replacement_2 = forms.BooleanField(label=_("Là người giới thiệu thay thế"), required=False,
                                       )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        near = members_near(self.candidate, self.user)
        self.fields["introducer_1"] = MemberChoiceField(
            near, label=_("Đảng viên giới thiệu thứ nhất"))
        self.fields["introducer_2"] = MemberChoiceField(
            near, label=_("Đảng viên giới thiệu thứ hai"), required=False)
        self.order_fields(["event_date", "introducer_1", "known_since_1", "replacement_1",
                           "introducer_2", "known_since_2", "replacement_2", "union_kind",
                           "union_resolution", "union_date"])

    def clean(self):
        data = super().clean()
        first, second = data.get("introducer_1"), data.get("introducer_2")
        if first and second and first == second:
            self.add_error("introducer_2", _("Hai người giới thiệu phải là hai đảng viên khác "
                                             "nhau."))
        if data.get("union_kind") and not (data.get("union_resolution") or "").strip():
            self.add_error("union_resolution", _("Cần ghi số nghị quyết giới thiệu của đoàn "
                                                 "thể."))
        for n in (1, 2):
            since = data.get(f"known_since_{n}")
            if since and data.get("event_date") and since > data["event_date"]:
                self.add_error(f"known_since_{n}", _("Ngày này không thể sau ngày giới thiệu."))
        return data


class OpinionsForm(ActionForm):
    date_label = _("Ngày chi ủy tổng hợp ý kiến")
    number_label = None
    summary = forms.CharField(label=_("Tóm tắt ý kiến của đoàn thể và chi ủy nơi cư trú"),
                              widget=forms.Textarea(attrs={"rows": 3}))


class VoteForm(ActionForm):
    date_label = _("Ngày họp")
    number_label = _("Số nghị quyết")
    eligible_label = _("Tổng số đảng viên chính thức của chi bộ")
    eligible = forms.IntegerField(min_value=0, max_value=100000)
    present = forms.IntegerField(label=_("Số đảng viên chính thức có mặt"), min_value=0,
                                 max_value=100000)
    votes_for = forms.IntegerField(label=_("Số tán thành"), min_value=0, max_value=100000)
    votes_against = forms.IntegerField(label=_("Số không tán thành"), min_value=0,
                                       max_value=100000, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible"].label = self.eligible_label
        self.fields["eligible"].help_text = _(
            "Mẫu số của tỷ lệ 2/3 là toàn bộ, không phải số có mặt.")

    def clean(self):
        data = super().clean()
        eligible, present = data.get("eligible"), data.get("present")
        votes_for, against = data.get("votes_for"), data.get("votes_against") or 0
        if None not in (eligible, present) and present > eligible:
            self.add_error("present", _("Số có mặt không thể lớn hơn tổng số."))
        elif None not in (present, votes_for) and votes_for + against > present:
            self.add_error("votes_for", _("Số tán thành và không tán thành cộng lại không thể "
                                          "lớn hơn số có mặt."))
        return data


class CommitteeVoteForm(VoteForm):
    eligible_label = _("Tổng số ủy viên của đảng ủy")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].label = _("Số ủy viên có mặt")


class AppraisalForm(ActionForm):
    date_label = _("Ngày đảng ủy bộ phận thẩm định")
    number_label = _("Số văn bản (7-KNĐ)")
    note_label = _("Ý kiến thẩm định")
    note_required = True


def is_list_field():
    return forms.BooleanField(
        label=_("Quyết định theo danh sách"), required=False,
        help_text=_("Một quyết định cho nhiều người: cùng số quyết định được ghi cho từng "
                    "người trong danh sách."))


class DecisionForm(ActionForm):
    date_label = _("Ngày quyết định")
    number_label = _("Số quyết định")
    number_required = True
    is_list = is_list_field()


class RemovalForm(DecisionForm):
    note_label = _("Lý do xóa tên")
    note_required = True


class CeremonyForm(ActionForm):
    date_label = _("Ngày tổ chức lễ kết nạp")
    number_label = None
    late_approval_ref = forms.CharField(
        label=_("Văn bản đồng ý của cấp ủy cấp trên (nếu kết nạp quá 30 ngày làm việc)"),
        required=False, max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"] = MemberChoiceField(
            members_near(self.candidate, self.user),
            label=_("Đảng viên chính thức giúp đỡ trong thời gian dự bị"),
            initial=self.candidate.helper_id)
        self.order_fields(["event_date", "helper", "late_approval_ref"])


class ProbationReviewForm(ActionForm):
    number_label = None
    document_form = forms.ChoiceField(label=_("Văn bản"), choices=[
        ("10-KNĐ", _("Bản tự kiểm điểm của đảng viên dự bị (10-KNĐ)")),
        ("11-KNĐ", _("Bản nhận xét của đảng viên giúp đỡ (11-KNĐ)")),
        ("12-KNĐ", _("Bản tổng hợp ý kiến nhận xét của đoàn thể, chi ủy nơi cư trú (12-KNĐ)")),
        ("LLĐV", _("Lý lịch đảng viên, phiếu đảng viên")),
    ])


class NewMemberCertificateForm(CertificateForm):
    pass
