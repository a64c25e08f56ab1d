"""A phone (390 px wide): the candidate list fits the screen as cards, the first candidate is
on the first screen, and the navigation folds behind one button that the keyboard opens."""
import pytest
from playwright.sync_api import expect

from recruitment.models import Candidate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidates(tree):
    from datetime import date

    for i, name in enumerate(["Nguyễn Khánh Linh", "Phạm Gia Huy", "Trần Thu Hà"]):
        Candidate.objects.create(full_name=name, birth_date=date(2000, 8, 13 + i), sex="female",
                                 education="upper_secondary", organisation=tree.b1,
                                 added_date=date(2026, 10, 26), stage_date=date(2026, 10, 26),
                                 plan_year=2027)


def test_the_candidate_list_fits_a_phone_and_the_menu_folds(page, log_in, users, candidates):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("bithu")
    page.goto("/candidates/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.get_by_role("link", name="Nguyễn Khánh Linh")
    expect(first).to_be_in_viewport()
    branch = page.locator('td[data-label="Chi bộ"]').first  # a card says what each line is
    expect(branch).to_have_text("Chi bộ Một")
    assert "Chi bộ" in branch.evaluate("td => getComputedStyle(td, '::before').content")

    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Đảng viên", exact=True)).to_be_hidden()
    nav.get_by_text("Trình đơn").focus()
    page.keyboard.press("Enter")
    nav.get_by_role("link", name="Đảng viên", exact=True).click()
    expect(page.get_by_role("heading", name="Đảng viên", exact=True)).to_be_visible()


def test_a_wide_screen_keeps_the_navigation_on_one_line(page, log_in, users):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in("bantochuc")
    logout = page.get_by_role("button", name="Đăng xuất")
    home = page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Trang chủ")
    assert abs(logout.bounding_box()["y"] - home.bounding_box()["y"]) < 20
    expect(page.get_by_role("button", name="Trình đơn")).to_have_count(0)
