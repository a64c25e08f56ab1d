"""A department officer opens a class, enrols the nominated candidates and records the whole
class's results in one grid, in the browser."""
from datetime import date

import pytest
from playwright.sync_api import expect

from recruitment import services
from recruitment.models import ClassKind, Result, Stage, TrainingClass
from tests.recruitment.conftest import branch_members, make_candidate  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_whole_class_is_enrolled_and_its_results_recorded_in_one_grid(
    page, log_in, users, tree, branch_members  # noqa: F811
):
    people = []
    for n, name in enumerate(["Lê Văn Một", "Trần Thị Hai", "Phạm Văn Ba"]):
        c = make_candidate(users, tree.b1, full_name=name, citizen_id=None)
        services.perform("assign_helper", candidate=c, actor=users.secretary,
                         event_date=date(2024, 2, 1), data={"helper": branch_members.officials[n]})
        services.nominate(actor=users.secretary, kind=ClassKind.AWARENESS, candidate=c)
        people.append(c)

    log_in("bantochuc")
    page.get_by_role("link", name="Lớp bồi dưỡng", exact=True).click()
    page.get_by_role("button", name="Mở lớp mới").click()
    page.get_by_label("Loại lớp").select_option(label="Bồi dưỡng nhận thức về Đảng")
    page.get_by_label("Khóa (lớp) số").fill("12")
    page.get_by_label("Năm").fill("2024")
    page.get_by_label("Số quyết định mở lớp").fill("345-QĐ/ĐUK")
    page.get_by_label("Ngày quyết định mở lớp").fill("20/02/2024")
    page.get_by_label("Ngày khai giảng").fill("04/03/2024")
    page.get_by_label("Ngày bế giảng").fill("08/03/2024")
    page.get_by_label("Địa điểm").fill("Trung tâm Chính trị tỉnh")
    page.get_by_role("button", name="Mở lớp").click()
    expect(page.get_by_role("status")).to_contain_text("Đã mở")

    page.get_by_role("button", name="Thêm học viên").click()
    for name in ["Lê Văn Một", "Trần Thị Hai", "Phạm Văn Ba"]:  # nominated: ticked already
        expect(page.get_by_role("checkbox", name=name).first).to_be_checked()
    page.get_by_role("button", name="Thêm những người đã chọn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm 3 học viên")

    page.get_by_role("button", name="Ghi kết quả cả lớp").click()
    page.get_by_label("Kết quả Lê Văn Một").select_option(label="Hoàn thành")
    page.get_by_label("Số giấy chứng nhận Lê Văn Một").fill("GCN-101")
    page.get_by_label("Ngày cấp Lê Văn Một").fill("08/03/2024")
    page.get_by_label("Kết quả Trần Thị Hai").select_option(label="Hoàn thành")
    page.get_by_label("Số giấy chứng nhận Trần Thị Hai").fill("GCN-101")  # duplicate number
    page.get_by_label("Ngày cấp Trần Thị Hai").fill("08/03/2024")
    page.get_by_label("Kết quả Phạm Văn Ba").select_option(label="Vắng")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_role("alert")).to_contain_text("trùng")
    page.get_by_label("Số giấy chứng nhận Trần Thị Hai").fill("GCN-102")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi kết quả của 3 học viên")
    expect(page.get_by_text("2 hoàn thành, 0 không đạt, 1 vắng")).to_be_visible()

    klass = TrainingClass.objects.get()
    assert klass.enrolments.filter(result=Result.PASSED).count() == 2
    for c in people:
        c.refresh_from_db()
    assert [c.stage for c in people] == [Stage.SYMPATHISER, Stage.SYMPATHISER,
                                         Stage.HELPER_ASSIGNED]

    # The branch secretary sees the outcome of the nominations.
    page.context.clear_cookies()
    log_in("bithu")
    page.get_by_role("link", name="Cử đi học").click()
    expect(page.get_by_role("table")).to_contain_text("Hoàn thành")
    expect(page.get_by_role("table")).to_contain_text("Vắng")
