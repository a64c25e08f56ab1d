"""The body of a paper as blocks, read from its text template and written to HTML (for the PDF)
or into a Word document (for the DOCX): one body, two renderings.

A text template (templates/papers/text/<slug>.txt, Django template language) renders to
lines; blank lines separate paragraphs, and a line's first characters say what it is:

    ## Heading            a bold heading line
    !! Bold paragraph     a paragraph in bold
    .. Centred line       a centred line (e.g. "Kính gửi: …")
    - item                an item of a list
    | a | b | c |         a table row (the first row of a table is its header)
    >> Right line         a line aligned right (a personal signature: "Người làm đơn")
    anything else         a paragraph, first line indented (lines of one paragraph join)
"""
from dataclasses import dataclass, field
from html import escape


@dataclass
class Block:
    kind: str  # paragraph, heading, bold, centre, item, table, right
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


PREFIXES = [("## ", "heading"), ("!! ", "bold"), (".. ", "centre"), ("- ", "item"),
            (">> ", "right")]


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []

    def close():
        if paragraph:
            blocks.append(Block("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("|") and line.endswith("|"):
            close()
            cells = [c.strip() for c in line[1:-1].split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
            continue
        for prefix, kind in PREFIXES:
            if line.startswith(prefix):
                close()
                blocks.append(Block(kind, line[len(prefix):].strip()))
                break
        else:
            paragraph.append(line)
    close()
    return blocks


def to_html(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if b.kind == "table":
            head, *rows = b.rows
            out.append('<table class="data"><thead><tr>'
                       + "".join(f"<th>{escape(c)}</th>" for c in head) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
                                 for r in rows) + "</tbody></table>")
        elif b.kind == "heading":
            out.append(f'<h3 class="paper">{escape(b.text)}</h3>')
        elif b.kind == "bold":
            out.append(f'<p class="bold">{escape(b.text)}</p>')
        elif b.kind == "centre":
            out.append(f'<p class="centre">{escape(b.text)}</p>')
        elif b.kind == "right":
            out.append(f'<p class="right">{escape(b.text)}</p>')
        elif b.kind == "item":
            out.append(f'<p class="item">- {escape(b.text)}</p>')
        else:
            out.append(f"<p>{escape(b.text)}</p>")
    return "\n".join(out)


def to_docx(blocks: list[Block], subdoc) -> None:
    """Write the blocks into a docxtpl subdocument (python-docx API), Times New Roman 14."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    def paragraph(text, *, bold=False, align=None, indent=False):
        p = subdoc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(14)
        run.font.name = "Times New Roman"
        fmt = p.paragraph_format
        fmt.space_after = Pt(3)
        if indent:
            fmt.first_line_indent = Mm(10)
        if align is not None:
            p.alignment = align
        return p

    for b in blocks:
        if b.kind == "table":
            table = subdoc.add_table(rows=len(b.rows), cols=max(len(r) for r in b.rows))
            table.style = "Table Grid"
            for i, row in enumerate(b.rows):
                for j, text in enumerate(row):
                    cell = table.cell(i, j)
                    cell.text = text
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(12)
                        run.font.name = "Times New Roman"
                        run.bold = i == 0
        elif b.kind in ("heading", "bold"):
            paragraph(b.text, bold=True)
        elif b.kind == "centre":
            paragraph(b.text, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif b.kind == "right":
            paragraph(b.text, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
        elif b.kind == "item":
            paragraph(f"- {b.text}", indent=True)
        else:
            paragraph(b.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
