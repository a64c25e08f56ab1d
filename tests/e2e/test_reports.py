"""A leader downloads the current term's report from the home page: one click for a small
scope, two (ask, then download when ready) for a scope rendered in the background."""
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from recruitment.rules import today
from reports import periods, views

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pdf_text(download) -> str:
    with open(download.path(), "rb") as f:
        reader = PdfReader(BytesIO(f.read()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_leader_downloads_the_current_term_pdf_from_the_home_page(page, log_in, users, tree):
    term = periods.current_term(tree.root, today()).label
    log_in("lanhdao")
    expect(page.get_by_role("heading", name="Đảng bộ Khối")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name=f"Tải báo cáo nhiệm kỳ {term} (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"bao-cao-phat-trien-dang-vien-DBK-nhiem-ky-{term}.pdf"
    text = pdf_text(download)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert f"Kết quả công tác phát triển đảng viên nhiệm kỳ {term}" in text


def test_a_large_scope_is_rendered_in_the_background_then_downloaded(
        page, log_in, users, tree, monkeypatch, settings):
    monkeypatch.setattr(views, "INLINE_MAX_BRANCHES", 1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    year = str(today().year)
    log_in("lanhdao")
    page.get_by_role("button", name=f"Tải báo cáo năm {year} (PDF)").click()
    expect(page.get_by_role("status")).to_contain_text("Đã xong")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải về").click()
    assert f"Kết quả công tác phát triển đảng viên năm {year}" in pdf_text(info.value)


def test_the_report_page_is_reached_from_the_navigation_and_its_form(page, log_in, users,
                                                                     tree):
    log_in("lanhdao")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Báo cáo", exact=True).click()
    page.get_by_label("Tổ chức đảng").select_option(label="— Đảng bộ Sở Một")
    page.get_by_role("radio", name="Năm").check()
    page.get_by_role("spinbutton", name="Năm").fill("2024")
    page.get_by_role("button", name="Xem báo cáo").click()
    heading = page.get_by_role("heading", name="Báo cáo phát triển đảng viên năm 2024")
    expect(heading).to_be_visible()
    chart = page.get_by_role("img", name="Kết nạp đảng viên lũy kế từng tháng năm 2024")
    expect(chart).to_be_visible()


def test_the_department_records_a_headcount_and_the_report_shares_it_by_that_date(
        page, log_in, users, tree, members):
    from datetime import date

    day = today()
    log_in("bantochuc")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Cán bộ, công chức").click()
    page.get_by_label("Đơn vị", exact=True).select_option(label="Chi bộ Một (B1)")
    page.get_by_label("Từ ngày").fill(date(day.year, 1, 1).strftime("%d/%m/%Y"))
    staff = page.get_by_role("spinbutton", name="Số cán bộ, công chức")
    staff.fill("4")
    staff.press("Enter")  # the keyboard alone
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Chi bộ Một")

    page.goto(f"/reports/B1/{day.year}/")
    table = page.get_by_role("table").filter(has_text="Đảng viên / cán bộ, công chức")
    expect(table).to_contain_text("Chi bộ Một")
    expect(table).to_contain_text("1/4")
    expect(table).to_contain_text("25,0 %")
    page.goto(f"/reports/B1/{day.year - 1}/")  # the year before the headcount: no share
    expect(page.get_by_role("table").filter(
        has_text="Đảng viên / cán bộ, công chức")).to_contain_text("chưa có số cán bộ")
