import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_branch_secretary_logs_in_and_sees_only_their_branch(page, log_in, users, members):
    log_in("bithu")
    expect(page.get_by_role("heading", name="Bí thư chi bộ")).to_be_visible()

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đảng viên", exact=True).click()
    expect(page.get_by_role("heading", name="Đảng viên", exact=True)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Nguyễn Thị Đào")).to_be_visible()
    expect(table).not_to_contain_text("Lê Minh Châu")
    expect(table).not_to_contain_text("Trần Văn Bình")
    branch_choices = page.get_by_label("Chi bộ").locator("option")
    expect(branch_choices).to_have_text(["Tất cả", "Chi bộ Một"])

    table.get_by_role("link", name="Nguyễn Thị Đào").click()
    expect(page.get_by_role("heading", name="Nguyễn Thị Đào")).to_be_visible()
    expect(page.get_by_text("17/05/1990")).to_be_visible()

    page.goto(f"/members/{members.m3.pk}/")
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()


def test_a_wrong_password_shows_a_vietnamese_message(page, users):
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill("bithu")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
