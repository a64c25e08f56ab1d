"""A branch secretary enters a person whose dossier exists on paper, from the home page to the
dossier sent up to the grassroots committee, on one page; the clicks and the fields typed are
counted (the same journey step by step took 20 clicks and 41 fields)."""
import pytest
from playwright.sync_api import expect

from recruitment.models import Candidate, Stage
from tests.recruitment.conftest import branch_members  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Counted:
    """The user's actions on the page, counted as the issue counts them."""

    def __init__(self, page):
        self.page, self.clicks, self.fields = page, 0, 0

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, locator, value):
        self.fields += 1
        locator.fill(value)

    def check(self, locator):
        self.fields += 1
        locator.check()

    def enter_person(self, added, plan_year):
        """The person's part of the entry and paper-file pages (eight fields)."""
        page = self.page
        self.fill(page.get_by_label("Họ và tên", exact=True), "Hoàng Thị Quỳnh Anh")
        self.fill(page.get_by_label("Ngày sinh"), "17/05/1995")
        self.choose(page.get_by_label("Giới tính"), "Nữ")
        self.fill(page.get_by_label("Số CCCD"), "001195012345")
        self.choose(page.get_by_label("Trình độ học vấn (giáo dục phổ thông)"),
                    "Trung học phổ thông")
        self.check(page.get_by_label("Là đoàn viên Đoàn Thanh niên"))
        self.fill(page.get_by_label("Ngày vào danh sách dự nguồn"), added)
        self.fill(page.get_by_label("Năm dự kiến kết nạp"), plan_year)

    def choose(self, locator, label):
        """Picks the option whose text starts with `label` (a member's card number follows)."""
        self.fields += 1
        texts = locator.locator("option").all_text_contents()
        locator.select_option(label=next(t for t in texts if t.startswith(label)))


