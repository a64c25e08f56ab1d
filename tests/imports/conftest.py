"""Helpers for the import tests: build CSV/XLSX files in memory, run an import, read an
export back; uploads go to a temporary MEDIA_ROOT."""
import csv
import io
from datetime import date

import pytest

from members import importing
from members.resources import write_xlsx
from tests.recruitment.conftest import branch_members, walk  # noqa: F401 (shared fixtures)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def csv_bytes(headers, rows, *, bom=True, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(headers, rows):
    """An XLSX file; cells keep their Python types (dates become date cells)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_xlsx_bytes(headers, rows):
    out = io.BytesIO()
    write_xlsx(out, headers, rows)
    return out.getvalue()


def xlsx_cells(data: bytes):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def run_import(kind, data: bytes, user=None, commit=True, legacy=False):
    return importing.run(kind, io.BytesIO(data), user=user, commit=commit, legacy=legacy)


def messages(outcome):
    return [str(p) for p in outcome.errors]


def export_bytes(client, what, fmt="csv", **params):
    response = client.get(f"/export/{what}.{fmt}", params)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


ORG_HEADERS = ["Mã tổ chức", "Tên tổ chức", "Loại", "Mã tổ chức cấp trên", "Số cán bộ, công chức"]
MEMBER_HEADERS = ["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Mã tổ chức",
                  "Số thẻ đảng viên", "Ngày vào Đảng", "Ngày chính thức", "Trình độ chuyên môn"]
CANDIDATE_HEADERS = [
    "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD", "Trình độ học vấn",
    "Trình độ chuyên môn", "Đoàn viên", "Nguồn giới thiệu", "Mã tổ chức",
    "Ngày vào danh sách dự nguồn", "Đảng viên theo dõi, giúp đỡ",
    "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức", "Số giấy chứng nhận", "Ngày chi bộ xét",
    "Ngày đảng ủy cơ sở xét", "Số quyết định kết nạp", "Ngày quyết định kết nạp", "Ngày kết nạp",
    "Ngày hoàn thành lớp đảng viên mới", "Số quyết định công nhận chính thức",
    "Ngày công nhận chính thức", "Ngày quyết định công nhận", "Trạng thái kết thúc",
    "Ngày kết thúc"]
# What an export and the template carry: the columns above (an old file's, still read) and the
# optional category columns, each with the free text beside it.
MEMBER_EXPORT_HEADERS = [*MEMBER_HEADERS[:9], "Trình độ học vấn", "Trình độ chuyên môn",
                         "Chuyên ngành, văn bằng"]
CANDIDATE_EXPORT_HEADERS = [*CANDIDATE_HEADERS[:8], "Chuyên ngành, văn bằng", "Nghề nghiệp",
                            "Nghề nghiệp, chức vụ", *CANDIDATE_HEADERS[8:]]


def candidate_row(**values):
    """A candidate row (dict by header) with sensible identity and no history beyond the pool."""
    row = dict.fromkeys(CANDIDATE_HEADERS, "")
    row.update({"Họ và tên": "Hoàng Thị Quỳnh Anh", "Ngày sinh": "17/05/1995",
                "Giới tính": "Nữ", "Số CCCD": "001195012345", "Trình độ học vấn": "12/12",
                "Đoàn viên": "Có", "Nguồn giới thiệu": "Đoàn Thanh niên", "Mã tổ chức": "B1",
                "Ngày vào danh sách dự nguồn": "10/01/2024"})
    row.update(values)
    return row


def full_history(**values):
    """A candidate who went all the way to official member, every date filled."""
    return candidate_row(**{
        "Đảng viên theo dõi, giúp đỡ": "HELPER01",
        "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
        "Số giấy chứng nhận": "123/GCN", "Ngày chi bộ xét": "10/06/2024",
        "Ngày đảng ủy cơ sở xét": "20/06/2024", "Số quyết định kết nạp": "123-QĐ/ĐU",
        "Ngày quyết định kết nạp": "15/07/2024", "Ngày kết nạp": "01/08/2024",
        "Ngày hoàn thành lớp đảng viên mới": "10/01/2025",
        "Số quyết định công nhận chính thức": "210-QĐ/ĐU",
        "Ngày công nhận chính thức": "01/08/2025", "Ngày quyết định công nhận": "01/09/2025",
        **values})


def candidates_csv(*rows):
    return csv_bytes(CANDIDATE_HEADERS, [[r[h] for h in CANDIDATE_HEADERS] for r in rows])


@pytest.fixture
def helper(tree):
    from tests.factories import MemberFactory

    return MemberFactory(full_name="Đảng viên Giúp Đỡ", organisation=tree.b1,
                         card_number="HELPER01", admitted_date=date(2009, 1, 1),
                         official_date=date(2010, 1, 1))
