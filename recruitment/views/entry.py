"""The pages that put a person on a branch's source pool, with the readmission look-up: the
entry form, and the same with every step already done on paper (`paper_file_create`)."""
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
from ..forms import paper_file
from ..forms.duplicates import CandidateEntryForm
from ..forms.findings import show_refusal
from ..models import Candidate
from ..services.entry import identify
from ..services.paper_file import StepRefused, enter_paper_file


def _entry_form(request):
    """The person's part of both pages, for a user who is the secretary of some branch."""
    branches = [g.organisation for g in grants_of(request.user)
                if g.role == Role.BRANCH_SECRETARY]
    if not branches:
        raise Http404
    branch_qs = branches_visible_to(request.user).filter(pk__in=[b.pk for b in branches])
    return CandidateEntryForm(request.POST or None, branches=branch_qs, user=request.user,
                              readmission=bool(request.POST.get("readmission_consent_ref")))


def _saved(request, form, candidate, done=""):
    messages.success(request, _("Đã đưa %(name)s vào danh sách quần chúng ưu tú.")
                     % {"name": candidate.full_name} + done)
    if candidate.entry_notice:
        messages.warning(request, candidate.entry_notice)
    for warning in form.warning_messages():  # under 18, among others
        messages.warning(request, warning)
    return redirect("recruitment:candidate_detail", pk=candidate.pk)


def _refused(form, err):
    """A refusal of the person's entry, on its field (a member already, the CCCD taken
    meanwhile) or above the form."""
    if isinstance(err, ValidationError):
        for field, errors in err.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, err.message)


@role_required
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    form = _entry_form(request)
    notice = ""
    if form.is_bound:
        # One transaction for the look-up and the save: the look-up's lock lasts until the
        # candidate is saved (services.duplicates.hold_person).
        with transaction.atomic():
            if form.is_valid():
                try:
                    candidate = services.add_candidate(actor=request.user, candidate=form.instance)
                except (services.WorkflowError, ValidationError) as err:
                    _refused(form, err)
                else:
                    return _saved(request, form, candidate)
            notice = _look_up(request.user, form)
    return render(request, "recruitment/candidate_form.html", {"form": form, "notice": notice})


def _unsaved(candidate):
    """The dossier's save was rolled back: the form shows it as not saved."""
    candidate.pk = None
    candidate._state.adding = True


@role_required
@require_http_methods(["GET", "POST"])
def paper_file_create(request):
    """A dossier kept on paper until now: the person and every step already done, on one
    page, written as the same events as step by step."""
    form = _entry_form(request)
    branches = form.fields["organisation"].queryset
    chosen = (branches.filter(pk=request.POST.get("organisation")).first()
              if request.POST.get("organisation", "").isdigit() else None)
    # The branch the member choices and the steps' path are read for.
    branch = chosen or branches.order_by("path").first()
    sections = paper_file.build_sections(request.POST or None, user=request.user,
                                         candidate=Candidate(
                                             organisation=branch,
                                             full_name=request.POST.get("full_name", "")))
    notice = ""
    status = 200
    if form.is_bound:
        with transaction.atomic():  # the look-up's lock lasts until the dossier is saved
            done = paper_file.steps_done(sections)
            steps_ok = paper_file.valid(done)
            if form.is_valid() and steps_ok:
                taken = [(s.code, f) for s in done for f in s.filled_forms()]
                candidate = form.instance
                try:  # its own savepoint: a refusal keeps nothing of the dossier
                    events = enter_paper_file(actor=request.user, candidate=candidate,
                                              steps=[(code, f.cleaned_data) for code, f in taken])
                except StepRefused as err:
                    _unsaved(candidate)
                    show_refusal(taken[err.index][1], err)
                except (services.WorkflowError, ValidationError) as err:
                    _unsaved(candidate)
                    _refused(form, err)
                else:
                    done_text = (_(" Đã ghi %(n)s bước của hồ sơ giấy, đến bước “%(last)s”.")
                                 % {"n": len(events), "last": done[-1].title}) if done else ""
                    return _saved(request, form, candidate, done_text)
            notice = _look_up(request.user, form)
        status = 400
    wrong = [(n, s) for n, s in enumerate(sections, 1) if form.is_bound and s.has_errors]
    return render(request, "recruitment/paper_file_form.html", {
        "form": form, "notice": notice, "sections": sections, "sections_wrong": wrong},
        status=status)


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
