"""The form of the department's headcount page: a unit of their subtree, the date from which
the count holds (dd/mm/yyyy, not in the future) and the count."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import fields

REQUIRED = _("Ô này cần điền.")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        return f"{organisation.name} ({organisation.code})"


class HeadcountForm(forms.Form):
    organisation = UnitChoiceField(
        queryset=None, label=_("Đơn vị"), empty_label=_("— chọn đơn vị —"),
        error_messages={"required": _("Cần chọn đơn vị."),
                        "invalid_choice": _("Hãy chọn một đơn vị trong danh sách.")})
    valid_from = fields.date_field(
        _("Từ ngày"), required_message=REQUIRED,
        help_text=_("Số này áp dụng từ ngày này đến khi có số mới."))
    staff = forms.IntegerField(
        label=_("Số cán bộ, công chức"), min_value=0,
        error_messages={"required": REQUIRED, "invalid": _("Ghi một số nguyên."),
                        "min_value": _("Số cán bộ, công chức không thể âm.")})

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = units.order_by("path")
        if units.order_by()[:fields.SELECT_LIMIT + 1].count() > fields.SELECT_LIMIT:
            field.to_field_name = "code"
            field.widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
            field.label = _("Mã đơn vị")
            field.help_text = _("Mã của đơn vị, như trong danh sách dưới đây.")
            field.error_messages["invalid_choice"] = _(
                "Không có đơn vị mã này trong phạm vi của bạn; xem mã trong danh sách dưới "
                "đây.")

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày %(day)s là ngày trong tương lai.")
                                        % {"day": day.strftime("%d/%m/%Y")})
        return day
