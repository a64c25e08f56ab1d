"""Paths off the straight line, in the browser: the grassroots office returns a dossier to be
voted again and the secretary sees it at once, a dossier moves to another branch, and a
candidate's death closes the file."""
import os

import pytest
from playwright.sync_api import expect

from recruitment.models import Stage
from tests.recruitment.conftest import branch_members, candidate, make_candidate, walk  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("E2E_SCREENSHOTS")  # a folder: keep a screenshot of each screen


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(username)


def record(page, url, button, fields):
    page.goto(url)
    page.get_by_role("button", name=button, exact=True).click()
    for label, value in fields.items():
        control = page.get_by_label(label, exact=True)
        if isinstance(value, tuple):
            control.select_option(**{value[0]: value[1]})
        else:
            control.fill(value)


def save(page):
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Đã ghi")


def test_a_return_to_re_vote_then_a_death(page, log_in, users, candidate, walk):  # noqa: F811
    walk(candidate, until="grassroots_resolution")
    url = f"/candidates/{candidate.pk}/"

    log_in("vanphong")
    record(page, url, "Trả hồ sơ về chi bộ", {
        "Ngày trả hồ sơ": "14/06/2024",
        "Lý do trả lại (cần bổ sung, sửa gì)": "Biên bản ghi sai số đảng viên có mặt"})
    page.get_by_label("Biểu quyết lại", exact=False).check()
    shot(page, "return-form")
    save(page)

    switch_user(page, log_in, "bithu")
    # The home page says so before anything else, with who and why.
    expect(page.get_by_text("Biên bản ghi sai số đảng viên có mặt").first).to_be_visible()
    shot(page, "home-returned")
    page.goto(url)
    banner = page.locator("#returned")
    expect(banner).to_contain_text("Hồ sơ bị trả lại ngày 14/06/2024")
    expect(banner).to_contain_text("Biên bản ghi sai số đảng viên có mặt")
    shot(page, "candidate-returned")
    record(page, url, "Ghi nghị quyết chi bộ đề nghị kết nạp", {
        "Ngày họp": "20/06/2024", "Số đảng viên chính thức có mặt": "5", "Số tán thành": "5",
        "Số nghị quyết": "19-NQ/CB"})
    save(page)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.BRANCH_VOTED and candidate.returned_by is None
    expect(page.locator("#returned")).to_have_count(0)

    record(page, url, "Ghi từ trần", {"Ngày từ trần": "02/07/2024",
                                      "Số giấy báo tử, giấy chứng tử": "15/GBT"})
    save(page)
    expect(page.get_by_text("Hồ sơ đã kết thúc: Từ trần")).to_be_visible()
    expect(page.get_by_role("heading", name="Bước tiếp theo")).to_have_count(0)
    shot(page, "candidate-died")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.DIED


def test_the_office_moves_a_dossier_to_another_branch(page, log_in, users, tree,
                                                     branch_members):  # noqa: F811
    person = make_candidate(users, tree.b1, full_name="Đinh Thị Chuyển", citizen_id=None)
    url = f"/candidates/{person.pk}/"
    log_in("vanphong")
    record(page, url, "Chuyển hồ sơ sang chi bộ khác", {
        "Ngày chuyển": "01/03/2024",
        "Chuyển đến chi bộ": ("label", f"{tree.b2.name} ({tree.b2.code})"),
        "Số giấy giới thiệu chuyển sinh hoạt": "7/GGT"})
    save(page)
    expect(page.get_by_text(f"Chuyển từ {tree.b1.name} sang {tree.b2.name}")).to_be_visible()
    shot(page, "candidate-transferred")
    person.refresh_from_db()
    assert person.organisation == tree.b2

    # The old branch's secretary no longer sees the dossier.
    switch_user(page, log_in, "bithu")
    page.goto(url)
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
