"""The unit comparison: the page (figures from `units.compute`, kept by the worker for a large
scope) and the list of the people behind each of its numbers."""
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.auth import role_required

from ..templatetags.documents import vn_number
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


def cell_html(cell, href: str, words: dict, *, compare: bool = True) -> str:
    """One number of the table as markup (see `table_html`), with its difference from the
    median unless `compare` is false (the total row); every value escaped."""
    css = "num" + (f" insight-{cell.judgement}" if compare and cell.judgement else "")
    text = escape(cell.text)
    if cell.share:
        shown, after = vn_number(cell.count), f" <small>({text})</small>"
    else:
        shown, after = text, ""
    if href:
        body = (f'<a href="{escape(href)}" data-count="{escape(cell.count)}">{shown}</a>'
                f"{after}")
    else:
        body = f"{shown}{after}"
    if compare and cell.diff_text:
        trend = f" insight-{cell.trend}" if cell.trend else ""
        body += (f'<br><small class="insight-diff{trend}">{escape(cell.diff_text)}'
                 f"{words['hidden']}</small>")
    return f'<td class="{css}" data-chi-so="{cell.key}">{body}</td>'


def table_html(rows, figures, scope, *, pdf: bool) -> dict:
    """The table's unit rows and total row as markup, built in one pass: a country's table has
    600 numbers, and template tags per number cost a second. Links only on the page."""
    words = {"hidden": "" if pdf else
             f'<span class="visually-hidden"> {escape(_("so với trung vị"))}</span>'}
    base = "" if pdf else (reverse("reports:insight_units_dossiers",
                                   args=[scope.organisation.code]) + scope.query())

    def href(cell, unit_code=None) -> str:
        if pdf or not cell.linked:
            return ""
        return base + f"&chi_so={cell.drill}" + (
            f"&don_vi={quote(unit_code)}" if unit_code else "")

    out = []
    for row in rows:
        name = escape(row.unit.name)
        if not pdf and not row.unit.is_branch:
            name = (f'<a href="{escape(scope.url(VIEW, row.unit))}">{name}</a>')
        out.append(f'<tr><th scope="row">{name}</th>' + "".join(
            cell_html(c, href(c, row.unit.code), words) for c in row.cells) + "</tr>")
    total = "".join(cell_html(c, href(c), words, compare=False) for c in figures.total.cells)
    # Safe: every value above is escaped.
    return {"rows_html": mark_safe("".join(out)), "total_html": mark_safe(total)}


def section_context(figures, scope=None, *, pdf=False) -> dict:
    """What _units_section.html reads in the PDF annex (the page adds its sort and paging)."""
    return {"figures": figures, "chart": units.chart(figures), "pdf": pdf,
            **table_html(figures.rows, figures, scope, pdf=pdf)}


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
        rows = figures.sorted_rows(sort)
        extra = {"rows": rows, "headers": _headers(scope, sort),
                 **table_html(rows, figures, scope, pdf=False),
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