def test_a_paper_file_is_entered_on_one_page_up_to_sending_it_up(
        page, log_in, users, tree, branch_members):  # noqa: F811
    log_in("bithu")
    user = Counted(page)
    user.click(page.get_by_role("main").get_by_role("link", name="Nhập hồ sơ đã có trên giấy"))
    expect(page.get_by_role("heading", name="Nhập hồ sơ đã có trên giấy")).to_be_visible()

    user.enter_person("10/01/2024", "2024")

    def step(n, title):
        return page.get_by_role("group", name=f"Bước {n}: {title}")

    helper = step(1, "Phân công đảng viên giúp đỡ")
    user.fill(helper.get_by_label("Ngày", exact=True), "01/02/2024")
    user.choose(helper.get_by_label("Đảng viên chính thức giúp đỡ"),
                "Đảng viên Chính Thức 0 (")
    certificate = step(2, "Ghi giấy chứng nhận lớp nhận thức về Đảng")
    user.fill(certificate.get_by_label("Ngày cấp giấy chứng nhận"), "15/03/2024")
    user.fill(certificate.get_by_label("Số giấy chứng nhận"), "123/GCN")
    user.fill(step(3, "Ghi đơn xin vào Đảng").get_by_label("Ngày viết đơn"), "01/04/2024")
    verification = step(4, "Ghi yêu cầu thẩm tra lý lịch")
    for n, name in ((1, ""), (2, "Hoàng Văn Cường"), (3, "Nguyễn Thị Hạnh")):
        row = verification.get_by_role("group", name=f"Yêu cầu thẩm tra {n}")
        if name:  # the candidate's own row takes the name from above
            user.fill(row.get_by_label("Họ và tên người được thẩm tra"), name)
        user.fill(row.get_by_label("Gửi tới (cấp ủy, chính quyền nơi cư trú, công tác)"),
                  "Đảng ủy xã Yên Sở")
        user.fill(row.get_by_label("Ngày gửi yêu cầu"), "05/04/2024")
        user.fill(row.get_by_label("Ngày trả lời"), "25/04/2024")
        user.fill(row.get_by_label("Kết luận"), "Lý lịch rõ ràng")
    history = step(5, "Xác nhận lý lịch người xin vào Đảng")
    user.fill(history.get_by_label("Ngày chi ủy, cấp ủy xác nhận lý lịch"), "10/05/2024")
    user.fill(history.get_by_label("Ngày người xin vào Đảng khai lý lịch (2-KNĐ)"), "02/04/2024")
    introductions = step(6, "Ghi giới thiệu người vào Đảng")
    user.fill(introductions.get_by_label("Ngày giới thiệu"), "20/05/2024")
    user.choose(introductions.get_by_label("Đảng viên giới thiệu thứ nhất"),
                "Đảng viên Chính Thức 1 (")
    user.fill(introductions.get_by_label("Người giới thiệu thứ nhất cùng công tác từ ngày"),
              "01/01/2020")
    user.choose(introductions.get_by_label("Tổ chức đoàn thể giới thiệu"),
                "BCH Đoàn cơ sở (4-KNĐ)")
    user.fill(introductions.get_by_label("Số nghị quyết của đoàn thể"), "05/NQ-ĐTN")
    opinions = step(7, "Ghi ý kiến đoàn thể và chi ủy nơi cư trú")
    user.fill(opinions.get_by_label("Ngày chi ủy tổng hợp ý kiến"), "01/06/2024")
    user.fill(opinions.get_by_label("Tóm tắt ý kiến của đoàn thể và chi ủy nơi cư trú"),
              "Đồng ý")
    vote = step(8, "Ghi nghị quyết chi bộ đề nghị kết nạp")
    expect(vote.get_by_label("Tổng số đảng viên chính thức của chi bộ")).to_have_value("5")
    user.fill(vote.get_by_label("Ngày họp"), "10/06/2024")
    user.fill(vote.get_by_label("Số nghị quyết"), "12-NQ/CB")
    user.fill(vote.get_by_label("Số đảng viên chính thức có mặt"), "5")
    user.fill(vote.get_by_label("Số tán thành"), "5")
    user.fill(step(9, "Gửi hồ sơ lên đảng ủy cơ sở").get_by_label("Ngày", exact=True),
              "11/06/2024")
    user.click(page.get_by_role("button", name="Lưu hồ sơ"))

    expect(page.get_by_role("status").filter(has_text="Đã ghi 11 bước của hồ sơ giấy")) \
        .to_be_visible()
    expect(page.get_by_role("heading", name="Hoàng Thị Quỳnh Anh")).to_be_visible()
    candidate = Candidate.objects.get(citizen_id="001195012345")
    assert candidate.stage == Stage.AT_GRASSROOTS
    page.screenshot(path="test-artifacts/paper_file_saved.png", full_page=False)
    print(f"journey: {user.clicks} clicks, {user.fields} fields")  # noqa: T201
    # The goal: half of the step-by-step journey's 20 clicks and 41 fields.
    assert user.clicks <= 10
    assert user.fields <= 41


def test_a_refused_step_shows_its_reason_on_that_step_and_keeps_the_typing(
        page, log_in, users, tree, branch_members):  # noqa: F811
    log_in("bithu")
    page.goto("/candidates/new/paper-file/")
    page.get_by_label("Họ và tên", exact=True).fill("Lò Văn Páo")
    page.get_by_label("Ngày sinh").fill("03/02/1990")
    page.get_by_label("Giới tính").select_option(label="Nam")
    page.get_by_label("Trình độ học vấn (giáo dục phổ thông)").select_option(
        label="Trung học phổ thông")
    page.get_by_label("Ngày vào danh sách dự nguồn").fill("10/01/2024")
    page.get_by_label("Năm dự kiến kết nạp").fill("2024")
    helper = page.get_by_role("group", name="Bước 1: Phân công đảng viên giúp đỡ")
    helper.get_by_label("Ngày", exact=True).fill("01/02/2024")
    Counted(page).choose(helper.get_by_label("Đảng viên chính thức giúp đỡ"), "Đảng viên Dự Bị")
    page.get_by_role("group", name="Bước 3: Ghi đơn xin vào Đảng").get_by_label(
        "Ngày viết đơn").fill("01/04/2024")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    certificate = page.get_by_role("group", name="Bước 2: Ghi giấy chứng nhận lớp nhận thức "
                                                 "về Đảng")
    expect(certificate.get_by_role("alert")).to_contain_text("cần ghi cả bước này")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Lò Văn Páo")
    # Only the gap is named at the top; the sections left empty after it are not wrong.
    expect(page.get_by_role("alert").filter(has_text="cần sửa ở").get_by_role("link")) \
        .to_have_text(["Bước 2: Ghi giấy chứng nhận lớp nhận thức về Đảng"])
    page.screenshot(path="test-artifacts/paper_file_gap.png", full_page=True)
    assert not Candidate.objects.exists()


