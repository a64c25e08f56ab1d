"""The numbering register pages: the numbers an organisation issued in a year, in order, with
the unused ones shown, and the form that explains a gap or voids a number."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.models import Role
from members.selectors import get_visible_or_404, organisations_visible_to, roles_of
from members.views import role_required

from .. import rules
from ..forms.numbering import VoidForm
from ..selectors import register_lines, sequences_visible_to
from ..services import WorkflowError
from ..services.numbering import void_numbers

# Who keeps the registers: the committees' offices and the organisation department.
NUMBERING_ROLES = {Role.ORG_DEPARTMENT, Role.GRASSROOTS_OFFICE}


def _keeper_or_404(user):
    if not roles_of(user) & NUMBERING_ROLES:
        raise Http404


def _year(raw) -> int | None:
    """The year asked for; None (the latest year with a register) when none or not a year."""
    return int(raw) if raw and raw.isdigit() and len(raw) == 4 else None


def _page(request, *, issuer_pk=None, year=None, void_form=None, void_for=None, status=200):
    sequences = sequences_visible_to(request.user)
    issuers = {s.issuer.pk: s.issuer for s in sequences.order_by("issuer__path")}
    years = sorted({s.year for s in sequences}, reverse=True)
    issuer = None
    if issuer_pk is not None:
        issuer = get_visible_or_404(organisations_visible_to(request.user), pk=issuer_pk)
    elif issuers:
        issuer = next(iter(issuers.values()))
    year = year or (years[0] if years else rules.today().year)
    registers = []
    if issuer is not None:
        for seq in sequences.filter(issuer=issuer, year=year).order_by("kind"):
            form = void_form if void_for == seq.pk else VoidForm(prefix=f"s{seq.pk}")
            registers.append({"sequence": seq, "lines": register_lines(seq), "form": form})
    return render(request, "recruitment/numbering.html", {
        "issuers": list(issuers.values()), "issuer": issuer, "years": years, "year": year,
        "registers": registers,
    }, status=status)


@role_required
@require_GET
def numbering(request):
    """The registers of one issuing organisation and year."""
    _keeper_or_404(request.user)
    raw = request.GET.get("organisation")
    issuer_pk = int(raw) if raw and raw.isdigit() else None
    return _page(request, issuer_pk=issuer_pk, year=_year(request.GET.get("year")))


@role_required
@require_POST
def numbering_void(request, pk):
    """Explain why a number (or a run of numbers) of a register is not used."""
    _keeper_or_404(request.user)
    seq = get_visible_or_404(sequences_visible_to(request.user), pk=pk)
    form = VoidForm(request.POST, prefix=f"s{seq.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            written = void_numbers(sequence=seq, first=d["first"], last=d.get("last"),
                                   reason=d["reason"], actor=request.user)
        except WorkflowError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Đã ghi lý do không dùng cho %(n)s số.") % {
                "n": len(written)})
            query = urlencode({"organisation": seq.issuer_id, "year": seq.year})
            return redirect(f"{reverse('recruitment:numbering')}?{query}")
    return _page(request, issuer_pk=seq.issuer_id, year=seq.year, void_form=form,
                 void_for=seq.pk, status=400)
