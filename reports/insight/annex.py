"""The insight as an annex to the term or year report: the four views' tables and the same SVG
charts as the pages, in one PDF (the report's 36-HD/VPTW layout) and one XLSX workbook (each
view's `write_sheet`: the same numbers as the charts, one sheet or more per view)."""
from __future__ import annotations

from importlib import import_module

from django.template.loader import render_to_string

from members.documents import document_heading, signing_body
from members.models import Organisation
from members.pdf import render_pdf
from members.xlsx import Workbook

from ..documents import CONTENT_TYPES, Rendered
from .common import Scope
from .snapshots import MODULES

# (view, section title in the annex), in the order of the tabs.
SECTIONS = [
    ("aging", "Thời gian hồ sơ chờ ở từng bước"),
    ("cohorts", "Kết quả theo năm vào danh sách quần chúng ưu tú"),
    ("forecast", "Dự báo kết nạp đảng viên so với chỉ tiêu"),
    ("units", "So sánh các đơn vị trực thuộc"),
]


def module(view: str):
    return import_module(f"reports.insight.{MODULES[view]}")


def pdf_section(view: str, figures) -> dict:
    """What the view's section template reads in the PDF: its page module's
    `section_context(figures, pdf=True)` where it has one (it shortens what A4 cannot hold),
    else the figures and their chart."""
    views = import_module(f"reports.insight.views_{MODULES[view]}")
    if hasattr(views, "section_context"):
        return views.section_context(figures, pdf=True)
    return {"figures": figures, "chart": module(view).chart(figures), "pdf": True}


def filename(scope: Scope, fmt: str) -> str:
    return (f"phu-luc-phan-tich-{scope.organisation.code}-{scope.period.slug}.{fmt}")


def _doc(scope: Scope) -> dict:
    org = scope.organisation
    parent = signing_body(org.parent.name) if org.parent_id else ""
    return {
        **document_heading(Organisation.objects.get(pk=org.pk)),
        "body_parent": parent,
        "body": signing_body(org.name),
        "number": "",
        "number_suffix": "PL",
        "date": scope.as_of,
        "title": "Phụ lục",
        "subtitle": f"Phân tích công tác phát triển đảng viên {scope.period.title}",
        "recipients": ["Các đồng chí cấp ủy viên"],
    }


def render(scope: Scope, figures: dict, fmt: str) -> Rendered:
    """The annex of the views' `figures` ({view: figures}) as PDF or XLSX."""
    if fmt == "pdf":
        sections = [{"title": title, "number": i, "html": render_to_string(
                        f"reports/insight/_{view}_section.html",
                        {"scope": scope, **pdf_section(view, figures[view]), "pdf": True})}
                    for i, (view, title) in enumerate(SECTIONS, start=1)]
        content = render_pdf("reports/pdf/insight_annex.html", {
            "doc": _doc(scope), "scope": scope, "sections": sections})
    elif fmt == "xlsx":
        book = Workbook()
        for view, _title in SECTIONS:
            module(view).write_sheet(book, figures[view])
        from io import BytesIO

        out = BytesIO()
        book.save(out)
        content = out.getvalue()
    else:
        raise ValueError(fmt)
    return Rendered(content, filename(scope, fmt), CONTENT_TYPES[fmt])
