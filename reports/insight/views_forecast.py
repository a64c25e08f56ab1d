"""The forecast page (admissions expected by the end of the year and of the term, against the
target, by unit, with the back-test of the previous term) and the lists behind its numbers."""

from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from members.auth import role_required
from members.models import Organisation, subtree_bounds
from recruitment.models import Candidate, Stage

from ..membership import counting_basis
from ..selectors import admissions
from . import forecast, snapshots
from .common import insight_scope, page_context
from .sql import read_date

VIEW = "insight_forecast"
PAGE_SIZE = 50
SORT_PARAM = "sap_xep"


@role_required
def page(request, code):
    scope = insight_scope(request, code)
    read = snapshots.read("forecast", scope)
    figures = read.figures
    sort, message = request.GET.get(SORT_PARAM, "").strip(), ""
    if sort and sort.lstrip("-") not in forecast.SORTS:
        sort, message = "", _("Không sắp xếp được theo cột này; bảng giữ thứ tự mặc định.")
    if figures is not None:
        figures.units = forecast.sort_units(figures, sort)
    context = page_context(
        request, scope, VIEW, read=read, figures=figures,
        chart=forecast.chart(figures) if figures is not None else "",
        headers=headers(scope, figures, sort) if figures is not None else [],
        sort_message=message, pdf=False,
        keep_params=[(SORT_PARAM, sort)] if sort else [])
    return render(request, "reports/insight/forecast.html", context)


def headers(scope, figures, sort: str) -> list[tuple]:
    """The unit table's columns: (key, label, {href, aria}); the main horizon's columns and
    the first two sort the table (`?sap_xep=`, again for the reverse order)."""
    current = sort or "thieu"
    out = []
    for key, label, sortable in figures.columns:
        info = {}
        if sortable:
            on = current.lstrip("-") == key
            info["href"] = scope.url(VIEW, **{SORT_PARAM: f"-{key}" if current == key else key})
            if on:
                info["aria"] = "descending" if current.startswith("-") else "ascending"
        out.append((key, label, info))
    return out


def _unit(scope, code):
    if not code:
        return None
    unit = next((u for u in scope.units if u.code == code), None)
    if unit is None:
        raise Http404(_("Đơn vị không thuộc phạm vi phân tích."))
    return unit


@role_required
def dossiers(request, code):
    """The dossiers behind a number: those open on T (`giai_doan`: one pre-admission stage,
    `don_vi`: one unit) with their chance, or those admitted so far in the period
    (`da_ket_nap=1`)."""
    scope = insight_scope(request, code)
    unit = _unit(scope, request.GET.get("don_vi", "").strip())
    stage = request.GET.get("giai_doan", "").strip()
    done = request.GET.get("da_ket_nap", "").strip()
    if stage and stage not in forecast.OPEN_STAGES or done not in ("", "1") or (stage and done):
        raise Http404(_("Tham số danh sách không hợp lệ."))
    query = request.GET.get("q", "").strip()
    t, path = scope.as_of, (unit or scope.organisation).path
    if done:
        low, high = subtree_bounds(path)
        items = admissions(low, high, scope.period.start, t, counting_basis()).filter(
            date__lte=t).annotate(on=F("counted")).select_related(
            "member", "member__candidate", "to_organisation")
        if query:
            items = items.filter(member__full_name__icontains=query)
        items = items.order_by("member__full_name", "pk")
        rows_page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
        rows = [_admitted_row(m) for m in rows_page]
        heading = _("Đã kết nạp từ %(start)s đến %(end)s") % {
            "start": scope.period.start.strftime("%d/%m/%Y"), "end": t.strftime("%d/%m/%Y")}
    else:
        figures = snapshots.read("forecast", scope).figures
        sql, params = forecast.open_ids_sql(path, t, stage or None)
        items = Candidate.objects.filter(pk__in=RawSQL(sql, params))
        if query:
            items = items.filter(full_name__icontains=query)
        items = items.order_by("full_name", "pk")
        rows_page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
        people = list(rows_page)
        details = forecast.open_details(t, [c.pk for c in people])
        branches = Organisation.objects.in_bulk({d["organisation_id"] for d in details.values()})
        chance = _chances(figures, unit)
        rows = [_open_row(c, details.get(c.pk, {}), branches, chance) for c in people]
        heading = (_("Hồ sơ ở bước “%(stage)s” ngày %(day)s") % {
            "stage": Stage(stage).label, "day": t.strftime("%d/%m/%Y")} if stage else
            _("Hồ sơ đang trong quy trình ngày %(day)s") % {"day": t.strftime("%d/%m/%Y")})
    keep = [(k, v) for k, v in (("don_vi", unit.code if unit else ""), ("giai_doan", stage),
                                ("da_ket_nap", done), ("q", query)) if v]
    context = page_context(
        request, scope, VIEW, rows=rows, page_obj=rows_page, unit=unit, heading=heading,
        admitted_list=bool(done), query=query, keep_params=keep,
        back=scope.url(VIEW),
        page_query=scope.query(**dict(keep)))
    return render(request, "reports/insight/forecast_dossiers.html", context)


def _chances(figures, unit) -> dict[str, float]:
    """The chance each stage was given on the page (the unit's row, or the whole scope's),
    for the main horizon; none while a large scope's figures are being computed."""
    if figures is None:
        return {}
    horizon = figures.main
    if unit is not None:
        row = next((u for u in figures.units if u.unit.pk == unit.pk), None)
        horizon = row.horizons[figures.main.kind] if row else horizon
    return {s.stage: s.p for s in horizon.stages}


def _admitted_row(movement):
    member = movement.member
    candidate = getattr(member, "candidate", None)
    return {"name": member.full_name, "candidate": candidate.pk if candidate else None,
            "member": member.pk, "branch": movement.to_organisation.name,
            "stage": _("Kết nạp"), "since": movement.on, "p": None}


def _open_row(candidate, detail, branches, chance):
    branch = branches.get(detail.get("organisation_id"))
    stage = detail.get("to_stage", candidate.stage)
    return {"name": candidate.full_name, "candidate": candidate.pk, "member": None,
            "branch": branch.name if branch else "", "stage": Stage(stage).label,
            "since": read_date(detail.get("since")), "p": chance.get(stage),
            "percent": 100 * chance[stage] if stage in chance else None}


