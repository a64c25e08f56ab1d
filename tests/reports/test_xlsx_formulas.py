"""Names typed by users reach the report workbook as text: a spreadsheet would
run a cell starting with =, +, -, @ as a formula (a HYPERLINK that leaks data when clicked)."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import documents, periods
from reports.selectors import compute_figures

from .conftest import TODAY

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://x","y")'


def report_workbook(org):
    figures = compute_figures(org, periods.resolve(org, "2024"), today=TODAY)
    return load_workbook(BytesIO(documents.render(figures, "xlsx").content))


def cells(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_formula_like_organisation_names_come_back_as_text(known):
    t = known.tree
    t.b3.name = HOSTILE_NAME
    t.b3.save()
    t.b2.name = "+1+1"
    t.b2.save()

    workbook = report_workbook(t.root)

    assert not [c.coordinate for c in cells(workbook) if c.data_type == "f"]
    texts = {c.value for c in cells(workbook) if c.data_type == "s"}
    assert "'" + HOSTILE_NAME in texts
    assert ("B2", "'+1+1", "Đảng bộ bộ phận Khối Nội", 1) in set(
        workbook["Theo chi bộ"].iter_rows(values_only=True))


def test_the_report_keeps_its_numbers_and_formats(known):
    workbook = report_workbook(known.tree.root)
    summary = workbook["Tổng hợp"]
    assert summary["A1"].font.bold and summary["A4"].font.bold
    assert summary["C5"].number_format == '0.0" %"'
    years = workbook["Theo năm"]
    assert years.freeze_panes == "A2"
    last = list(years.iter_rows())[-1]
    assert last[0].value == "Cả kỳ" and last[0].font.bold


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\x01=1+1"])
def test_every_written_cell_is_neutralised(text):
    from members.xlsx import Workbook

    out = BytesIO()
    book = Workbook()
    book.sheet("Thử").append([text, 5])
    book.save(out)
    out.seek(0)
    first, number = next(load_workbook(out).worksheets[0].iter_rows())
    assert first.data_type == "s" and first.value.startswith("'")
    assert number.value == 5
