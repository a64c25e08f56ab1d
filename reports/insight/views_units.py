"""The unit comparison: the page (figures from `units.compute`, kept by the worker for a large
scope) and the list of the people behind each of its numbers."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.auth import role_required

from . import snapshots, units
from .common import insight_scope, page_context

VIEW = "insight_units"
SORT_PARAM, STALE_PAGE, PAGE = "sap_xep", "trang_cb", "page"
PER_PAGE = 50
LIST_TITLES = {
    "ket_nap": gettext_lazy("Đảng viên được kết nạp"),
    "tre": gettext_lazy("Đảng viên được kết nạp từ 30 tuổi trở xuống"),
    "nu": gettext_lazy("Đảng viên nữ được kết nạp"),
    "dan_toc": gettext_lazy("Đảng viên người dân tộc thiểu số được kết nạp"),
    "qua_han": gettext_lazy("Hồ sơ đang xét đã quá hạn"),
}


def _sort(request) -> str:
    sort = request.GET.get(SORT_PARAM, "").strip()
    if sort and sort.lstrip("-") not in units.SORT_KEYS:
        raise Http404(_("Không có cột sắp xếp này."))
    return sort


def _headers(scope, sort: str) -> list[dict]:
    """The table's headers: each a link that sorts by it (again: the other way round)."""
    columns = [(units.NAME_KEY, _("Đơn vị"))] + [(c.key, c.label) for c in units.COLUMNS]
    headers = []
    for key, label in columns:
        current = sort.lstrip("-") == key
        descending = current and sort.startswith("-")
        headers.append({
            "key": key, "label": label,
            "href": scope.url(VIEW, sap_xep=key if descending or not current else f"-{key}"),
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        })
    return headers


@role_required
def page(request, code):
    scope = insight_scope(request, code)
    sort = _sort(request)
    read = snapshots.read("units", scope)
    figures = read.figures
    extra = {}
    if figures is not None:
        extra = {"rows": figures.sorted_rows(sort), "headers": _headers(scope, sort),
                 "chart": units.chart(figures), "stale_param": STALE_PAGE,
                 "stale_page": Paginator(figures.stale, PER_PAGE).get_page(
                     request.GET.get(STALE_PAGE))}
    return render(request, "reports/insight/units.html", page_context(
        request, scope, VIEW, read=read, figures=figures, sort=sort,
        keep_params=[(SORT_PARAM, sort)] if sort else [], **extra))


@role_required
def dossiers(request, code):
    """The people behind one number of the table: `chi_so` (which number), `don_vi` (a unit's
    code; none: the whole organisation), searched by name with `q`."""
    scope = insight_scope(request, code)
    metric = request.GET.get("chi_so", "").strip()
    if metric not in units.LISTS:
        raise Http404(_("Không có chỉ số này."))
    unit_code = request.GET.get("don_vi", "").strip()
    unit = None
    if unit_code:
        unit = next((u for u in scope.units if u.code == unit_code), None)
        if unit is None:
            raise Http404(_("Đơn vị này không trực thuộc %(name)s.")
                          % {"name": scope.organisation.name})
    q = request.GET.get("q", "").strip()[:100]
    rows = units.dossiers(scope, metric, unit, q)
    listed = Paginator(rows, PER_PAGE).get_page(request.GET.get(PAGE))
    keep = [("chi_so", metric)] + ([("don_vi", unit_code)] if unit else [])
    return render(request, "reports/insight/units_dossiers.html", page_context(
        request, scope, VIEW, metric=metric, title=LIST_TITLES[metric], unit=unit, q=q,
        page=listed, keep_params=keep + ([("q", q)] if q else []), search_params=keep,
        back=scope.url(VIEW), overdue=metric == "qua_han"))
