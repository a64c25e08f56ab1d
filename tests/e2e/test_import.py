"""A branch secretary imports candidates from a spreadsheet in the browser: the preview lists
the bad row, the fixed file previews clean, and the confirmation imports every row."""
import pytest
from playwright.sync_api import expect

from recruitment.models import Candidate, Stage
from tests.imports.conftest import CANDIDATE_HEADERS, candidate_row, xlsx_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def workbook(path, *rows):
    path.write_bytes(xlsx_bytes(CANDIDATE_HEADERS, [[r[h] for h in CANDIDATE_HEADERS]
                                                    for r in rows]))
    return str(path)


def test_a_secretary_uploads_sees_the_error_fixes_it_and_confirms(page, log_in, users, tree,
                                                                  settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    first = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
                             "Số giấy chứng nhận": "123/GCN"})
    second = candidate_row(**{"Họ và tên": "Trần Văn Bảo", "Số CCCD": "001096000002",
                              "Ngày sinh": "31/02/1996"})
    log_in("bithu")
    page.get_by_role("link", name="Nhập dữ liệu").click()
    page.get_by_role("button", name="Nhập tệp quần chúng và hồ sơ kết nạp").click()
    page.get_by_label("Tệp dữ liệu (XLSX hoặc CSV UTF-8)").set_input_files(
        workbook(tmp_path / "quan-chung.xlsx", first, second))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_role("alert")).to_contain_text("có 1 lỗi. Không dòng nào được ghi.")
    expect(page.get_by_role("list", name="Danh sách lỗi")).to_contain_text(
        "dòng 3, cột Ngày sinh: ngày “31/02/1996” không có thật.")
    expect(page.get_by_role("button", name="Xác nhận nhập 2 dòng")).to_have_count(0)
    assert not Candidate.objects.exists()

    page.get_by_role("button", name="Tải tệp đã sửa lên").click()
    second["Ngày sinh"] = "28/02/1996"
    page.get_by_label("Tệp dữ liệu (XLSX hoặc CSV UTF-8)").set_input_files(
        workbook(tmp_path / "quan-chung-da-sua.xlsx", first, second))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("Tệp hợp lệ")).to_be_visible()
    expect(page.get_by_role("region", name="Kết quả")).to_contain_text("2sẽ thêm mới")
    page.get_by_role("button", name="Xác nhận nhập 2 dòng").click()

    expect(page.get_by_role("status")).to_contain_text("Đã nhập xong 2 dòng")
    assert Candidate.objects.count() == 2
    assert Candidate.objects.get(full_name="Hoàng Thị Quỳnh Anh").stage == Stage.SYMPATHISER
    page.get_by_role("button", name="Xem danh sách").click()
    expect(page.get_by_role("link", name="Trần Văn Bảo")).to_be_visible()
