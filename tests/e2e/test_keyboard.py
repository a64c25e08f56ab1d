"""The keyboard alone: a branch secretary reaches the candidate form from the home page, fills
it and saves it, then records a step, with Tab, Shift+Tab, typing, Space and Enter; the focus
is always visible and the skip link jumps to the content."""
import re

import pytest
from playwright.sync_api import expect

from recruitment.models import Candidate, Stage
from tests.recruitment.conftest import branch_members, make_candidate  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = (el.labels && el.labels[0]) ? el.labels[0].innerText : "";
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), type: el.type || "", text: el.innerText || "",
          label: label.replace(/\\s*\\*\\s*$/, "").trim(),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== "none",
          inMain: !!el.closest("main")};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def assert_focus_visible(page):
    now = focused(page)
    assert now and (now["outline"] or now["shadow"]), f"no visible focus on {now}"


def tab_to(page, matches, key="Tab"):
    """Press Tab (or Shift+Tab) until the focused element matches; every stop shows its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        if now is None:  # past the last control, in the browser's own interface
            continue
        assert_focus_visible(page)
        if matches(now):
            return now
    raise AssertionError(f"never reached by {key}; last focus: {focused(page)}")


def link(text):
    return lambda now: now["tag"] == "a" and now["text"].strip() == text


def field(label):
    return lambda now: now["label"] == label


def type_into(page, label, text):
    tab_to(page, field(label))
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, label, option):
    """A closed <select> takes Home and ArrowDown to change its choice, as a keyboard user does."""
    tab_to(page, field(label))
    select = page.locator("select:focus")
    for key in ("Home", *["ArrowDown"] * 40):
        if select.evaluate("s => s.options[s.selectedIndex].text") == option:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{option!r} not among the choices of {label!r}")


def test_a_secretary_enters_a_candidate_with_the_keyboard_alone(page, log_in, users):
    log_in("bithu")
    tab_to(page, link("Thêm quần chúng ưu tú"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thêm quần chúng ưu tú")

    type_into(page, "Họ và tên", "Lương Thị Thu Trang")
    type_into(page, "Ngày sinh", "12/09/1996")
    choose(page, "Giới tính", "Nữ")
    choose(page, "Trình độ học vấn (giáo dục phổ thông)", "Trung học phổ thông")
    tab_to(page, lambda now: now["type"] == "checkbox" and "đoàn viên" in now["label"])
    page.keyboard.press("Space")
    choose(page, "Nguồn giới thiệu", "Đoàn Thanh niên")
    type_into(page, "Năm dự kiến kết nạp", "2027")
    # Back up the form to a field passed over, as one does to correct it.
    tab_to(page, field("Ngày vào danh sách dự nguồn"), key="Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("08/01/2026")
    page.keyboard.press("Enter")  # submits the form

    expect(page.get_by_role("status")).to_contain_text("Đã đưa Lương Thị Thu Trang")
    candidate = Candidate.objects.get(full_name="Lương Thị Thu Trang")
    assert candidate.youth_union_member and candidate.sex == "female"
    assert candidate.added_date.strftime("%d/%m/%Y") == "08/01/2026"


def test_a_secretary_records_a_step_with_the_keyboard_alone(page, log_in, users, tree,
                                                            branch_members):  # noqa: F811
    candidate = make_candidate(users, tree.b1)
    helper = branch_members.officials[0]
    log_in("bithu")
    page.goto(f"/candidates/{candidate.pk}/")
    tab_to(page, link("Phân công đảng viên giúp đỡ"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/assign_helper/$"))

    option = f"{helper.full_name} ({helper.organisation.name} · {helper.card_number}, chính thức)"
    choose(page, "Đảng viên chính thức giúp đỡ", option)
    tab_to(page, field("Ngày"), key="Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("01/02/2024")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Đã ghi")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.HELPER_ASSIGNED and candidate.helper == helper


def test_the_skip_link_shows_and_jumps_to_the_content(page, log_in, users):
    log_in("bithu")
    page.goto("/candidates/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, tới nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    now = focused(page)
    assert now["inMain"], f"after the skip link, Tab went to {now}"
    assert_focus_visible(page)
