"""Forms for opening a class and nominating learners (the results grid is parsed in the view,
one row per learner, so the whole class is one form)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ClassKind, TrainingClass
from .pipeline import date_field


class TrainingClassForm(forms.ModelForm):
    decision_date = date_field(_("Ngày quyết định mở lớp"))
    start_date = date_field(_("Ngày khai giảng"))
    end_date = date_field(_("Ngày bế giảng"))

    class Meta:
        model = TrainingClass
        fields = ["kind", "organiser", "course_number", "year", "code", "decision_number",
                  "decision_date", "start_date", "end_date", "place"]

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        if len(organisers) == 1:
            self.fields["organiser"].initial = organisers[0].pk
        self.fields["code"].required = False
        # Opening a class today takes its decision; only imported history may lack it.
        self.fields["decision_number"].required = True
        self.fields["decision_date"].required = True


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại lớp"), choices=ClassKind.choices)
    person = forms.ChoiceField(label=_("Người được cử đi học"))

    def __init__(self, *args, candidates, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {f"c{c.pk}": c for c in candidates} | {f"m{m.pk}": m for m in members}
        self.fields["person"].choices = [("", "—")] + [
            (f"c{c.pk}", _("%(name)s — quần chúng, %(stage)s") % {
                "name": c.full_name, "stage": c.get_stage_display()}) for c in candidates
        ] + [(f"m{m.pk}", _("%(name)s — đảng viên dự bị") % {"name": m.full_name})
             for m in members]

    def clean_person(self):
        key = self.cleaned_data["person"]
        if key not in self.people:
            raise forms.ValidationError(_("Hãy chọn một người trong danh sách."))
        return self.people[key]
