"""The page that puts a person on a branch's source pool, with the readmission look-up."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Role
from members.selectors import branches_visible_to, grants_of
from members.views import role_required

from .. import services
from ..forms.duplicates import CandidateEntryForm
from ..models import Candidate
from ..services.entry import identify


@role_required
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    branches = [g.organisation for g in grants_of(request.user)
                if g.role == Role.BRANCH_SECRETARY]
    if not branches:
        raise Http404
    branch_qs = branches_visible_to(request.user).filter(pk__in=[b.pk for b in branches])
    form = CandidateEntryForm(request.POST or None, branches=branch_qs, user=request.user,
                              readmission=bool(request.POST.get("readmission_consent_ref")))
    notice = ""
    if form.is_bound:
        # One transaction for the look-up and the save: the look-up's lock lasts until the
        # candidate is saved (services.duplicates.hold_person).
        with transaction.atomic():
            if form.is_valid():
                try:
                    candidate = services.add_candidate(actor=request.user, candidate=form.instance)
                except services.WorkflowError as err:
                    form.add_error(None, err.message)
                except ValidationError as err:  # a member already, or the CCCD taken meanwhile
                    for field, errors in err.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(request, _("Đã đưa %(name)s vào danh sách quần chúng ưu tú.")
                                     % {"name": candidate.full_name})
                    if candidate.entry_notice:
                        messages.warning(request, candidate.entry_notice)
                    for warning in form.warning_messages():  # under 18, among others
                        messages.warning(request, warning)
                    return redirect("recruitment:candidate_detail", pk=candidate.pk)
            notice = _look_up(request.user, form)
    return render(request, "recruitment/candidate_form.html", {"form": form, "notice": notice})


def _look_up(user, form) -> str:
    """On a form sent back for corrections: what the members' register says about the person
    so far (a refusal next to its field, or the readmission warning and its consent field)."""
    data = form.cleaned_data
    if not (data.get("full_name") and data.get("birth_date")) or form.has_error("citizen_id"):
        return ""
    identity = identify(user, Candidate(full_name=data["full_name"],
                                        birth_date=data["birth_date"],
                                        citizen_id=data.get("citizen_id") or None))
    if identity.refusal and not form.has_error(identity.field):
        form.add_error(identity.field, identity.refusal)
    if identity.former is not None:
        form.show_readmission()
    return identity.notice
