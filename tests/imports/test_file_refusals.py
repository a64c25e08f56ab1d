"""Files that are not a readable spreadsheet are refused as a whole, with a clear message:
empty, too large, not a spreadsheet, the old .xls format, headers only, not UTF-8."""
import io

from members import importing

from .conftest import MEMBER_HEADERS, csv_bytes, messages, run_import


class Huge(io.BytesIO):
    """A file that says it is 50 MB without taking the memory (the size is checked first)."""

    size = 50 * 1024 * 1024


def test_an_empty_file_is_refused(users):
    assert messages(run_import("members", b"", users.admin)) == [
        "Tệp rỗng: không có tiêu đề cột và không có dòng dữ liệu nào."]


def test_a_file_with_headers_only_is_refused(users):
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, []), users.admin)) == [
        "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."]


def test_a_50_mb_file_is_refused_before_it_is_read(users):
    outcome = importing.run("members", Huge(b"x"), user=users.admin, commit=True)
    assert messages(outcome) == [
        "Tệp nặng 50,0 MB, vượt giới hạn 20 MB. Hãy chia thành nhiều tệp nhỏ hơn."]


def test_the_size_limit_is_a_setting(users, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.0001
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [["x"] * 10] * 20), users.admin)
    assert "vượt giới hạn 0,0001 MB" in messages(outcome)[0]


def test_a_picture_is_not_a_spreadsheet(users):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
    assert messages(run_import("members", png, users.admin)) == [
        "Tệp không phải bảng tính XLSX hoặc CSV (UTF-8); hãy dùng tệp mẫu."]


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet(users):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "không phải bảng tính")
    assert messages(run_import("members", out.getvalue(), users.admin)) == [
        "Tệp không phải bảng tính XLSX hoặc CSV (UTF-8); hãy dùng tệp mẫu."]


def test_an_excel_97_file_is_asked_to_be_saved_as_xlsx(users):
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert "(.xls) không được hỗ trợ" in messages(run_import("members", xls, users.admin))[0]


def test_a_csv_that_is_not_utf8_is_refused_with_how_to_save_it(users):
    data = "Ho và tên;Ngày sinh\n".encode("latin-1")  # à is one byte 0xE0, not UTF-8
    assert "“CSV UTF-8”" in messages(run_import("members", data, users.admin))[0]


def test_a_csv_with_or_without_bom_and_with_semicolons_is_read(users, tree):
    row = ["Nguyễn Văn An", "17/05/1990", "Nam", "", "", "B1", "0001", "02/03/2015", "", ""]
    for data in (csv_bytes(MEMBER_HEADERS, [row], bom=True),
                 csv_bytes(MEMBER_HEADERS, [row], bom=False, delimiter=";")):
        outcome = run_import("members", data, users.admin, commit=False)
        assert outcome.ok and outcome.created == 1, messages(outcome)


def test_a_csv_broken_half_way_is_refused_not_a_crash(users, tree):
    import csv

    row = ["Nguyễn Văn An" * 50, "17/05/1990", "Nam", "", "", "B1", "1", "02/03/2015", "", ""]
    data = csv_bytes(MEMBER_HEADERS, [row])
    old = csv.field_size_limit(100)  # the reader now fails on the long name of row 2
    try:
        assert messages(run_import("members", data, users.admin)) == [
            "Tệp không phải bảng tính XLSX hoặc CSV (UTF-8); hãy dùng tệp mẫu."]
    finally:
        csv.field_size_limit(old)


def test_an_xlsx_that_unpacks_to_far_more_than_the_limit_is_refused(users, settings):
    import zipfile

    settings.IMPORT_MAX_UPLOAD_MB = 0.01  # 10 kB: the unpacked limit is 100 kB
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "<a/>" + " " * 1_000_000)
    assert messages(run_import("members", out.getvalue(), users.admin)) == [
        "Tệp XLSX quá lớn khi giải nén; hãy chia thành nhiều tệp nhỏ hơn."]
