"""Correction pages of a dossier: the person's identity, and the undo of the last step.

Outside the user's subtree a dossier is a 404 (the selector); a role that never corrects gets
403 with the reason; a refused correction is the form again with why (400)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.selectors import get_visible_or_404
from members.views import role_required

from .. import selectors
from ..forms.corrections import IdentityCorrectionForm, UndoForm
from ..models import StageEvent
from ..services import WorkflowError
from ..services import corrections as service
from ..workflow import get_action


def _candidate(request, pk):
    return get_visible_or_404(
        selectors.candidates_visible_to(request.user).select_related("organisation__parent",
                                                                    "member"), pk=pk)


def _not_allowed(request, candidate, reason):
    return render(request, "recruitment/correction_form.html", {
        "candidate": candidate, "refusal": reason, "form": None}, status=403)


def _step_label(event_pk):
    action = get_action(StageEvent.objects.only("action").get(pk=event_pk).action)
    return action.label if action else ""


def _add_errors(form, err):
    if isinstance(err, WorkflowError):
        form.add_error(None, err.message)
        return
    for field, errors in err.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@role_required
@require_http_methods(["GET", "POST"])
def candidate_correct(request, pk):
    candidate = _candidate(request, pk)
    refusal = service.correction_refusal(request.user, candidate)
    if refusal:
        return _not_allowed(request, candidate, refusal)
    form = IdentityCorrectionForm(request.POST or None, candidate=candidate)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                service.correct_identity(actor=request.user, candidate=candidate,
                                         values=form.values(),
                                         reason=form.cleaned_data["reason"])
            except (WorkflowError, ValidationError) as err:
                _add_errors(form, err)
            else:
                messages.success(request, _("Đã sửa thông tin của %(name)s.") % {
                    "name": form.cleaned_data["full_name"]})
                return redirect("recruitment:candidate_detail", pk=candidate.pk)
        status = 400
    return render(request, "recruitment/correction_form.html", {
        "candidate": candidate, "form": form, "refusal": ""}, status=status)


@role_required
@require_http_methods(["GET", "POST"])
def candidate_undo(request, pk):
    candidate = _candidate(request, pk)
    if not service.may_undo(request.user, candidate):
        return render(request, "recruitment/undo_form.html", {
            "candidate": candidate, "form": None, "event": None,
            "refusal": _("Vai trò của bạn không ghi các bước của hồ sơ, nên không có bước nào "
                         "để hủy.")}, status=403)
    event, refusal = service.undoable(request.user, candidate)
    form = UndoForm(request.POST or None, initial={"event": event.pk if event else None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                undo = service.undo_last_step(actor=request.user, candidate=candidate,
                                              reason=form.cleaned_data["reason"],
                                              expected=form.cleaned_data["event"])
            except WorkflowError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, _("Đã hủy bước “%(action)s”; hồ sơ trở lại giai "
                                            "đoạn trước bước đó.") % {
                    "action": _step_label(undo.payload["undoes"])})
                return redirect("recruitment:candidate_detail", pk=candidate.pk)
        status = 400
    return render(request, "recruitment/undo_form.html", {
        "candidate": candidate, "form": form, "event": event, "refusal": refusal,
        "step": get_action(event.action) if event else None}, status=status)
