"""A long form keeps a draft on the server: the secretary closes the browser halfway through a
person, opens another one and finds what they typed, can throw it away, and a saved form leaves
no draft behind."""
import re
import time

import pytest
from playwright.sync_api import expect

from members.models import Draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FORM = "/candidates/new/"
SAVED = re.compile(r"Đã lưu nháp lúc \d\d:\d\d")
RESTORED = re.compile(r"Đã khôi phục bản nháp lưu lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}\.")


def fresh_browser(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def log_in(page, username="bithu"):
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-thu")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


def wait_for_draft(user, **fields):
    """Until the draft on the server holds these values (the page saves a second after the last
    keystroke)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        draft = Draft.objects.filter(user=user, path=FORM).first()
        if draft and all(draft.data.get(k) == [v] for k, v in fields.items()):
            return draft
        time.sleep(0.2)
    raise AssertionError(f"no draft with {fields}")


def test_a_draft_comes_back_after_the_browser_is_closed_and_can_be_thrown_away(
    browser, live_server, users, tree
):
    page = fresh_browser(browser, live_server)
    log_in(page)
    page.get_by_role("link", name="Thêm quần chúng ưu tú").first.click()
    page.get_by_label("Họ và tên").fill("Lương Thị Thu Trang")
    page.get_by_label("Ngày sinh").fill("12/09/1996")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Là đoàn viên").check()
    expect(page.get_by_text(SAVED)).to_be_visible()
    wait_for_draft(users.secretary, full_name="Lương Thị Thu Trang", birth_date="12/09/1996",
                   youth_union_member="on")
    page.context.close()

    page = fresh_browser(browser, live_server)
    log_in(page)
    page.goto(FORM)
    restored = page.get_by_role("status").filter(has_text=RESTORED)
    expect(restored).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_value("Lương Thị Thu Trang")
    expect(page.get_by_label("Ngày sinh")).to_have_value("12/09/1996")
    expect(page.get_by_label("Giới tính").locator("option:checked")).to_have_text("Nữ")
    expect(page.get_by_label("Là đoàn viên")).to_be_checked()

    restored.get_by_role("button", name="Bỏ bản nháp").click()
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_have_count(0)
    expect(page.get_by_label("Họ và tên")).to_have_value("")
    expect(page.get_by_label("Ngày sinh")).to_have_value("")
    expect(page.get_by_label("Là đoàn viên")).not_to_be_checked()
    assert not Draft.objects.filter(user=users.secretary).exists()
    page.context.close()


def test_a_saved_form_leaves_no_draft(page, log_in, users, tree):
    log_in("bithu")
    page.goto(FORM)
    page.get_by_label("Họ và tên").fill("Lương Thị Thu Trang")
    page.get_by_label("Ngày sinh").fill("12/09/1996")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Trình độ học vấn").select_option(label="Trung học phổ thông")
    page.get_by_label("Là đoàn viên").check()
    page.get_by_label("Nguồn giới thiệu").select_option(label="Đoàn Thanh niên")
    page.get_by_label("Ngày vào danh sách dự nguồn").fill("08/01/2024")
    page.get_by_label("Năm dự kiến kết nạp").fill("2024")
    expect(page.get_by_text(SAVED)).to_be_visible()
    wait_for_draft(users.secretary, plan_year="2024")

    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đưa Lương Thị Thu Trang")
    assert not Draft.objects.filter(user=users.secretary).exists()
    page.goto(FORM)
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("Họ và tên")).to_have_value("")
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_have_count(0)


def test_a_refused_form_is_not_overwritten_by_its_draft(page, log_in, users, tree):
    Draft.objects.create(user=users.secretary, path=FORM,
                         data={"full_name": ["Tên trong bản nháp"]})
    log_in("bithu")
    page.goto(FORM)
    expect(page.get_by_label("Họ và tên")).to_have_value("Tên trong bản nháp")
    page.get_by_label("Họ và tên").fill("Lương Thị Thu Trang")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("Họ và tên")).to_have_value("Lương Thị Thu Trang")
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_have_count(0)


KINDS_OF_FIELD = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<script src="/static/js/drafts.js" defer></script></head><body><main>
<form method="post" data-draft="/drafts/">
<input type="hidden" name="csrfmiddlewaretoken" value="{token}">
<input type="hidden" name="secret_state" value="server">
<label>Tên <input name="name"></label>
<label>Ngày <input type="date" name="day"></label>
<label>Ghi chú <textarea name="note"></textarea></label>
<label>Loại <select name="kind"><option value="">--</option><option value="a">A</option>
<option value="b">B</option></select></label>
<label>Nhiều <select name="many" multiple><option value="x">X</option><option value="y">Y</option>
<option value="z">Z</option></select></label>
<label><input type="checkbox" name="agreed"> Đồng ý</label>
<fieldset><legend>Chọn một</legend><label><input type="radio" name="pick" value="1"> Một</label>
<label><input type="radio" name="pick" value="2"> Hai</label></fieldset>
<label>Mật khẩu <input type="password" name="password"></label>
<details><summary>Thêm dòng</summary><label>Dòng thêm <input name="extra"></label></details>
<button type="submit">Ghi</button></form></main></body></html>"""


def test_every_kind_of_field_comes_back(browser, live_server, users):
    """Text, date, textarea, select, select multiple, checkbox and radio, on a test page (the
    project's forms have no field of some kinds); hidden fields and passwords are never kept;
    a filled field folded in <details> is shown."""
    page = fresh_browser(browser, live_server)
    log_in(page)
    page.goto(FORM)  # sets the CSRF cookie the test page's token must match
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    fixture = f"{live_server.url}/draft-fixture/"
    page.route(fixture, lambda route: route.fulfill(
        content_type="text/html; charset=utf-8", body=KINDS_OF_FIELD.format(token=token)))

    page.goto(fixture)
    page.get_by_label("Tên").fill("Lò Văn Páo")
    page.get_by_label("Ngày").fill("2024-02-29")
    page.get_by_label("Ghi chú").fill("Dòng một\nDòng hai")
    page.get_by_label("Loại").select_option("b")
    page.get_by_label("Nhiều").select_option(["x", "z"])
    page.get_by_label("Đồng ý").check()
    page.get_by_label("Hai").check()
    page.get_by_text("Thêm dòng").click()
    page.get_by_label("Dòng thêm").fill("Con đã thành niên")
    page.get_by_label("Mật khẩu").fill("bí mật")
    expect(page.get_by_text(SAVED)).to_be_visible()
    kept = {"name": ["Lò Văn Páo"], "day": ["2024-02-29"], "note": ["Dòng một\nDòng hai"],
            "kind": ["b"], "many": ["x", "z"], "agreed": ["on"], "pick": ["2"],
            "extra": ["Con đã thành niên"]}  # no password, no hidden field, no token
    deadline = time.monotonic() + 10
    while Draft.objects.get().data != kept:
        assert time.monotonic() < deadline, Draft.objects.get().data
        time.sleep(0.2)
    assert Draft.objects.get().path == "/draft-fixture/"

    page.goto(FORM)
    page.goto(fixture)
    expect(page.get_by_role("status")).to_contain_text(RESTORED)
    expect(page.get_by_label("Tên")).to_have_value("Lò Văn Páo")
    expect(page.get_by_label("Ngày")).to_have_value("2024-02-29")
    expect(page.get_by_label("Ghi chú")).to_have_value("Dòng một\nDòng hai")
    expect(page.get_by_label("Loại")).to_have_value("b")
    expect(page.get_by_label("Nhiều")).to_have_values(["x", "z"])
    expect(page.get_by_label("Đồng ý")).to_be_checked()
    expect(page.get_by_label("Hai")).to_be_checked()
    expect(page.get_by_label("Một")).not_to_be_checked()
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    expect(page.get_by_label("Dòng thêm")).to_be_visible()  # its folded part opened
    expect(page.get_by_label("Dòng thêm")).to_have_value("Con đã thành niên")
    page.context.close()
