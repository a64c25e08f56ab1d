"""A branch secretary signs in and the home page opens on what needs them: the dossier the
grassroots committee sent back, the ceremony due in 3 working days and, first, one overdue;
the navigation counts them. Looked at on a wide screen and on a phone."""
from datetime import date

import pytest
from playwright.sync_api import expect

from recruitment import rules
from recruitment.calendar import WorkingCalendar
from recruitment.models import Candidate, Stage, StageEvent

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def person(tree, name, stage, **fields):
    return Candidate.objects.create(
        full_name=name, birth_date=date(2000, 8, 13), sex="female",
        education="upper_secondary", organisation=tree.b1, added_date=date(2026, 1, 5),
        stage=stage, stage_date=date(2026, 6, 1), plan_year=2027, **fields)


@pytest.fixture
def secretary_day(tree, users):
    sent_back = person(tree, "Nguyễn Khánh Linh", Stage.OPINIONS_COLLECTED)
    event = StageEvent.objects.create(
        candidate=sent_back, action="return_to_branch", from_stage=Stage.AT_GRASSROOTS,
        to_stage=Stage.OPINIONS_COLLECTED, event_date=date(2026, 6, 15), actor=users.office,
        note="Biên bản họp chi bộ chưa ghi số đảng viên có mặt",
        payload={"return_to": Stage.OPINIONS_COLLECTED})
    Candidate.objects.filter(pk=sent_back.pk).update(returned_by=event)
    calendar = WorkingCalendar.load()
    due = calendar.add_working_days(rules.today(), 3)
    person(tree, "Phạm Gia Huy", Stage.ADMISSION_DECIDED, decision_date=date(2026, 6, 20),
           due_date=due)
    person(tree, "Đỗ Minh Quân", Stage.ADMISSION_DECIDED, decision_date=date(2026, 6, 10),
           due_date=calendar.add_working_days(rules.today(), -2))
    return due


@pytest.mark.parametrize("width", [1280, 390])
def test_the_secretary_sees_the_returned_dossier_and_the_deadline_on_the_home_page(
        page, log_in, users, secretary_day, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("bithu")

    returned = page.get_by_role("region", name="Hồ sơ bị trả lại, chờ bạn xử lý")
    expect(returned.get_by_role("link", name="Nguyễn Khánh Linh")).to_be_visible()
    expect(returned).to_contain_text("Biên bản họp chi bộ chưa ghi số đảng viên có mặt")

    due = page.get_by_role("region", name="Hồ sơ đến hạn trong 10 ngày làm việc tới")
    expect(due.get_by_role("link", name="Phạm Gia Huy")).to_be_visible()
    expect(due).to_contain_text("còn 3 ngày làm việc")
    expect(due).to_contain_text(secretary_day.strftime("%d/%m/%Y"))
    rows = due.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Đỗ Minh Quân")  # overdue first, said in words
    expect(rows.nth(1)).to_contain_text("quá hạn 2 ngày làm việc")
    expect(rows.nth(1)).to_have_class("overdue")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home_due_{width}.png"), full_page=True)

    if width == 390:  # the menu folds: open it to reach the count
        page.get_by_text("Trình đơn").click()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    worklist = nav.get_by_role("link", name="Việc cần làm: 3 việc đến hạn hoặc quá hạn")
    expect(worklist).to_be_visible()
    expect(worklist).to_have_text("Việc cần làm (3)")
    due.get_by_role("link", name="Phạm Gia Huy").click()
    expect(page.get_by_role("heading", name="Phạm Gia Huy")).to_be_visible()


def test_the_office_opens_only_what_the_branches_sent_up(page, log_in, users, tree):
    person(tree, "Trần Thu Hà", Stage.AT_GRASSROOTS, due_date=date(2026, 7, 1))
    person(tree, "Lê Văn Chính", Stage.OFFICIAL)
    log_in("vanphong")
    page.get_by_role("link", name="Hồ sơ các chi bộ gửi lên").click()
    expect(page.get_by_role("link", name="Trần Thu Hà")).to_be_visible()
    expect(page.get_by_role("link", name="Lê Văn Chính")).to_have_count(0)
    expect(page.get_by_label("Chỉ hồ sơ chờ tôi xử lý")).to_be_checked()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "office_sent_up_1280.png"), full_page=True)

    page.get_by_label("Chỉ hồ sơ chờ tôi xử lý").uncheck()
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page.get_by_role("link", name="Lê Văn Chính")).to_be_visible()
