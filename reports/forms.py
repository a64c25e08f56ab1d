"""Forms of the reports app: choosing a report, the target grid and a term's congress dates."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from recruitment.forms import date_field

from .periods import YEAR, parse_label

KIND_CHOICES = [("term", _("Nhiệm kỳ")), (YEAR, _("Năm"))]


class ReportChoiceForm(forms.Form):
    """Which organisation and which period: the report page's address is built from it."""

    organisation = forms.CharField(label=_("Tổ chức đảng (mã)"), max_length=32)
    kind = forms.ChoiceField(label=_("Báo cáo theo"), choices=KIND_CHOICES,
                             widget=forms.RadioSelect, initial="term")
    term = forms.ChoiceField(label=_("Nhiệm kỳ"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1930, max_value=2100)

    def __init__(self, *args, organisations, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.code: o for o in organisations}
        self.fields["term"].choices = [(t, t) for t in terms]
        if len(self.organisations) <= 300:
            self.fields["organisation"].label = _("Tổ chức đảng")
            self.fields["organisation"].widget = forms.Select(
                choices=[(o.code, f"{'— ' * (o.depth - 1)}{o.name}") for o in organisations])

    def clean(self):
        data = super().clean()
        if data.get("kind") == YEAR and not data.get("year"):
            self.add_error("year", _("Ghi năm cần báo cáo, ví dụ 2024."))
        if data.get("kind") == "term" and not data.get("term"):
            self.add_error("term", _("Chọn nhiệm kỳ cần báo cáo."))
        return data

    @property
    def period(self) -> str:
        data = self.cleaned_data
        return str(data["year"]) if data["kind"] == YEAR else data["term"]


class TargetGridForm(forms.Form):
    """One number per organisation and per year (and for the whole term); blank is no target."""

    def __init__(self, *args, rows, columns, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.columns = rows, columns
        for unit in rows:
            for key, heading in columns:
                name = self.field_name(unit, key)
                self.fields[name] = forms.IntegerField(
                    label=_("Chỉ tiêu %(col)s của %(unit)s") % {"col": heading.lower(),
                                                               "unit": unit.name}, required=False,
                    min_value=0, max_value=1_000_000,
                    error_messages={"invalid": _("Ghi một số nguyên."),
                                    "min_value": _("Chỉ tiêu không thể âm.")},
                    initial=targets.get((unit.pk, key)),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    @staticmethod
    def field_name(unit, key) -> str:
        return f"t-{unit.pk}-{key}"

    def grid(self):
        """Rows of (unit, [bound field per column]) for the template."""
        return [(unit, [self[self.field_name(unit, key)] for key, _h in self.columns])
                for unit in self.rows]

    def cells(self):
        return [(unit, key, self.cleaned_data.get(self.field_name(unit, key)))
                for unit in self.rows for key, _h in self.columns]


class TermForm(forms.Form):
    start_date = date_field(_("Ngày đại hội đầu nhiệm kỳ"))
    end_date = date_field(_("Ngày đại hội cuối nhiệm kỳ"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            raise ValidationError(_("Ngày đại hội cuối nhiệm kỳ phải sau ngày đầu nhiệm kỳ."))
        return data


def period_or_none(text: str) -> str | None:
    try:
        return parse_label(text)[1]
    except ValidationError:
        return None
