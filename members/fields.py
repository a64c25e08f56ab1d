"""Form fields every page of the project types the same way: a date as dd/mm/yyyy text and a
branch chosen from a list. The foundation owns them so member pages and pipeline pages share
one definition."""
import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DAY_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Past this many organisations a form or a filter asks for the code instead of offering a
# <select> (a country's 55,000 units took 5.7 s to render and help nobody).
SELECT_LIMIT = 300


def real_day(day: int, month: int, year: int, text: str) -> date:
    """The date, or ValueError saying in Vietnamese that a well-formed `text` names no real
    day (31/02/2000), for every form's date field. (The import's date cells say it in their
    own words, after "dòng N, cột X:".)"""
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(gettext("Ngày %(v)s không có thật.") % {"v": text}) from None


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as text: the same on every browser and keyboard-friendly."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


class DayField(forms.DateField):
    """A date typed dd/mm/yyyy: a well-formed day that does not exist (31/02/2000) is told as
    such, not as a wrong format."""

    def to_python(self, value):
        if isinstance(value, str):
            match = DAY_RE.fullmatch(value.strip())
            if match:
                day, month, year = (int(g) for g in match.groups())
                try:
                    return real_day(day, month, year, value.strip())
                except ValueError as err:
                    raise ValidationError(str(err), code="invalid") from None
        return super().to_python(value)


def date_field(label, required=True, *, required_message=None, **kwargs):
    """A date typed dd/mm/yyyy (or ISO, as browsers send it), with a Vietnamese message for a
    date that does not parse; `required_message` replaces Django's for an empty field."""
    messages = {"invalid": _("Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy, ví dụ 05/09/2025.")}
    if required_message is not None:
        messages["required"] = required_message
    return DayField(
        label=label, required=required, widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages=messages, **kwargs,
    )


class BranchChoiceField(forms.ModelChoiceField):
    """A branch from the offered list, shown with its code; each use says what a posted id
    outside the list means (error_messages["invalid_choice"])."""

    def label_from_instance(self, organisation):
        return f"{organisation.name} ({organisation.code})"
