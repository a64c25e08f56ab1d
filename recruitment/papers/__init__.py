"""The papers of an admission file, generated from the record: one mechanism for every form.

A paper is a text template (templates/papers/text/<slug>.txt: the wording, data an
administrator may replace) plus a function that builds its context from the candidate's record
(`builders`). The same body is written into one of two layouts — `issued` (an organisation's
resolution, decision or report: heading, number, "T/M" signature) or `personal` (a person's
application, history, review: the Party's heading, the person signs) — as a PDF through
WeasyPrint (templates/papers/<layout>.html, the reports' fonts and page) and as an editable
Word file through docxtpl (templates/papers/docx/<layout>.docx).

`PAPERS` lists them in the order the regulations list the papers of an admission file; that is
also the order of the whole dossier (`dossier.py`).
"""
from io import BytesIO

from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.utils.text import slugify

from . import blocks
from .registry import ISSUED, ORDER, PAPERS, PERSONAL, Paper, paper  # noqa: F401

# What a paper (or a dossier of them) is sent as.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
TEMPLATES = settings.BASE_DIR / "templates" / "papers"


def get(slug: str) -> Paper | None:
    return next((p for p in PAPERS if p.slug == slug), None)


def with_body(slug: str, ctx: dict) -> dict:
    """The context with the paper's body read from its text template, as blocks. The text is
    plain (no HTML): each rendering escapes it once, for HTML or for Word's XML."""
    template = get_template(f"papers/text/{slug}.txt").template
    text = template.render(Context(ctx, autoescape=False))
    return {**ctx, "blocks": blocks.parse(text)}


def context(p: Paper, candidate) -> dict:
    return with_body(p.slug, p.builder(candidate))


def render_pdf(p: Paper, candidate) -> bytes:
    return write_pdf(p.layout, p.slug, p.builder(candidate))


def render_docx(p: Paper, candidate) -> bytes:
    return write_docx(p.layout, p.slug, p.builder(candidate))


def write_pdf(layout: str, slug: str, ctx: dict) -> bytes:
    """Any paper, from its text template and a context with `doc` (facts.heading)."""
    from members.pdf import render_pdf as pdf

    ctx = with_body(slug, ctx)
    return pdf(f"papers/{layout}.html", {**ctx, "body_html": blocks.to_html(ctx["blocks"])})


def write_docx(layout: str, slug: str, ctx: dict) -> bytes:
    from docxtpl import DocxTemplate, RichText

    ctx = with_body(slug, ctx)
    template = DocxTemplate(TEMPLATES / "docx" / f"{layout}.docx")
    body = template.new_subdoc()
    blocks.to_docx(ctx["blocks"], body)
    doc = dict(ctx["doc"])
    doc["recipients_rt"] = RichText("\n".join(f"- {r}," for r in doc.get("recipients", []))
                                    + ("\n" if doc.get("recipients") else "") + "- Lưu.")
    template.render({**ctx, "doc": doc, "body": body}, autoescape=True)  # XML-safe names
    out = BytesIO()
    template.save(out)
    return out.getvalue()


def filename(p: Paper, candidate, fmt: str) -> str:
    return f"{p.slug}-{slugify(candidate.search_name or candidate.full_name)}.{fmt}"


# Registers the papers (each module its part of the file).
from . import admission, builders, probation  # noqa: E402,F401
