"""The organisation department's page of staff headcounts: the units of their subtree with the
count in force today, the form that records a count from a date, and each unit's rows. Other
roles, and units outside the subtree, get 404."""
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import headcounts, selectors
from .auth import role_required
from .forms_headcounts import HeadcountForm
from .models import FROM_THE_START


def _units(user):
    units = headcounts.units_for(user)
    if not units.exists():
        raise Http404
    return units


@role_required
@require_http_methods(["GET", "POST"])
def headcount_list(request):
    units = _units(request.user)
    form = HeadcountForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                row, created = headcounts.record_headcount(
                    organisation=data["organisation"], valid_from=data["valid_from"],
                    staff=data["staff"], actor=request.user)
            except headcounts.HeadcountError as err:
                form.add_error(err.field, err.message)
            else:
                text = (_("Đã ghi số cán bộ, công chức của %(unit)s từ ngày %(day)s: %(n)s.")
                        if created else
                        _("Đã sửa số cán bộ, công chức của %(unit)s từ ngày %(day)s: %(n)s."))
                messages.success(request, text % {
                    "unit": row.organisation.name, "day": row.valid_from.strftime("%d/%m/%Y"),
                    "n": row.staff})
                return redirect("members:headcount_history", code=row.organisation.code)
        status = 400
    q = request.GET.get("q", "").strip()
    listed = units
    if q:
        listed = listed.filter(Q(name__icontains=q) | Q(code__iexact=q))
    listed = listed.annotate(staff=headcounts.staff_on(),
                             since=headcounts.staff_on(value="valid_from")).order_by("path")
    page = Paginator(listed, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/headcounts.html", {
        "page": page, "q": q, "form": form, "from_the_start": FROM_THE_START}, status=status)


@role_required
@require_GET
def headcount_history(request, code):
    units = _units(request.user)
    unit = selectors.get_visible_or_404(units, code=code)
    rows = unit.headcounts.select_related("actor").order_by("-valid_from")
    form = HeadcountForm(units=units, initial={"organisation": unit})
    return render(request, "members/headcount_history.html", {
        "unit": unit, "rows": rows, "form": form, "from_the_start": FROM_THE_START,
        "ancestors": [a for a in unit.ancestors() if selectors.can_see(request.user, a)]})
