"""Every page a role reaches passes axe-core with no serious or critical violation.

Each role signs in to the demo province (`seed_demo`, plus one dossier sent back to its
branch) and follows the links of every page it sees, from the navigation down to the step
forms, one page of each kind; axe-core (vendored in tests/e2e/vendor/axe-core, never served
by the app, no network) checks each page. Forms are checked again showing their errors, a
phone's width with the menu open, the two-factor pages and the admin's index.
"""
import re
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from members.models import Role, RoleGrant
from recruitment import services
from recruitment.models import Candidate, Stage
from recruitment.rules import today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
BLOCKING = {"serious", "critical"}
DEMO_PASSWORD = "Demo@2026"
# Files, not pages (downloads, exports, printable papers), and links that change state.
NOT_A_PAGE = re.compile(
    r"\.(pdf|docx|xlsx|csv|zip|txt)$|/(pdf|xlsx|file)/$|^/(logout|i18n|export|healthz|admin)")
# A page of each kind: ids and organisation codes stand for any one of them.
ID = re.compile(r"^\d+$|^[0-9a-f-]{36}$")
CODE = re.compile(r"^(?=.*[A-Z0-9])[A-Z0-9-]+$")
# Candidates are opened one by one (up to this many), so that every step form their stages
# offer is reached; other kinds are opened once.
MANY = {"/candidates/#/": 40}
MAX_PAGES = 150
# Violations known and waiting for a fix, by (rule, page kind): skipped by the crawl. None.
PENDING: dict = {}


DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}"""


def kind_of(path: str) -> str:
    parts = [("#" if ID.match(p) else "@" if CODE.match(p) else p) for p in path.split("/")]
    return "/".join(parts)


def axe_violations(page, pending=PENDING) -> list[str]:
    # Evaluated rather than added as a <script>: the page's Content-Security-Policy stays on.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    path = kind_of(urlsplit(page.url).path)
    # axe 4.x no longer reports a repeated id; a label or aria reference would then name the
    # wrong element (the navigation is printed twice: wide, and folded for a phone).
    repeated = page.evaluate(DUPLICATE_IDS)
    return [
        f"{v['id']} ({v['impact']}) on {page.url}: "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        + f" ({len(v['nodes'])} in all)"
        for v in result["violations"]
        if v["impact"] in BLOCKING and (v["id"], path) not in pending
    ] + [f"duplicate id on {page.url}: {', '.join(repeated)}"] * bool(repeated)


def crawl(page, base, start="/") -> tuple[list[str], list[str]]:
    """Visit every page linked from `start` (one of each kind) and check each one."""
    queue, seen_kinds, seen_urls, visited, problems = [start], {}, set(), [], []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        kind = kind_of(urlsplit(url).path)
        if url in seen_urls or seen_kinds.get(kind, 0) >= MANY.get(kind, 1):
            continue
        seen_urls.add(url)
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        response = page.goto(url)
        if response is None or response.status >= 400:
            problems.append(f"{url} answered {response and response.status}")
            continue
        visited.append(url)
        problems += axe_violations(page)
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            href = urldefrag(href).url
            local = href[len(base):] or "/"
            if href.startswith(base) and not NOT_A_PAGE.search(urlsplit(local).path):
                queue.append(local)
    return visited, problems


@pytest.fixture
def demo(db, settings):
    """The demo province, with one dossier the grassroots office sent back to its branch:
    the username of one user per role (the secretary and the office are that dossier's)."""
    settings.REQUIRE_2FA = False  # the two-factor pages have their own test below
    call_command("seed_demo", stdout=StringIO())
    sent_up = Candidate.objects.filter(stage=Stage.AT_GRASSROOTS).select_related(
        "organisation__parent").first()
    office = RoleGrant.objects.filter(
        role=Role.GRASSROOTS_OFFICE, organisation=sent_up.organisation.parent).first().user
    services.perform("return_to_branch", candidate=sent_up, actor=office, event_date=today(),
                     data={"return_to": Stage.OPINIONS_COLLECTED,
                           "note": "Thiếu ý kiến của chi ủy nơi cư trú"})
    secretary = RoleGrant.objects.filter(role=Role.BRANCH_SECRETARY).first()
    secretary.organisation = sent_up.organisation
    secretary.save()
    return {Role.BRANCH_SECRETARY: secretary.user.username,
            Role.GRASSROOTS_OFFICE: office.username,
            Role.ORG_DEPARTMENT: "bantochuc", Role.LEADERSHIP: "lanhdao",
            Role.ADMINISTRATOR: "quantri", "returned": sent_up}


def sign_in(page, username):
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("role", [Role.BRANCH_SECRETARY, Role.GRASSROOTS_OFFICE,
                                  Role.ORG_DEPARTMENT, Role.LEADERSHIP, Role.ADMINISTRATOR],
                         ids=lambda role: role.value)
def test_every_page_a_role_reaches_passes_axe(page, live_server, demo, role):
    sign_in(page, demo[role])
    visited, problems = crawl(page, live_server.url)
    assert len(visited) >= 20, visited
    assert problems == [], "\n".join([f"{len(visited)} pages checked:", *problems])


def test_forms_showing_their_errors_and_a_message_pass_axe(page, demo):
    sign_in(page, demo[Role.BRANCH_SECRETARY])
    page.goto("/candidates/new/")
    page.get_by_label("Ngày sinh").fill("31/02/2000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    problems = axe_violations(page)
    page.get_by_label("Họ và tên").fill("Lương Thị Thu Trang")
    page.get_by_label("Ngày sinh").fill("12/09/1996")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Trình độ học vấn (giáo dục phổ thông)").select_option(
        label="Trung học phổ thông")
    page.get_by_label("Ngày vào danh sách dự nguồn").fill("08/01/2026")
    page.get_by_label("Năm dự kiến kết nạp").fill("2027")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đưa Lương Thị Thu Trang")
    problems += axe_violations(page)  # the page showing the message

    page.goto(f"/candidates/{demo['returned'].pk}/branch_vote/")
    for field in page.locator("form:has(button:text-is('Ghi')) input:not([type=hidden])").all():
        field.fill("")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator(".errorlist, .form-errors").first).to_be_visible()
    problems += axe_violations(page)
    assert problems == []


