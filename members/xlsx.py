"""The one way the app writes a spreadsheet.

Text in a workbook comes from the data (names, professions, notes typed by users or imported),
and a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return runs as a formula when
the file is opened. Every value goes through `cell_value`, which writes such text behind an
apostrophe (the import takes it off again), so no list export, import template or report can
carry a live formula. Workbooks are write-only: rows stream to the file, and a sheet counts
its own rows instead of asking openpyxl.
"""
from django.utils.functional import Promise
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    return "'" + text if text[:1] in FORMULA_PREFIXES else text


def unescape_formula(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def cell_value(value):
    """A value as it may be written: text without the control characters XML refuses and
    never starting like a formula; numbers, dates and empty cells unchanged."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # Strip first: a control character in front would otherwise hide the `=` behind it.
        return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


class Sheet:
    """One worksheet of a `Workbook`; widths and frozen panes are fixed before the first row."""

    def __init__(self, book, title: str, *, widths=(), freeze: str | None = None):
        from openpyxl.utils import get_column_letter

        self.ws = book.create_sheet(title[:31])
        for i, width in enumerate(widths, start=1):
            if width:
                self.ws.column_dimensions[get_column_letter(i)].width = width
        if freeze:
            self.ws.freeze_panes = freeze
        self.rows = 0

    def append(self, values, *, font=None, alignment=None, number_formats=None) -> int:
        """Write one row; `number_formats` maps 0-based columns to a number format. Returns
        the row's number."""
        from openpyxl.cell import WriteOnlyCell

        number_formats = number_formats or {}
        row = []
        for i, value in enumerate(values):
            value = cell_value(value)
            fmt = number_formats.get(i)
            if font is None and alignment is None and fmt is None:
                row.append(value)
                continue
            cell = WriteOnlyCell(self.ws, value=value)
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment
            if fmt is not None:
                cell.number_format = fmt
            row.append(cell)
        self.ws.append(row)
        self.rows += 1
        return self.rows


class Workbook:
    def __init__(self):
        from openpyxl import Workbook as OpenpyxlWorkbook

        self.book = OpenpyxlWorkbook(write_only=True)

    def sheet(self, title: str, **options) -> Sheet:
        return Sheet(self.book, title, **options)

    def save(self, out) -> None:
        self.book.save(out)


def write_xlsx(out, headers, rows, *, title="Dữ liệu", notes=None):
    """Write `rows` (lists of text) under bold `headers` to the binary stream `out`, with an
    optional second sheet of `notes` (the import templates' guide)."""
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.sheet(title, widths=[max(12, min(40, len(h) + 4)) for h in headers],
                       freeze="A2")
    sheet.append(headers, font=Font(bold=True))
    for row in rows:
        sheet.append([v or "" for v in row])
    if notes:
        guide = book.sheet(_("Hướng dẫn"), widths=[40, 12, 90])
        for line in notes:
            guide.append(list(line))
    book.save(out)
