"""A file that takes a while to make says so (static/js/downloads.js): after the click the
page shows “Đang tạo tệp PDF…” with the seconds gone by, the button is busy and a second click
does nothing, and the file is saved under the server's name with “Đã tải xong …”. What comes
back as a page (a report built in the background, the login page of an expired session) is
shown as the page, as a click without the script would show it.

The server is made slow by holding the request in the browser (page.route) until the test has
seen the progress, then letting the real request through."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from recruitment.rules import today
from reports import periods, views
from reports.models import ReportJob
from tests.recruitment.conftest import branch_members, make_candidate  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"download_progress_{name}.png"), full_page=True)


def test_a_report_pdf_shows_that_it_is_being_made_then_that_it_is_saved(
        page, log_in, users, tree):
    term = periods.current_term(tree.root, today()).label
    log_in("lanhdao")
    held = []
    # The request waits in the browser until the test lets it through.
    page.route("**/reports/DBK/*/pdf/", lambda route: held.append(route))
    button = page.get_by_role("button", name=f"Tải báo cáo nhiệm kỳ {term} (PDF)")
    button.click()

    status = page.get_by_role("status").filter(has_text="Đang tạo tệp PDF")
    expect(status).to_have_text("Đang tạo tệp PDF…")
    expect(status).to_have_text("Đang tạo tệp PDF… 1 giây")  # the seconds go by
    expect(button).to_be_disabled()  # one file per click, however impatient
    expect(page.locator("form[aria-busy=true]")).to_have_count(1)
    assert len(held) == 1
    shot(page, "busy")

    with page.expect_download() as info:
        held[0].continue_()  # the real request, to the live server
    name = f"bao-cao-phat-trien-dang-vien-DBK-nhiem-ky-{term}.pdf"
    assert info.value.suggested_filename == name
    with open(info.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    expect(page.get_by_role("status").filter(has_text="Đã tải xong")).to_have_text(
        f"Đã tải xong {name}.")
    expect(button).to_be_enabled()
    expect(page.locator("form[aria-busy]")).to_have_count(0)
    shot(page, "done")


def test_an_export_link_shows_its_progress_and_keeps_the_server_s_file_name(
        page, log_in, users, tree):
    log_in("bithu")
    page.goto("/candidates/")
    held = []
    page.route("**/export/candidates.xlsx*", lambda route: held.append(route))
    page.get_by_role("link", name="XLSX").click()
    expect(page.get_by_role("status").filter(has_text="Đang tạo tệp XLSX…")).to_be_visible()
    link = page.get_by_role("link", name="XLSX")
    expect(link).to_have_attribute("aria-busy", "true")
    expect(link).to_be_disabled()
    link.click(force=True)  # a second, impatient click fetches nothing more
    page.wait_for_timeout(300)
    with page.expect_download() as info:
        held[0].continue_()
    assert len(held) == 1
    name = info.value.suggested_filename
    assert name.startswith("danh-sach-") and name.endswith(".xlsx")
    expect(page.get_by_role("status").filter(has_text="Đã tải xong")).to_have_text(
        f"Đã tải xong {name}.")
    shot(page, "export")


def test_a_link_answered_by_a_page_ends_on_that_page(page, log_in, users, tree):
    log_in("bithu")
    page.goto("/candidates/")
    page.context.clear_cookies()  # the session has expired meanwhile
    page.get_by_role("link", name="XLSX").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    shot(page, "login")


def test_a_large_report_goes_to_its_background_job_page(
        page, log_in, users, tree, monkeypatch, settings):
    monkeypatch.setattr(views, "INLINE_MAX_BRANCHES", 1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    year = str(today().year)
    log_in("lanhdao")
    page.get_by_role("button", name=f"Tải báo cáo năm {year} (PDF)").click()
    expect(page).to_have_url(re.compile(r"/reports/jobs/"))
    expect(page.get_by_role("status")).to_contain_text("Đã xong")
    shot(page, "job")

    link = page.get_by_role("button", name=re.compile("^Tải về"))
    with page.expect_download() as info:
        link.click()
    name = f"bao-cao-phat-trien-dang-vien-DBK-nam-{year}.pdf"
    assert info.value.suggested_filename == name
    expect(page.get_by_role("status").filter(has_text="Đã tải xong")).to_have_text(
        f"Đã tải xong {name}.")

    # The file is gone meanwhile: the link's answer is the server's page, shown as such.
    ReportJob.objects.update(filename="")
    link.click()
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/reports/jobs/.+/file/$"))


def test_a_paper_made_to_be_printed_is_saved_and_opened_in_a_new_tab(
        page, log_in, users, tree, branch_members):  # noqa: F811
    candidate = make_candidate(users, tree.b1)
    log_in("bithu")
    page.goto(f"/candidates/{candidate.pk}/papers/")
    link = page.get_by_role("link", name=re.compile(r"^In .*PDF")).first
    with page.expect_download(timeout=30_000) as info:  # WeasyPrint on a busy machine
        link.click()
    name = info.value.suggested_filename
    assert name.endswith(".pdf")
    status = page.get_by_role("status").filter(has_text="Đã tải xong")
    expect(status).to_contain_text(f"Đã tải xong {name}.")
    with page.expect_popup() as popup:
        status.get_by_role("link", name="Mở tệp").click()
    assert popup.value.url.startswith("blob:")
    shot(page, "paper")
