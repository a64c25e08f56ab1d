"""The stage-aging page (units × stages heat map and its table) and the list behind a cell."""
from dataclasses import replace

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from members.auth import role_required
from members.models.tree import fold

from ..templatetags.documents import vn_number
from . import aging, snapshots
from .common import insight_scope, page_context
from .sql import WAITING_STAGES

NAME = "insight_aging"
PDF_ROWS = 40  # units listed in the PDF annex; the workbook has them all
PDF_STAGES = 9  # stages per heat map in the PDF (an A4 page's width)
PER_PAGE = 50


def cell_html(d, pdf: bool, words: dict) -> str:
    """One cell of the table as markup, built here rather than in the template: a country's
    table has over a thousand cells, and template tags per cell cost seconds. `words` holds
    the cell's texts translated once per table; every value is escaped."""
    if not d:
        return '<td class="num">—</td>'
    cell, column = d["cell"], d["column"]
    limited = column.limit is not None
    css = f"num heat-{'l' if limited else 'n'}{cell.level}" + (" heat-over" if cell.p90_over
                                                                 else "")
    n = vn_number(cell.n)
    count = n if pdf or not d["url"] else (
        f'<a href="{escape(d["url"])}" aria-label="'
        f'{escape(words["count"] % {"n": n, "s": column.label})}">{n}</a>')
    over = (f' <strong>!</strong><span class="visually-hidden">{words["over"]}</span>'
            if cell.p90_over else "")
    late = ""
    if limited and cell.over:
        k = vn_number(cell.over)
        link = k if pdf or not d["over_url"] else f'<a href="{escape(d["over_url"])}">{k}</a>'
        late = f"<br><small>{words['late']} {link}</small>"
    return (f'<td class="{css}">{count} · {escape(cell.median_text)} · '
            f"{escape(cell.p90_text)}{over}{late}</td>")


def section_context(figures, scope=None, *, pdf=False) -> dict:
    """What _aging_section.html reads. With `scope`, every unit name and count is a link (the
    page); without it (the PDF annex), plain numbers and at most PDF_ROWS units."""
    bases = {}  # URL name → its address for this organisation, reversed once

    def link(name, **params):
        if scope is None:
            return ""
        if name not in bases:
            bases[name] = reverse(f"reports:{name}", args=[scope.organisation.code])
        return bases[name] + scope.query(**params)

    def drill(unit, column, cell):
        if cell is None:
            return None
        params = {"mo": figures.mode or None, "giai_doan": column.stage,
                  "don_vi": unit.code if unit is not None else None}
        return {"cell": cell, "column": column,
                "url": link(f"{NAME}_dossiers", **params),
                "over_url": link(f"{NAME}_dossiers", qua_han="1", **params)
                if column.limit is not None and cell.over else ""}

    rows = figures.rows[:PDF_ROWS] if pdf else figures.rows
    table = [{"name": r.name, "unit": r.unit,
              "url": scope.url(NAME, r.unit, mo=figures.mode or None)
              if scope is not None and r.unit is not None else "",
              # A stay in a unit dissolved before the period has no list of its own.
              "cells": [drill(r.unit, c, cell) if r.unit is not None else
                        (cell and {"cell": cell, "column": c, "url": "", "over_url": ""})
                        for c, cell in zip(figures.columns, r.cells, strict=True)]}
             for r in rows]
    table.append({"name": _("Tổng cộng"), "unit": None, "url": "", "total": True,
                  "cells": [drill(None, c, c.total) for c in figures.columns]})
    words = {"count": _("%(n)s lượt ở bước %(s)s"), "over": escape(_("(phân vị 90 vượt hạn)")),
             "late": escape(_("quá hạn:"))}
    for row in table:
        # Safe: cell_html escapes every value it writes.
        row["html"] = mark_safe("".join(cell_html(d, pdf, words) for d in row["cells"]))
    return {"figures": figures, "table": table,
            "chart": aging.chart(replace(figures, rows=rows), PDF_STAGES) if pdf
            else aging.chart(figures),
            "more_rows": len(figures.rows) - len(rows), "pdf": pdf}


@role_required
def page(request, code):
    scope = insight_scope(request, code)
    mode = aging.mode_of(request.GET.get("mo"))
    read = snapshots.read("aging", scope, mode=mode)
    modes = [(m, label, scope.url(NAME, mo=m or None)) for m, label in (
        ("", _("Cả lượt đang chờ và đã xong")), (aging.OPEN, _("Chỉ lượt đang chờ")),
        (aging.CLOSED, _("Chỉ lượt đã xong")))]
    return render(request, "reports/insight/aging.html", page_context(
        request, scope, NAME, modes=modes, mode=mode,
        keep_params=[("mo", mode)] if mode else [], read=read,
        **(section_context(read.figures, scope) if not read.pending else {})))


@role_required
def dossiers(request, code):
    scope = insight_scope(request, code)
    stage = request.GET.get("giai_doan", "")
    if stage not in WAITING_STAGES:
        raise Http404(_("Bước không hợp lệ."))
    unit = None
    unit_code = request.GET.get("don_vi", "")
    if unit_code:
        unit = next((u for u in scope.units if u.code == unit_code), None)
        if unit is None:
            raise Http404(_("Đơn vị không thuộc phạm vi này."))
    mode = aging.mode_of(request.GET.get("mo"))
    over_only = request.GET.get("qua_han") == "1"
    q = request.GET.get("q", "").strip()[:100]
    stays = aging.StayList(scope, stage=stage, mode=mode, unit=unit, over_only=over_only,
                           search=fold(q), page=request.GET.get("page"), per_page=PER_PAGE)
    page_obj = Paginator(stays, PER_PAGE).get_page(request.GET.get("page"))
    label = dict((str(s), str(s.label)) for s in WAITING_STAGES)[stage]
    keep = [("giai_doan", stage), *([("don_vi", unit.code)] if unit else []),
            *([("mo", mode)] if mode else []), *([("qua_han", "1")] if over_only else [])]
    rows = [{"stay": s, "url": reverse("recruitment:candidate_detail", args=[s.candidate_id])}
            for s in page_obj]
    return render(request, "reports/insight/aging_dossiers.html", page_context(
        request, scope, NAME, page=page_obj, rows=rows, stage_label=label, unit=unit,
        mode=mode, over_only=over_only and stays.limit is not None, limit=stays.limit, q=q,
        keep_params=[*keep, *([("q", q)] if q else [])], search_params=keep,
        back=scope.url(NAME, mo=mode or None)))
