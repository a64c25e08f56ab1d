"""Writes the two Word layouts of the papers (templates/papers/docx/issued.docx and
personal.docx): A4, the margins of Hướng dẫn 36-HD/VPTW, Times New Roman, the heading and
signature blocks with docxtpl's tags, and `{{p body }}` where each paper's body goes.

The files are kept in the repository; an office that wants its own layout edits them in Word
and keeps the tags. Run this only to start again from the default layout."""
from django.conf import settings
from django.core.management.base import BaseCommand

DOCX = settings.BASE_DIR / "templates" / "papers" / "docx"


def _document():
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    return doc


def _line(cell_or_doc, text, *, bold=False, italic=False, size=14, underline=False,
          align="center", first=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                   "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    return p


def _title(doc):
    _line(doc, "{{ doc.title|upper }}", bold=True, size=15)
    _line(doc, "{% if doc.subtitle %}{{ doc.subtitle }}{% endif %}", bold=True)
    _line(doc, "-----")
    doc.add_paragraph("{{p body }}")


def issued():
    from docx.shared import Mm

    doc = _document()
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.width, right.width = Mm(75), Mm(90)
    _line(left, "{{ doc.body_parent|upper }}", size=13, first=True)
    _line(left, "{{ doc.body|upper }}", bold=True, size=13)
    _line(left, "*")
    _line(left, "Số {{ doc.number }}", size=13)
    _line(right, "{{ doc.party_line or 'ĐẢNG CỘNG SẢN VIỆT NAM' }}", bold=True, underline=True,
          size=15, first=True)
    _line(right, "{{ doc.place }}, {{ doc.date_words }}", italic=True)
    _title(doc)
    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left", first=True)
    _line(left, "{{r doc.recipients_rt }}", size=12, align="left")
    _line(right, "{{ doc.signer_capacity }}", bold=True, first=True)
    _line(right, "{{ doc.signer_title }}", bold=True)
    for _ in range(3):
        right.add_paragraph("")
    _line(right, "{{ doc.signer_name or '……………' }}", bold=True)
    return doc


def personal():
    doc = _document()
    _line(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    _line(doc, "{{ doc.place }}, {{ doc.date_words }}", italic=True, align="right")
    _title(doc)
    _line(doc, "{{ doc.signer_title }}", bold=True, align="right")
    _line(doc, "{{ doc.signer_note }}", italic=True, align="right")
    for _ in range(3):
        doc.add_paragraph("")
    _line(doc, "{{ doc.signer_name }}", bold=True, align="right")
    return doc


class Command(BaseCommand):
    help = "Viết lại hai bố cục Word mặc định của các mẫu giấy tờ (issued.docx, personal.docx)."

    def handle(self, *args, **options):
        DOCX.mkdir(parents=True, exist_ok=True)
        for name, build in (("issued", issued), ("personal", personal)):
            build().save(DOCX / f"{name}.docx")
            self.stdout.write(f"Đã ghi {DOCX / f'{name}.docx'}")