def test_step_by_step_the_forms_offer_what_the_dossier_knows(
        page, log_in, users, tree, branch_members):  # noqa: F811
    """The same journey taken step by step on today's dates: the clicks and fields are counted
    for the note; the fields the app offers (today's date, the register's count, the helper
    as introducer, the next relative and the candidate's own name) are not typed."""
    log_in("bithu")
    user = Counted(page)
    user.click(page.get_by_role("main").get_by_role("link", name="Thêm quần chúng ưu tú"))
    user.enter_person(page.evaluate("new Date().toLocaleDateString('en-GB')"), "2027")
    user.click(page.get_by_role("button", name="Lưu"))

    def step(label, *fields):
        user.click(page.get_by_role("button", name=label, exact=True))
        for kind, field, value in fields:
            getattr(user, kind)(page.get_by_label(field, exact=True), value)
        user.click(page.get_by_role("button", name="Ghi"))
        expect(page.get_by_role("status").filter(has_text="Đã ghi")).to_be_visible()

    step("Phân công đảng viên giúp đỡ",
         ("choose", "Đảng viên chính thức giúp đỡ", "Đảng viên Chính Thức 0 ("))
    step("Ghi giấy chứng nhận lớp nhận thức về Đảng", ("fill", "Số giấy chứng nhận", "123/GCN"))
    step("Ghi đơn xin vào Đảng")
    for name in ("", "Hoàng Văn Cường", "Nguyễn Thị Hạnh"):
        fields = [("fill", "Gửi tới (cấp ủy, chính quyền nơi cư trú, công tác)", "Đảng ủy xã"),
                  ("fill", "Ngày trả lời (nếu đã có)",
                   page.evaluate("new Date().toLocaleDateString('en-GB')")),
                  ("fill", "Kết luận (nếu đã có)", "Lý lịch rõ ràng")]
        if name:
            fields.insert(0, ("fill", "Họ và tên người được thẩm tra", name))
        step("Ghi yêu cầu thẩm tra lý lịch", *fields)
    step("Xác nhận lý lịch người xin vào Đảng")
    step("Ghi giới thiệu người vào Đảng",
         ("fill", "Người giới thiệu thứ nhất cùng công tác từ ngày", "01/01/2020"),
         ("choose", "Tổ chức đoàn thể giới thiệu", "BCH Đoàn cơ sở (4-KNĐ)"),
         ("fill", "Số nghị quyết của đoàn thể", "05/NQ-ĐTN"))
    step("Ghi ý kiến đoàn thể và chi ủy nơi cư trú",
         ("fill", "Tóm tắt ý kiến của đoàn thể và chi ủy nơi cư trú", "Đồng ý"))
    step("Ghi nghị quyết chi bộ đề nghị kết nạp",
         ("fill", "Số đảng viên chính thức có mặt", "5"), ("fill", "Số tán thành", "5"))
    step("Gửi hồ sơ lên đảng ủy cơ sở")
    assert Candidate.objects.get(citizen_id="001195012345").stage == Stage.AT_GRASSROOTS
    print(f"step by step: {user.clicks} clicks, {user.fields} fields")  # noqa: T201
    assert user.clicks <= 20 + 4  # the count, with the two extra verification requests
    assert user.fields < 41
