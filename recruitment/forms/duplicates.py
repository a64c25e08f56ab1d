"""The candidate page's look-up for the same person (`services.duplicates.find_same_person`):
a CCCD already held answers with the way forward instead of the bare unique-index message, and
a namesake (same folded name and birth date, no CCCD to tell them apart) must be confirmed
as another person before saving."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Candidate
from ..services.duplicates import find_same_person, hold_person
from .candidate import CandidateForm

CONFIRM = _("Tôi đã kiểm tra, đây là người khác")
NAMESAKE = _("Đã có người cùng họ tên và ngày sinh trong hệ thống. Nếu là cùng một người, đừng "
             "lập hồ sơ thứ hai; nếu là người khác, đánh dấu “Tôi đã kiểm tra, đây là người "
             "khác” rồi lưu lại.")


class SamePersonMixin:
    """For a form with `full_name`, `birth_date`, `citizen_id` and `organisation`: the look-up
    after the form's own checks (`same_person` then holds its findings for the template). The
    view validates and saves in one transaction, which the look-up's lock lasts for."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.same_person = None
        self.fields["other_person"] = forms.BooleanField(label=CONFIRM, required=False)

    def clean(self):
        data = super().clean()
        if data.get("full_name") and data.get("birth_date"):
            hold_person(data["full_name"], data["birth_date"])
            self.same_person = find_same_person(
                self.user, citizen_id=data.get("citizen_id") or None,
                full_name=data["full_name"], birth_date=data["birth_date"],
                organisation=data.get("organisation"), exclude_pk=self.instance.pk)
            found = self.same_person
            if found.namesakes and not found.refusal and not data.get("other_person"):
                self.add_error("other_person", NAMESAKE)
        return data

    def validate_unique(self):
        # The unique index's bare "already in the system" becomes the way forward, in words
        # the user may read (the index itself still decides a race between two saves).
        super().validate_unique()
        found, taken = self.same_person, Candidate._meta.get_field(
            "citizen_id").error_messages["unique"]
        errors = self._errors.get("citizen_id")
        if found and found.refusal and found.field == "citizen_id" and errors \
                and str(taken) in errors:
            self._errors["citizen_id"] = self.error_class(
                [found.refusal if str(e) == str(taken) else e for e in errors])


class CandidateEntryForm(SamePersonMixin, CandidateForm):
    """The candidate form of the page that adds a person to the source pool."""