def test_a_phone_shows_each_list_as_cards_and_passes_axe_with_the_menu_open(page, demo):
    from recruitment.models import TrainingClass

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, demo[Role.ORG_DEPARTMENT])
    problems = []
    for url in ("/", "/candidates/", "/members/", "/organisations/DBK/", "/examination/",
                "/numbering/", "/headcounts/", "/headcounts/DBK/", "/import/", "/reports/",
                "/classes/", f"/classes/{TrainingClass.objects.get().pk}/",
                f"/candidates/{demo['returned'].pk}/"):
        page.goto(url)
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            problems.append(f"{url} is wider than the phone")
        page.get_by_text("Trình đơn").click()
        problems += axe_violations(page)
    assert problems == []


def test_the_worklist_fits_a_phone(page, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, demo[Role.ORG_DEPARTMENT])
    page.goto("/worklist/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_login_page_and_the_not_found_page_pass_axe(page, db):
    page.goto("/login/")
    problems = axe_violations(page)
    page.goto("/khong-co-trang-nay/")
    problems += axe_violations(page)
    assert problems == []


def test_the_two_factor_pages_pass_axe(page, users, settings):
    from tests.e2e.test_two_factor import code_for

    settings.REQUIRE_2FA = True
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill("bantochuc")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    problems = axe_violations(page)
    secret = page.get_by_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4})+$")).inner_text()
    page.get_by_label("Mã 6 chữ số trong ứng dụng").fill(code_for(secret))
    page.get_by_role("button", name="Xác nhận và bật xác thực hai bước").click()
    expect(page.get_by_role("list", name="Mã khôi phục")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_role("button", name="Tôi đã lưu các mã, tiếp tục").click()
    page.goto("/2fa/recovery-codes/")
    problems += axe_violations(page)

    page.context.clear_cookies()
    time.sleep(1.1)  # django-otp's wait between two codes
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill("bantochuc")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile("/2fa/verify/"))
    problems += axe_violations(page)
    assert problems == []


def test_the_admin_index_passes_axe(page, log_in, users, settings):
    settings.REQUIRE_2FA = False
    log_in("quantri")
    page.goto("/admin/")
    assert axe_violations(page) == []


def test_the_import_pages_pass_axe_with_errors_a_preview_and_a_result(
        page, log_in, users, tree, settings, tmp_path):
    from tests.e2e.test_import import workbook
    from tests.imports.conftest import candidate_row

    settings.REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in("bithu")
    page.goto("/import/candidates/")
    problems = axe_violations(page)
    upload = page.get_by_label("Tệp dữ liệu (XLSX hoặc CSV UTF-8)")
    upload.set_input_files(workbook(tmp_path / "sai.xlsx", candidate_row(
        **{"Ngày sinh": "31/02/1996"})))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("list", name="Danh sách lỗi")).to_be_visible()
    problems += axe_violations(page)

    page.get_by_role("button", name="Tải tệp đã sửa lên").click()
    upload.set_input_files(workbook(tmp_path / "dung.xlsx", candidate_row()))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("Tệp hợp lệ")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_role("button", name="Xác nhận nhập 1 dòng").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nhập xong 1 dòng")
    problems += axe_violations(page)
    page.goto("/import/")
    problems += axe_violations(page)
    assert problems == []
