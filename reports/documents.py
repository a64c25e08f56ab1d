"""One report, three renderings of the same figures: the page (views), the official PDF
(through `members.pdf.render_pdf` and the 36-HD/VPTW layout) and the XLSX workbook."""
from dataclasses import dataclass

from members.documents import document_heading, signing_body
from members.models import Organisation
from members.pdf import render_pdf

from . import charts, prose
from .figures import ReportFigures, top

# Longer lists go to the XLSX only; the PDF says so.
PDF_LIST_LIMIT = 30
GROUPS_SHOWN = 10


def document(f: ReportFigures) -> dict:
    """The header and signature block of the printed report: the issuing organisation's own
    place name (inherited) and signer, from members.documents."""
    org = f.organisation
    parent = signing_body(f.parent_name) if f.parent_name else ""
    return {
        **document_heading(Organisation.objects.get(pk=org.pk)),
        "body_parent": parent,
        "body": signing_body(org.name),
        # The number is written in by hand when the report is signed: "Số    -BC/ĐU".
        "number": "\u00a0" * 6 + ("-BC/CB" if org.is_branch else "-BC/ĐU"),
        "date": f.as_of,
        "title": "Báo cáo",
        "subtitle": f"Kết quả công tác phát triển đảng viên {f.period.title}",
        "recipients": [r for r in (parent and f"{parent} (để báo cáo)",
                                   f"Ban Tổ chức {parent}" if parent else "",
                                   "Các đồng chí cấp ủy viên") if r],
    }


def filename(f: ReportFigures, fmt: str) -> str:
    return f"bao-cao-phat-trien-dang-vien-{f.organisation.code}-{f.period.slug}.{fmt}"


@dataclass
class Rendered:
    content: bytes
    filename: str
    content_type: str


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def context(f: ReportFigures) -> dict:
    """What the page and the PDF templates both get."""
    return {
        "f": f,
        "prose": prose.write(f),
        "charts": {"admissions": charts.admissions(f), "funnel": charts.funnel(f),
                   "units": charts.units(f)},
        "education": top(f.education, GROUPS_SHOWN),
        "qualification": top(f.qualification, GROUPS_SHOWN),
        "occupation": top(f.occupation, GROUPS_SHOWN),
    }


def render_report_pdf(f: ReportFigures) -> bytes:
    return render_pdf("reports/pdf/report.html", {
        **context(f),
        "doc": document(f),
        "idle_branches": f.branches_without_admission[:PDF_LIST_LIMIT],
        "more_branches": max(0, len(f.branches_without_admission) - PDF_LIST_LIMIT),
        "idle_grassroots": f.grassroots_without_admission[:PDF_LIST_LIMIT],
        "more_grassroots": max(0, len(f.grassroots_without_admission) - PDF_LIST_LIMIT),
        "full_units": f.units_all_members[:PDF_LIST_LIMIT],
    })


def render(f: ReportFigures, fmt: str) -> Rendered:
    if fmt == "pdf":
        content = render_report_pdf(f)
    elif fmt == "xlsx":
        from .xlsx import render_xlsx

        content = render_xlsx(f)
    else:
        raise ValueError(fmt)
    return Rendered(content, filename(f, fmt), CONTENT_TYPES[fmt])
