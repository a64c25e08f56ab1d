"""The four insight views in a browser, as the province's leader of the demo (`seed_demo`,
whose pipeline runs 03/2025–11/2026): "Phân tích" in the navigation opens the stage aging;
each tab shows its heading and its chart; a count in the aging table opens a list of exactly
that many dossiers; a header of the unit comparison sorts the units; the period chooser
changes ?ky= and the subtitle; every view and a list pass axe-core and no view scrolls
sideways at 1280 px; the annex PDF downloads; at a phone's width (390 px) the aging page does
not scroll sideways (its wide table scrolls inside its figure). Screenshots (full page) go to
test-artifacts/insight_<view>.png, insight_aging_list.png and insight_aging_390.png; the
timings of the steps are printed (-s)."""
import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_accessibility import DEMO_PASSWORD, axe_violations

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWS = [  # (path part, tab label, heading)
    ("aging", "Thời gian chờ từng bước", "Hồ sơ chờ bao lâu ở từng bước"),
    ("cohorts", "Theo năm vào nguồn", "Kết quả theo năm vào danh sách quần chúng ưu tú"),
    ("forecast", "Dự báo kết nạp", "Dự báo kết nạp đến hết năm và hết nhiệm kỳ"),
    ("units", "So sánh đơn vị", "So sánh các đơn vị trực thuộc"),
]


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"insight_{name}.png"), full_page=True)


@pytest.fixture
def leader(page, settings):
    settings.REQUIRE_2FA = False
    started = time.monotonic()
    call_command("seed_demo", stdout=StringIO())
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
    return page, (started, {"0 seed+login": time.monotonic() - started})


# What makes the document wider than the window: elements sticking out on the right that no
# scrolling box of theirs holds (an absolutely placed one, e.g. .visually-hidden, escapes a
# scrolling box that is not positioned).
SIDEWAYS = """() => {
  const held = e => { for (let a = e.parentElement; a; a = a.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) {
        return getComputedStyle(e).position !== 'absolute'
          || getComputedStyle(a).position !== 'static';
      } } return false; };
  return [document.documentElement.scrollWidth, [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !held(e))
    .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} right=${
        Math.round(e.getBoundingClientRect().right)}`)];
}"""


def sideways(page):
    """(the document's scroll width, the first elements that stick out) at this width."""
    width, culprits = page.evaluate(SIDEWAYS)
    return width, culprits


def subtitle(page):
    return page.locator("main h1 + p.muted, h1 + p.muted").first.inner_text()


