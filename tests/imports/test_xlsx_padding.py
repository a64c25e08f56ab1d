"""A workbook may declare a used range far larger than what it holds (`A1:XFD1048576`) or
leave gaps between its rows. The import reads only the cells that are there, refuses a declared
size beyond the row limit at once, and names each row as Excel numbers it."""
import io
import zipfile

import pytest

from members import importing

from .conftest import MEMBER_HEADERS, messages, run_import

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _cell(ref, value):
    return (f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>' if value != ""
            else "")


def workbook(rows: dict, *, dimension=None) -> bytes:
    """An XLSX written by hand: `rows` maps a row number to {column letter: text}; the sheet
    declares `dimension` (e.g. "A1:XFD1048576"), or none at all."""
    sheet_rows = "".join(
        f'<row r="{n}">' + "".join(_cell(f"{col}{n}", v) for col, v in cells.items()) + "</row>"
        for n, cells in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}'
            f'<sheetData>{sheet_rows}</sheetData></worksheet>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


LETTERS = "ABCDEFGHIJ"
HEADER_ROW = dict(zip(LETTERS, MEMBER_HEADERS, strict=True))


def member(org="B1", card="00001", name="Nguyễn Văn An"):
    values = [name, "17/05/1990", "Nam", "", "", org, card, "02/03/2015", "", ""]
    return dict(zip(LETTERS, values, strict=True))


@pytest.fixture
def yielded(monkeypatch):
    """What the reader hands to the rest of the import: each row's width, counted as it goes;
    reading more than a few rows of a two-row file is padding, and stops the test at once."""
    widths = []
    real_read_table = importing.read_table

    def counting(source):
        headers, rows, total = real_read_table(source)

        def counted():
            for row in rows:
                numbered = len(row) == 2 and isinstance(row[0], int)
                widths.append(len(row[1]) if numbered else len(row))
                assert len(widths) <= 50, "the reader went through empty padding rows"
                yield row
        return headers, counted(), total

    monkeypatch.setattr(importing, "read_table", counting)
    return widths


def test_a_sheet_declaring_a_million_rows_is_refused_before_any_row_is_read(
        users, tree, yielded):
    data = workbook({1: HEADER_ROW, 1048576: member()}, dimension="A1:XFD1048576")
    assert len(data) < 5000
    outcome = run_import("members", data, users.admin)
    assert messages(outcome) == [
        "Trang tính khai báo vùng dữ liệu đến dòng 1.048.576, vượt giới hạn 100.000 dòng dữ "
        "liệu (cộng dòng tiêu đề). Nếu bên dưới chỉ là dòng trống, hãy xóa hẳn các dòng đó "
        "trong Excel rồi lưu lại; nếu không, hãy chia thành nhiều tệp."]
    assert yielded == []
    assert not outcome.applied


def test_the_declared_size_is_measured_against_the_row_limit_plus_the_header(
        users, tree, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = {1: HEADER_ROW, 2: member(card="1"), 3: member(card="2"), 4: member(card="3")}
    outcome = run_import("members", workbook(rows, dimension="A1:J4"), users.admin,
                         commit=False)
    assert outcome.ok and outcome.rows == 3
    outcome = run_import("members", workbook(rows, dimension="A1:J5"), users.admin)
    assert "đến dòng 5, vượt giới hạn 3 dòng dữ liệu" in messages(outcome)[0]


def test_a_row_far_below_a_gap_is_read_once_and_named_by_its_excel_row(users, tree, yielded):
    data = workbook({1: HEADER_ROW, 2: member(card="1"), 70000: member(org="KHONGCO", card="2")})
    outcome = run_import("members", data, users.admin)
    assert messages(outcome) == [
        "dòng 70000, cột Mã tổ chức: không có tổ chức nào mã “KHONGCO”."]
    assert len(yielded) == 2


def test_a_row_beyond_the_limit_is_refused_even_when_no_size_is_declared(
        users, tree, settings, yielded):
    settings.IMPORT_MAX_ROWS = 10
    outcome = run_import("members", workbook({1: HEADER_ROW, 2: member(), 12: member()}),
                         users.admin)
    assert "đến dòng 12, vượt giới hạn 10 dòng dữ liệu" in messages(outcome)[0]


def test_a_stray_cell_in_the_last_column_does_not_widen_every_row(users, tree, yielded):
    stray = {**member(card="1"), "XFD": "ghi chú"}
    data = workbook({1: HEADER_ROW, 2: stray, 3: member(card="2")}, dimension="A1:XFD3")
    outcome = run_import("members", data, users.admin)
    assert outcome.applied and outcome.created == 2
    assert max(yielded) <= len(MEMBER_HEADERS) + 1


def test_a_stray_header_in_the_last_column_does_not_widen_every_row(users, tree, yielded):
    rows = {1: {**HEADER_ROW, "XFD": "ghi chú"}, 2: member(card="1"), 3: member(card="2")}
    outcome = run_import("members", workbook(rows, dimension="A1:XFD3"), users.admin)
    assert outcome.applied and outcome.created == 2
    assert max(yielded) <= len(MEMBER_HEADERS) + 1


def test_a_header_row_thousands_of_columns_wide_is_refused(users, tree, yielded):
    from openpyxl.utils import get_column_letter

    header = {**HEADER_ROW, **{get_column_letter(c): f"cột {c}" for c in range(11, 5001)}}
    outcome = run_import("members", workbook({1: header, 2: member()}), users.admin)
    assert messages(outcome) == [
        "Dòng tiêu đề có 5.000 cột, quá nhiều so với mọi tệp mẫu; hãy dùng tệp mẫu."]
    assert yielded == []


def test_a_value_outside_the_headed_columns_still_counts_as_a_row(users, tree):
    """A note typed to the right of the table is not silently dropped: the row is read (and
    here lacks its required cells)."""
    data = workbook({1: HEADER_ROW, 2: member(card="1"), 3: {"XFD": "ghi chú"}},
                    dimension="A1:XFD3")
    outcome = run_import("members", data, users.admin)
    assert "dòng 3, cột Họ và tên: cột bắt buộc, không được để trống." in messages(outcome)


def test_a_sheet_whose_first_row_is_not_the_header_is_refused_as_before(users, tree):
    data = workbook({3: HEADER_ROW, 4: member()})
    assert "Thiếu cột bắt buộc “Họ và tên”." in messages(run_import("members", data, users.admin))
