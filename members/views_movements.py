"""Member pages that change a member: a movement of one kind (a transfer, temporary
membership, a death, a departure from the Party), a member transferred in from outside the
tree, and the correction of a member's identity. Each checks the user's role over the member
(outside the subtree: 404) and writes through `members/movements.py`."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import movements, selectors
from .auth import role_required
from .forms_movements import (
    IDENTITY_FIELDS,
    PAGE_KINDS,
    PAGE_LABELS,
    WITH_DESTINATION,
    IdentityForm,
    MovementForm,
    TransferInForm,
)
from .models import MovementKind


def _member(request, pk):
    return selectors.get_visible_or_404(
        selectors.members_visible_to(request.user).select_related("temporary_organisation"),
        pk=pk)


def _refused(request, member, what):
    """A member the user sees but whose change their role does not record: 403."""
    return render(request, "members/movement_not_allowed.html",
                  {"member": member, "what": what}, status=403)


def _add_errors(form, err):
    if isinstance(err, ValidationError):
        for field, errors in getattr(err, "error_dict", {None: err.error_list}).items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(err.field if err.field in form.fields else None, err.message)


@role_required
@require_http_methods(["GET", "POST"])
def member_movement(request, pk, kind):
    member = _member(request, pk)
    if kind not in PAGE_KINDS:
        raise Http404
    label = PAGE_LABELS[kind]
    if not movements.may_record(request.user, member, kind):
        return _refused(request, member, label)
    destinations = (movements.destinations(request.user, kind) if kind in WITH_DESTINATION
                    else None)
    form = MovementForm(request.POST or None, kind=kind, destinations=destinations,
                        member=member)
    refusal = (movements.state_refusal(member, kind)
               or movements.guard_refusal(member, kind))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                movements.record_for(request.user, member, kind, form.cleaned_data["date"],
                                     **form.movement())
            except movements.MovementError as err:
                _add_errors(form, err)
                refusal = refusal or (err if err.link else None)
            else:
                messages.success(request, _("Đã ghi: %(what)s — %(name)s.")
                                 % {"what": MovementKind(kind).label, "name": member.full_name})
                return redirect("members:member_detail", pk=member.pk)
        status = 400
    return render(request, "members/movement_form.html", {
        "member": member, "kind": kind, "label": label, "form": form, "refusal": refusal,
        "ancestors": [a for a in member.organisation.ancestors()
                      if selectors.can_see(request.user, a)],
    }, status=status)


@role_required
@require_http_methods(["GET", "POST"])
def member_transfer_in(request):
    """A member transferred in from a party organisation outside the tree, with their papers."""
    user = request.user
    kind = MovementKind.TRANSFER_IN
    if not (selectors.sees_everything(user)
            or selectors.roles_of(user) & movements.recorder_roles(kind)):
        raise Http404
    form = TransferInForm(request.POST or None, branches=movements.destinations(user, kind))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                movement = movements.record_for(user, form.instance, kind, data["date"],
                                                **form.movement() | {
                                                    "to_organisation": data["organisation"]})
            except (movements.MovementError, ValidationError) as err:
                _add_errors(form, err)
            else:
                messages.success(request, _("Đã ghi: %(name)s chuyển đến %(org)s.")
                                 % {"name": movement.member.full_name,
                                    "org": movement.to_organisation.name})
                return redirect("members:member_detail", pk=movement.member.pk)
        status = 400
    return render(request, "members/transfer_in_form.html", {"form": form}, status=status)


@role_required
@require_http_methods(["GET", "POST"])
def member_correct(request, pk):
    """Correct a member's identity fields, with the reason kept in the history."""
    member = _member(request, pk)
    what = _("Sửa thông tin")
    if not movements.may_correct(request.user, member):
        return _refused(request, member, what)
    form = IdentityForm(request.POST or None, instance=member)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                movements.correct_identity(request.user, member,
                                           {name: data[name] for name in IDENTITY_FIELDS},
                                           data["change_reason"].strip())
            except ValidationError as err:
                _add_errors(form, err)
            else:
                messages.success(request, _("Đã sửa thông tin của %(name)s.")
                                 % {"name": data["full_name"]})
                return redirect("members:member_detail", pk=member.pk)
        status = 400
        member.refresh_from_db()  # the form wrote its values on the instance
    return render(request, "members/identity_form.html", {
        "member": member, "form": form, "what": what,
        "ancestors": [a for a in member.organisation.ancestors()
                      if selectors.can_see(request.user, a)],
    }, status=status)