def test_a_leader_reads_the_four_views_and_follows_their_numbers(leader):
    page, (started, timings) = leader
    problems = []

    # 1. The navigation's "Phân tích" opens the stage aging; the tabs lead to the others.
    page.goto("/")
    menu = page.get_by_role("navigation", name="Điều hướng chính")
    tabs = page.get_by_role("navigation", name="Các phần phân tích")
    for path, tab, heading in VIEWS:
        with page.expect_navigation() as nav:
            if path == "aging":
                menu.get_by_role("link", name="Phân tích", exact=True).click()
            else:
                tabs.get_by_role("link", name=tab).click()
        assert nav.value.status == 200, path
        if path == "aging":
            expect(page).to_have_url(re.compile(r"/reports/insight/DBK/aging/$"))
        else:
            expect(page).to_have_url(
                re.compile(rf"/reports/insight/DBK/{path}/(\?ky=[\d-]+)?$"))
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        expect(tabs.get_by_role("link", name=tab)).to_have_attribute("aria-current", "page")
        expect(tabs.locator("a[aria-current]")).to_have_count(1)
        chart = page.locator("figure.insight-chart svg").first
        expect(chart).to_be_visible()
        name = chart.evaluate("svg => svg.getAttribute('aria-labelledby') ? "
                              "svg.getAttribute('aria-labelledby').split(' ').map("
                              "id => document.getElementById(id)?.textContent || '').join(' ')"
                              " : (svg.getAttribute('aria-label') || "
                              "svg.querySelector('title')?.textContent || '')")
        assert name.strip(), f"the chart of {path} has no accessible name"
        assert chart.locator("rect, path, line, circle, polyline").count() > 3, path
        shot(page, path)
        problems += axe_violations(page)
        width, culprits = sideways(page)
        if width > 1280:
            problems.append(f"{path} scrolls sideways at 1280 px ({width} px): {culprits}")
    timings["1 views"] = time.monotonic() - started

    # 2. A count of the aging table opens a list of exactly that many dossiers.
    page.goto("/reports/insight/DBK/aging/")
    # The largest count under 50 (the list's first page), whole scope or a unit.
    counts = page.locator("table.aging-table td > a[aria-label]")
    numbers = [int(t.replace(".", "")) for t in counts.all_inner_texts()]
    n = max((k for k in numbers if k < 50), default=0)
    assert n > 5, numbers
    link = counts.nth(numbers.index(n))
    label = link.get_attribute("aria-label")
    assert label.startswith(f"{n} lượt ở bước "), label
    link.click()
    expect(page).to_have_url(re.compile(r"/aging/dossiers/\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ ở bước")
    rows = page.locator("main table.data tbody tr, table.data tbody tr")
    assert rows.count() == n, (label, rows.count())
    expect(page.get_by_text(f"Tổng số: {n}", exact=True)).to_be_visible()
    shot(page, "aging_list")
    problems += axe_violations(page)
    timings["2 list"] = time.monotonic() - started

    # 3. A header of the unit comparison sorts the units, each click the other way round.
    page.goto("/reports/insight/DBK/units/")
    table = page.locator("table.insight-units-table")
    header = table.locator("thead th").filter(has_text=re.compile(r"^Kết nạp( [↑↓])?$"))
    expect(header).not_to_have_attribute("aria-sort", re.compile("."))

    def order():
        names = table.locator("tbody tr:not(.median):not(.total) th").all_inner_texts()
        values = [int(v or 0) for v in table.locator(
            "tbody tr:not(.median):not(.total) td[data-chi-so=ket_nap]").evaluate_all(
            "tds => tds.map(td => td.querySelector('a')?.dataset.count || "
            "td.textContent.trim().replace(/\\D/g, ''))")]
        return names, values

    before, _ = order()
    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sap_xep=ket_nap(&|$)"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    up_names, up_values = order()
    assert up_values == sorted(up_values), up_values
    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sap_xep=-ket_nap(&|$)"))
    expect(header).to_have_attribute("aria-sort", "descending")
    down_names, down_values = order()
    assert down_values == sorted(down_values, reverse=True), down_values
    assert sorted(up_names) == sorted(down_names) == sorted(before)
    assert len(set(up_values)) > 1, "the demo's units should differ in admissions"
    assert up_names != down_names
    timings["3 sort"] = time.monotonic() - started

    # 4. The period chooser: ?ky= and the subtitle follow the chosen period.
    page.goto("/reports/insight/DBK/forecast/")
    first = subtitle(page)
    page.get_by_label("Kỳ", exact=True).select_option(label="Năm 2025")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"[?&]ky=2025(&|$)"))
    after = subtitle(page)
    assert "nhiệm kỳ 2025-2030" in first, first
    assert after == ("Đảng bộ Khối các cơ quan tỉnh · năm 2025 · "
                     "từ ngày 01/01/2025 đến ngày 31/12/2025"), after
    expect(page.get_by_label("Kỳ", exact=True)).to_have_value("2025")
    timings["4 period"] = time.monotonic() - started

    # 5. axe-core on the four views and a list (gathered above): no serious or critical
    # violation; and no view scrolls sideways at 1280 px.
    assert problems == [], "\n".join(problems)

    # 6. The annex PDF arrives under a .pdf name.
    page.goto("/reports/insight/DBK/aging/")
    with page.expect_download(timeout=45_000) as info:
        page.get_by_role("link", name="Tải phụ lục phân tích (PDF)").click()
    assert info.value.suggested_filename.endswith(".pdf"), info.value.suggested_filename
    with open(info.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    expect(page.get_by_role("status").filter(has_text="Đã tải xong")).to_be_visible()
    timings["6 pdf"] = time.monotonic() - started

    # 7. A phone's width: the document does not scroll sideways; a wide table scrolls inside.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/reports/insight/DBK/aging/")
    shot(page, "aging_390")
    width, culprits = sideways(page)
    assert width <= 390, f"the aging page scrolls sideways at 390 px ({width} px): {culprits}"
    timings["7 phone"] = time.monotonic() - started
    print(" ".join(f"{k}: {v:.1f} s" for k, v in timings.items()))
