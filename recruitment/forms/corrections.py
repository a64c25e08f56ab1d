"""Forms of the correction paths: the person's identity, and the undo of the last step. Both
ask for a reason; the service (`recruitment/services/corrections.py`) checks again what the
stored row allows."""
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Sex
from members.models.people import citizen_id_validator

from . import date_field

REASON_HELP = _("Ghi rõ sai ở đâu và căn cứ để sửa; lý do được lưu trong lịch sử hồ sơ.")


def _text(label, limit, required=True):
    """A text field whose limit is checked with a message (no maxlength attribute that would
    cut a pasted name short without a word)."""
    return forms.CharField(
        label=label, required=required, validators=[_length(limit)],
        widget=forms.TextInput(attrs={"autocomplete": "off"}))


def _length(limit):
    def check(value):
        if len(value) > limit:
            raise forms.ValidationError(
                _("Tối đa %(limit)d ký tự (đang có %(n)d ký tự).") % {"limit": limit,
                                                                      "n": len(value)})
    return check


def _reason(label):
    return forms.CharField(label=label, help_text=REASON_HELP,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Cần ghi rõ lý do.")})


class IdentityCorrectionForm(forms.Form):
    full_name = _text(_("Họ và tên"), 120)
    birth_date = date_field(_("Ngày sinh"))
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices)
    ethnicity = _text(_("Dân tộc"), 60)
    religion = _text(_("Tôn giáo"), 60)
    citizen_id = forms.CharField(
        label=_("Số CCCD"), required=False, validators=[citizen_id_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    reason = _reason(_("Lý do sửa"))

    def __init__(self, *args, candidate, **kwargs):
        kwargs.setdefault("initial", {name: getattr(candidate, name) for name in (
            "full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id")})
        super().__init__(*args, **kwargs)
        self.candidate = candidate

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        added = self.candidate.added_date
        if born and added and born >= added:
            raise forms.ValidationError(
                _("Ngày sinh phải trước ngày vào danh sách dự nguồn (%(day)s).")
                % {"day": added.strftime("%d/%m/%Y")})
        return born

    def clean_citizen_id(self):
        return (self.cleaned_data.get("citizen_id") or "").strip() or None

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class UndoForm(forms.Form):
    # The step the user saw on the page: another one recorded since is not undone by mistake.
    event = forms.IntegerField(widget=forms.HiddenInput)
    reason = _reason(_("Lý do hủy"))
