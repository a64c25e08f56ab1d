"""Form fields every page of the project types the same way: a date as dd/mm/yyyy text and a
branch chosen from a list. The foundation owns them so member pages and pipeline pages share
one definition."""
from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as text: the same on every browser and keyboard-friendly."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


def date_field(label, required=True, *, required_message=None, **kwargs):
    """A date typed dd/mm/yyyy (or ISO, as browsers send it), with a Vietnamese message for a
    date that does not parse; `required_message` replaces Django's for an empty field."""
    messages = {"invalid": _("Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy, ví dụ 05/09/2025.")}
    if required_message is not None:
        messages["required"] = required_message
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages=messages, **kwargs,
    )


class BranchChoiceField(forms.ModelChoiceField):
    """A branch from the offered list, shown with its code; each use says what a posted id
    outside the list means (error_messages["invalid_choice"])."""

    def label_from_instance(self, organisation):
        return f"{organisation.name} ({organisation.code})"
