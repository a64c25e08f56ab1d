"""PDF rendering shared by every printed document: one layout (Hướng dẫn 36-HD/VPTW), the
bundled Tinos serif (Times-metric, full Vietnamese), A4, page numbers. Returns bytes.

The `doc` of the context fills the heading and the signature block; its place and signer come
from `members.documents.document_heading` of the issuing organisation."""
from django.conf import settings
from django.template.loader import render_to_string

from .documents import DOTTED_LINE


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, {"DOTTED_LINE": DOTTED_LINE, **context})
    base = settings.BASE_DIR / "static"
    return HTML(string=html, base_url=str(base) + "/").write_pdf()
