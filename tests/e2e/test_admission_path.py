"""One candidate from the source pool to official member, in the browser, across the three
roles that act on it: branch secretary, grassroots committee office, organisation department."""
import re

import pytest
from playwright.sync_api import expect

from members.models import MemberStatus
from recruitment.models import Candidate, Stage
from tests.recruitment.conftest import branch_members  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def member_label(member):
    return f"{member.full_name} ({member.organisation.name} · {member.card_number}, chính thức)"


def step(page, candidate_url, button, fields, expect_stage=None):
    page.goto(candidate_url)
    page.get_by_role("button", name=button, exact=True).click()
    for label, value in fields.items():
        control = page.get_by_label(label, exact=True)
        if isinstance(value, tuple):  # a <select>: (kind, value)
            control.select_option(**{value[0]: value[1]})
        elif isinstance(value, bool):
            control.set_checked(value)
        else:
            control.fill(value)
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi")
    if expect_stage:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("hgroup")).to_contain_text(expect_stage)


def switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(username)


def test_one_candidate_from_source_pool_to_official_member_across_three_roles(
    page, log_in, users, tree, branch_members  # noqa: F811
):
    o = branch_members.officials
    log_in("bithu")
    page.get_by_role("link", name="Thêm quần chúng ưu tú").first.click()
    page.get_by_label("Họ và tên").fill("Lương Thị Thu Trang")
    page.get_by_label("Ngày sinh").fill("12/09/1996")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Trình độ học vấn").select_option(label="Trung học phổ thông")
    page.get_by_label("Là đoàn viên").check()
    page.get_by_label("Nguồn giới thiệu").select_option(label="Đoàn Thanh niên")
    page.get_by_label("Ngày vào danh sách dự nguồn").fill("08/01/2024")
    page.get_by_label("Năm dự kiến kết nạp").fill("2024")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đưa Lương Thị Thu Trang")
    candidate = Candidate.objects.get(full_name="Lương Thị Thu Trang")
    url = f"/candidates/{candidate.pk}/"

    step(page, url, "Phân công đảng viên giúp đỡ", {
        "Ngày": "01/02/2024",
        "Đảng viên chính thức giúp đỡ": ("label", member_label(o[0]))})
    step(page, url, "Ghi giấy chứng nhận lớp nhận thức về Đảng", {
        "Ngày cấp giấy chứng nhận": "15/03/2024", "Số giấy chứng nhận": "1024/GCN"})
    step(page, url, "Ghi đơn xin vào Đảng", {"Ngày viết đơn": "01/04/2024"})
    step(page, url, "Ghi yêu cầu thẩm tra lý lịch", {
        "Ngày gửi yêu cầu thẩm tra": "05/04/2024",
        "Người được thẩm tra là": ("label", "Bản thân"),
        "Họ và tên người được thẩm tra": "Lương Thị Thu Trang",
        "Gửi tới (cấp ủy, chính quyền nơi cư trú, công tác)": "Đảng ủy phường Hàng Bông",
        "Ngày trả lời (nếu đã có)": "02/05/2024",
        "Kết luận (nếu đã có)": "Lịch sử chính trị rõ ràng"})
    for relation, name in (("Cha", "Lương Văn Thành"), ("Mẹ", "Trần Thị Hoa")):
        step(page, url, "Ghi yêu cầu thẩm tra lý lịch", {
            "Ngày gửi yêu cầu thẩm tra": "05/04/2024",
            "Người được thẩm tra là": ("label", relation),
            "Họ và tên người được thẩm tra": name,
            "Gửi tới (cấp ủy, chính quyền nơi cư trú, công tác)": "Đảng ủy xã Đông Anh",
            "Ngày trả lời (nếu đã có)": "03/05/2024",
            "Kết luận (nếu đã có)": "Chấp hành tốt chủ trương, chính sách"})
    step(page, url, "Xác nhận lý lịch người xin vào Đảng", {
        "Ngày chi ủy, cấp ủy xác nhận lý lịch": "10/05/2024",
        "Ngày người xin vào Đảng khai lý lịch (2-KNĐ)": "02/04/2024"})
    step(page, url, "Ghi giới thiệu người vào Đảng", {
        "Ngày giới thiệu": "20/05/2024",
        "Đảng viên giới thiệu thứ nhất": ("label", member_label(o[1])),
        "Người giới thiệu thứ nhất cùng công tác từ ngày": "01/01/2020",
        "Tổ chức đoàn thể giới thiệu": ("label", "BCH Đoàn cơ sở (4-KNĐ)"),
        "Số nghị quyết của đoàn thể": "05/NQ-ĐTN",
        "Ngày nghị quyết của đoàn thể": "18/05/2024"})
    step(page, url, "Ghi ý kiến đoàn thể và chi ủy nơi cư trú", {
        "Ngày chi ủy tổng hợp ý kiến": "01/06/2024",
        "Tóm tắt ý kiến của đoàn thể và chi ủy nơi cư trú": "Các đoàn thể đều đồng ý"})

    # A vote short of 2/3 of all official members is refused with the rule and its source.
    page.goto(url)
    page.get_by_role("button", name="Ghi nghị quyết chi bộ đề nghị kết nạp").click()
    expect(page.get_by_label("Tổng số đảng viên chính thức của chi bộ")).to_have_value("5")
    page.get_by_label("Ngày họp").fill("10/06/2024")
    page.get_by_label("Số đảng viên chính thức có mặt").fill("4")
    page.get_by_label("Số tán thành").fill("3")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("BRANCH_VOTE")
    expect(page.get_by_role("alert")).to_contain_text("Điều lệ Đảng, Điều 4")
    page.get_by_label("Số tán thành").fill("4")
    page.get_by_label("Số nghị quyết").fill("12-NQ/CB")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi")
    step(page, url, "Gửi hồ sơ lên đảng ủy cơ sở", {"Ngày": "11/06/2024"},
         "Chờ đảng ủy cơ sở xét")

    switch_user(page, log_in, "vanphong")
    step(page, url, "Ghi nghị quyết đảng ủy cơ sở, gửi cấp trên", {
        "Ngày họp": "20/06/2024", "Tổng số ủy viên của đảng ủy": "9",
        "Số ủy viên có mặt": "8", "Số tán thành": "8", "Số nghị quyết": "45-NQ/ĐU"},
        "Chờ cấp trên thẩm định")

    switch_user(page, log_in, "bantochuc")
    page.get_by_role("link", name="Thẩm định", exact=True).click()
    queue = page.get_by_role("table")
    expect(queue).to_contain_text("Lương Thị Thu Trang")
    queue.get_by_role("link", name="Lương Thị Thu Trang").click()
    expect(page.get_by_text("AGE_MIN")).to_be_visible()  # the rule checks are shown
    step(page, url, "Quyết định kết nạp", {
        "Ngày quyết định": "15/07/2024", "Số quyết định": "123-QĐ/ĐU"},
        "Đã có quyết định kết nạp")

    switch_user(page, log_in, "bithu")
    step(page, url, "Ghi lễ kết nạp", {
        "Ngày tổ chức lễ kết nạp": "01/08/2024",
        "Đảng viên chính thức giúp đỡ trong thời gian dự bị": ("label", member_label(o[0]))},
        "Đảng viên dự bị")
    step(page, url, "Ghi văn bản trong thời gian dự bị", {
        "Ngày": "15/07/2025", "Văn bản": ("value", "10-KNĐ")})
    step(page, url, "Ghi giấy chứng nhận lớp đảng viên mới", {
        "Ngày cấp giấy chứng nhận": "10/01/2025", "Số giấy chứng nhận": "88/GCN-ĐVM"})
    step(page, url, "Ghi nghị quyết chi bộ đề nghị công nhận chính thức", {
        "Ngày họp": "05/08/2025", "Số đảng viên chính thức có mặt": "5", "Số tán thành": "5"},
        "Chi bộ đã xét công nhận chính thức")

    switch_user(page, log_in, "vanphong")
    step(page, url, "Ghi nghị quyết đảng ủy cơ sở về công nhận chính thức", {
        "Ngày họp": "15/08/2025", "Tổng số ủy viên của đảng ủy": "9",
        "Số ủy viên có mặt": "9", "Số tán thành": "9"})

    switch_user(page, log_in, "bantochuc")
    step(page, url, "Quyết định công nhận đảng viên chính thức", {
        "Ngày quyết định": "01/09/2025", "Số quyết định": "210-QĐ/ĐU"},
        "Đảng viên chính thức")

    candidate.refresh_from_db()
    assert candidate.stage == Stage.OFFICIAL
    assert candidate.member.status == MemberStatus.OFFICIAL
    assert candidate.member.official_date.isoformat() == "2025-08-01"
    page.goto(url)
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(20)
    expect(page.locator("ol.timeline")).to_contain_text(re.compile("01/08/2024"))
