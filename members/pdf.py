"""PDF rendering shared by every printed document: one layout (Hướng dẫn 36-HD/VPTW), the
bundled Tinos serif (Times-metric, full Vietnamese), A4, page numbers. Returns bytes.

The `doc` of the context fills the heading and the signature block; its place and signer come
from `members.documents.document_heading` of the issuing organisation."""
from django.conf import settings
from django.template.loader import render_to_string

from .documents import DOTTED_LINE


def render_document(template_name: str, context: dict):
    """The laid-out document (WeasyPrint's), to count its pages or join it to others."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"DOTTED_LINE": DOTTED_LINE, **context})
    base = settings.BASE_DIR / "static"
    return HTML(string=html, base_url=str(base) + "/").render()


def render_pdf(template_name: str, context: dict) -> bytes:
    return render_document(template_name, context).write_pdf()


def join(documents) -> bytes:
    """One PDF of several laid-out documents, page after page."""
    documents = list(documents)
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
