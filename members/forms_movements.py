"""Forms of the member pages that change a member: one movement form for every kind a page
records (its fields depend on the kind), the transfer in from outside the tree with the
member's papers, and the correction of a member's identity with its reason."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import fields
from .fields import BranchChoiceField
from .history import CHANGE_REASON_LENGTH
from .models import LeaveReason, Member, MovementKind

K = MovementKind

# The movements a member page records, by the kind's value in the URL.
PAGE_KINDS = (K.TRANSFER_WITHIN, K.TEMPORARY, K.TEMPORARY_END, K.TRANSFER_OUT, K.DIED,
              K.REMOVED, K.EXPELLED, K.RESIGNED)
# The link on the member page for each kind.
PAGE_LABELS = {
    K.TRANSFER_WITHIN: _("Chuyển sinh hoạt"),
    K.TEMPORARY: _("Sinh hoạt tạm thời"),
    K.TEMPORARY_END: _("Kết thúc sinh hoạt tạm thời"),
    K.TRANSFER_OUT: _("Chuyển đi (ra ngoài hệ thống)"),
    K.DIED: _("Ghi từ trần"),
    K.REMOVED: _("Xóa tên"),
    K.EXPELLED: _("Khai trừ"),
    K.RESIGNED: _("Xin ra khỏi Đảng"),
}
WITH_DESTINATION = (K.TRANSFER_WITHIN, K.TEMPORARY)
WITH_PLACE = (K.TRANSFER_OUT, K.TRANSFER_IN)
WITH_REASON = (K.REMOVED, K.EXPELLED, K.RESIGNED)
# A decision (removal, expulsion, resignation) or a transfer paper is what makes these happen.
DOCUMENT_REQUIRED = (K.REMOVED, K.EXPELLED, K.RESIGNED, K.TRANSFER_WITHIN, K.TRANSFER_OUT,
                     K.TRANSFER_IN)
REASONS = {
    K.RESIGNED: [LeaveReason.RESIGNED, LeaveReason.RESIGNED_HARDSHIP],
    K.REMOVED: list(LeaveReason),
    K.EXPELLED: [r for r in LeaveReason if r not in (LeaveReason.RESIGNED,
                                                     LeaveReason.RESIGNED_HARDSHIP)],
}
DATE_LABELS = {
    K.TRANSFER_WITHIN: _("Ngày chuyển sinh hoạt"),
    K.TEMPORARY: _("Ngày bắt đầu sinh hoạt tạm thời"),
    K.TEMPORARY_END: _("Ngày kết thúc sinh hoạt tạm thời"),
    K.TRANSFER_OUT: _("Ngày chuyển đi"),
    K.TRANSFER_IN: _("Ngày chuyển đến"),
    K.DIED: _("Ngày từ trần"),
    K.REMOVED: _("Ngày quyết định xóa tên"),
    K.EXPELLED: _("Ngày quyết định khai trừ"),
    K.RESIGNED: _("Ngày quyết định cho ra khỏi Đảng"),
}
DOCUMENT_LABELS = {
    K.TRANSFER_WITHIN: _("Số giấy giới thiệu chuyển sinh hoạt"),
    K.TEMPORARY: _("Số giấy giới thiệu sinh hoạt tạm thời"),
    K.TEMPORARY_END: _("Số giấy giới thiệu trở về"),
    K.TRANSFER_OUT: _("Số giấy giới thiệu chuyển sinh hoạt"),
    K.TRANSFER_IN: _("Số giấy giới thiệu chuyển sinh hoạt"),
    K.DIED: _("Giấy báo tử"),
    K.REMOVED: _("Số quyết định xóa tên"),
    K.EXPELLED: _("Số quyết định khai trừ"),
    K.RESIGNED: _("Số quyết định"),
}
REQUIRED = _("Ô này cần điền.")


# A posted id outside the offered list: a branch outside the user's scope, or made up.
BRANCH_ERRORS = {"invalid_choice": _("Hãy chọn một chi bộ trong danh sách."),
                 "required": _("Cần chọn chi bộ đến.")}


def date_field(label, required=True, **kwargs):
    return fields.date_field(label, required, required_message=REQUIRED, **kwargs)


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("Ngày %(day)s là ngày trong tương lai.")
                                    % {"day": day.strftime("%d/%m/%Y")})
    return day


class MovementFields:
    """The movement's own fields, shaped by its kind: the date, where the member goes, the
    paper and, for a departure from the Party, the reason."""

    def add_movement_fields(self, kind, destinations=None):
        self.kind = kind
        self.fields["date"] = date_field(DATE_LABELS[kind])
        if kind in WITH_DESTINATION:
            self.fields["to_organisation"] = BranchChoiceField(
                queryset=destinations, label=_("Chi bộ đến"), empty_label=_("— chọn chi bộ —"),
                error_messages=BRANCH_ERRORS)
        if kind in WITH_PLACE:
            self.fields["outside_place"] = forms.CharField(
                label=_("Nơi chuyển đến") if kind == K.TRANSFER_OUT else _("Chuyển đến từ"),
                max_length=200, error_messages={"required": REQUIRED},
                help_text=_("Tổ chức đảng ngoài hệ thống, ví dụ: Đảng bộ tỉnh Lâm Đồng."))
        self.fields["document_number"] = forms.CharField(
            label=DOCUMENT_LABELS[kind], max_length=60, required=kind in DOCUMENT_REQUIRED,
            error_messages={"required": REQUIRED})
        if kind in WITH_REASON:
            self.fields["reason"] = forms.ChoiceField(
                label=_("Lý do"), choices=[("", _("— chọn lý do —")),
                                           *[(r.value, r.label) for r in REASONS[kind]]],
                error_messages={"required": _("Cần chọn lý do."),
                                "invalid_choice": _("Hãy chọn một lý do trong danh sách.")})
        self.fields["note"] = forms.CharField(label=_("Ghi chú"), required=False,
                                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean_date(self):
        return _not_in_future(self.cleaned_data.get("date"))

    def movement(self) -> dict:
        """The keyword arguments of `record_for` beside the member, the kind and the date."""
        data = self.cleaned_data
        return {"to_organisation": data.get("to_organisation"),
                "outside_place": data.get("outside_place", "").strip(),
                "document_number": data.get("document_number", "").strip(),
                "reason": data.get("reason", ""), "note": data.get("note", "")}


class MovementForm(MovementFields, forms.Form):
    def __init__(self, *args, kind, destinations=None, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if destinations is not None and member is not None:
            destinations = destinations.exclude(pk=member.organisation_id).order_by("path")
        self.add_movement_fields(kind, destinations)


class TransferInForm(MovementFields, forms.ModelForm):
    """A member coming from a party organisation outside the tree, with their papers."""

    birth_date = date_field(_("Ngày sinh"))
    admitted_date = date_field(_("Ngày vào Đảng"))
    official_date = date_field(_("Ngày chính thức"), required=False,
                               help_text=_("Để trống nếu đồng chí còn là đảng viên dự bị."))

    class Meta:
        model = Member
        fields = ["full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id",
                  "card_number", "admitted_date", "official_date", "organisation"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = BranchChoiceField(
            queryset=branches.order_by("path"), label=_("Chi bộ sinh hoạt"),
            empty_label=_("— chọn chi bộ —"),
            error_messages={**BRANCH_ERRORS, "required": _("Cần chọn chi bộ.")})
        self.add_movement_fields(K.TRANSFER_IN)
        for name in ("full_name", "sex"):
            self.fields[name].error_messages["required"] = REQUIRED

    def clean(self):
        data = super().clean()
        birth, admitted = data.get("birth_date"), data.get("admitted_date")
        official, day = data.get("official_date"), data.get("date")
        if birth and admitted and admitted <= birth:
            self.add_error("admitted_date", _("Ngày vào Đảng phải sau ngày sinh."))
        if admitted and official and official < admitted:
            self.add_error("official_date", _("Ngày chính thức không thể trước ngày vào Đảng."))
        if admitted and day and day < admitted:
            self.add_error("date", _("Ngày chuyển đến không thể trước ngày vào Đảng."))
        for name in ("admitted_date", "official_date"):
            try:
                _not_in_future(data.get(name))
            except forms.ValidationError as err:
                self.add_error(name, err)
        return data


IDENTITY_FIELDS = ["full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id",
                   "card_number"]


class IdentityForm(forms.ModelForm):
    """A correction of what was entered wrongly, with its reason (kept in the history)."""

    birth_date = date_field(_("Ngày sinh"))
    change_reason = forms.CharField(
        label=_("Lý do sửa"), max_length=CHANGE_REASON_LENGTH,
        help_text=_("Ví dụ: nhập sai họ tên so với lý lịch; sửa theo căn cước công dân."),
        error_messages={"required": _("Cần ghi lý do sửa: lý do được lưu trong lịch sử thay "
                                      "đổi của hồ sơ.")})

    class Meta:
        model = Member
        fields = IDENTITY_FIELDS

    def clean(self):
        data = super().clean()
        birth = data.get("birth_date")
        if birth and self.instance.admitted_date and self.instance.admitted_date <= birth:
            self.add_error("birth_date", _("Ngày sinh phải trước ngày vào Đảng (%(day)s).")
                           % {"day": self.instance.admitted_date.strftime("%d/%m/%Y")})
        if not self.errors and not (set(self.changed_data) & set(IDENTITY_FIELDS)):
            raise forms.ValidationError(_("Chưa có thông tin nào được sửa."))
        return data
