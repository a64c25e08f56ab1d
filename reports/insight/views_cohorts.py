"""The funnel by cohort: the page (figures from `cohorts.compute`, kept by the worker for a
large scope) and the list of the dossiers behind each of its numbers."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from members.auth import role_required

from . import cohorts, snapshots
from .common import PERIOD_PARAM, insight_scope, page_context

VIEW = "insight_cohorts"
PER_PAGE = 50


@role_required
def page(request, code):
    scope = insight_scope(request, code)
    read = snapshots.read("cohorts", scope)
    figures = read.figures
    return render(request, "reports/insight/cohorts.html", page_context(
        request, scope, VIEW, read=read, figures=figures,
        chart=cohorts.chart(figures) if figures is not None else "",
        keep_params=[]))


def _years(scope, text: str) -> list[int]:
    """`?nam=`: one cohort year of the page, or `tat_ca` for every one (404 otherwise)."""
    shown = cohorts.cohort_years(scope)
    if text == "tat_ca" and shown:
        return shown
    try:
        year = int(text)
    except ValueError:
        raise Http404(_("Năm vào nguồn không hợp lệ.")) from None
    if year not in shown:
        raise Http404(_("Năm vào nguồn không nằm trong các năm được theo dõi."))
    return [year]


@role_required
def dossiers(request, code):
    """The dossiers of one cell: `nam` (a cohort year), `moc` (a milestone, `dung`,
    `chua_xong`, or none: the whole cohort), `nguon` (a source, optional); `q` a name."""
    scope = insight_scope(request, code)
    years = _years(scope, request.GET.get("nam", "").strip())
    moc = request.GET.get("moc", "").strip() or cohorts.POOL
    if moc not in cohorts.COLUMN_CODES:
        raise Http404(_("Mốc không hợp lệ."))
    source = request.GET.get("nguon", "").strip()
    if source and source not in cohorts.SOURCE_CODES:
        raise Http404(_("Nguồn giới thiệu không hợp lệ."))
    q = request.GET.get("q", "").strip()
    number = request.GET.get("trang", "")
    rows = cohorts.CellRows(scope, years, moc, source, q, per_page=PER_PAGE,
                            page=int(number) if number.isdigit() else 1)
    listing = Paginator(rows, PER_PAGE).get_page(number)
    column = dict(cohorts.COLUMNS)[moc]
    keep = [(k, v) for k, v in (("nam", request.GET.get("nam", "").strip()),
                                ("moc", request.GET.get("moc", "").strip()),
                                ("nguon", source)) if v]
    return render(request, "reports/insight/cohorts_dossiers.html", page_context(
        request, scope, VIEW, page=listing, column=column, moc=moc, years=years,
        all_years=len(years) > 1, source_label=dict(cohorts.SOURCES).get(source, ""),
        q=q, keep_params=keep, search_params=[(PERIOD_PARAM, scope.period.label), *keep],
        back=scope.url(VIEW), reached_header=_reached_header(moc)))


def _reached_header(moc: str) -> str:
    if moc == cohorts.POOL:
        return ""
    if moc == cohorts.ENDED:
        return _("Ngày dừng")
    if moc == cohorts.OPEN:
        return ""
    return _("Ngày đạt mốc")
