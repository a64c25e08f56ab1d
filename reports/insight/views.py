"""The way into the insight (the navigation's "Phân tích" opens the first view for the user's
topmost organisation) and its annex files (PDF, XLSX)."""
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.auth import role_required
from members.selectors import roles_over, top_organisations_for

from . import annex, snapshots
from .common import INSIGHT_ROLES, VIEWS, insight_scope, page_context


@role_required
def home(request):
    for organisation in top_organisations_for(request.user):
        if roles_over(request.user, organisation) & INSIGHT_ROLES:
            return redirect("reports:" + VIEWS[0][0], organisation.code)
    raise PermissionDenied(_("Chỉ lãnh đạo và Ban Tổ chức xem được phần phân tích."))


@role_required
def annex_file(request, code, fmt):
    """The annex of the four views for the organisation and period. For a large scope it is
    made from the figures the worker keeps (reports.insight.snapshots); while any of them is
    still being computed, a page says so instead of a file."""
    scope = insight_scope(request, code)
    reads = {view: snapshots.read(view, scope) for view, _title in annex.SECTIONS}
    if any(r.pending for r in reads.values()):
        return render(request, "reports/insight/annex_pending.html",
                      page_context(request, scope, VIEWS[0][0], fmt=fmt.upper()), status=202)
    rendered = annex.render(scope, {view: r.figures for view, r in reads.items()}, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response
