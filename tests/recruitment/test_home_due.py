"""The home page opens on what needs the user now: dossiers waiting for them whose deadline
falls within the next 10 working days (Tết and weekends skipped) or has passed, the overdue
ones first and said in words; and the count beside "Việc cần làm" on every page."""
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import registry
from members.models import Role, fold
from recruitment import rules, selectors, services
from recruitment.calendar import WorkingCalendar
from recruitment.models import Candidate, Holiday, Stage
from tests.factories import UserFactory, grant

from .conftest import make_candidate

# Thursday before Tết Bính Ngọ: Monday 16 to Friday 20/02/2026 are holidays (migration 0002).
TODAY = date(2026, 2, 12)


@pytest.fixture(autouse=True)
def on_today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: TODAY)


@pytest.fixture(autouse=True)
def panels(monkeypatch):
    """The panels and the count as RecruitmentConfig registers them."""
    monkeypatch.setitem(registry.home_panels._entries, "returned",
                        "recruitment.views.pipeline.returned_panel")
    monkeypatch.setitem(registry.home_panels._entries, "due",
                        "recruitment.views.notices.due_panel")
    monkeypatch.setitem(registry.nav_counts._entries, "recruitment:worklist",
                        "recruitment.views.notices.needs_count")


def dossier(users, branch, name, stage=Stage.ADMISSION_DECIDED, **fields):
    """A candidate standing at `stage` with the given dates (the steps that lead there are
    tested elsewhere), entered by a secretary of its branch."""
    secretary = users.secretary
    if branch.code != "B1":
        secretary = UserFactory(username=f"bithu-{branch.code}-{fold(name)[:10]}")
        grant(secretary, Role.BRANCH_SECRETARY, branch)
    c = make_candidate(SimpleNamespace(secretary=secretary), branch, full_name=name,
                       citizen_id=None)
    Candidate.objects.filter(pk=c.pk).update(stage=stage, **fields)
    return c


def rows(page: str) -> list[str]:
    """The due panel's rows, as text without tags."""
    panel = page.split('id="due-panel-title"', 1)[1].split("</section>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip()
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", panel, re.S)[1:]]


def test_the_window_is_ten_working_days_skipping_tet_and_the_weekends(as_user, users, tree):
    assert Holiday.objects.filter(date=date(2026, 2, 17)).exists()
    dossier(users, tree.b1, "Người Trong Hạn", due_date=date(2026, 3, 5))  # 10th working day
    dossier(users, tree.b1, "Người Ngoài Hạn", due_date=date(2026, 3, 6))  # 11th
    dossier(users, tree.b1, "Người Quá Hạn", due_date=date(2026, 2, 10))

    page = as_user(users.secretary).get("/").content.decode()

    assert "Hồ sơ đến hạn trong 10 ngày làm việc tới hoặc đã quá hạn" in page
    shown = rows(page)
    assert [r.split(" Chi bộ")[0] for r in shown] == ["Người Quá Hạn", "Người Trong Hạn"]
    assert "quá hạn 2 ngày làm việc" in shown[0]
    assert "còn 10 ngày làm việc" in shown[1] and "05/03/2026" in shown[1]
    assert "Người Ngoài Hạn" not in page


def test_the_overdue_row_is_marked_in_words_and_by_class_and_links_to_the_dossier(
        as_user, users, tree):
    late = dossier(users, tree.b1, "Người Quá Hạn", due_date=date(2026, 1, 30))
    page = as_user(users.secretary).get("/").content.decode()
    row = re.search(r'<tr class="overdue">(.*?)</tr>', page, re.S).group(1)
    assert reverse("recruitment:candidate_detail", args=[late.pk]) in row
    assert "quá hạn 9 ngày làm việc" in row  # 2-6 and 9-12 February
    assert "1 hồ sơ quá hạn, xếp lên đầu." in page
    assert reverse("recruitment:worklist") + "#ws-due" in page


def test_a_probationary_member_shows_when_the_probation_ends_within_the_window(
        as_user, users, tree):
    dossier(users, tree.b1, "Đảng Viên Dự Bị", stage=Stage.PROBATIONARY,
            probation_end=date(2026, 3, 2), due_date=date(2026, 3, 30))
    shown = rows(as_user(users.secretary).get("/").content.decode())
    assert len(shown) == 1
    assert "hết dự bị 02/03/2026" in shown[0] and "30/03/2026" in shown[0]


def test_only_dossiers_that_wait_for_the_user_are_shown(as_user, users, tree):
    dossier(users, tree.b3, "Người Chi Bộ Ba", due_date=date(2026, 2, 13))
    dossier(users, tree.b1, "Người Chờ Đảng Ủy", stage=Stage.AT_GRASSROOTS,
            due_date=date(2026, 2, 13))

    secretary = as_user(users.secretary).get("/").content.decode()
    assert "Người Chi Bộ Ba" not in secretary and "Người Chờ Đảng Ủy" not in secretary
    assert "Không có hồ sơ nào chờ bạn đến hạn từ nay đến 05/03/2026" in secretary

    office = rows(as_user(users.office).get("/").content.decode())
    assert [r.split(" Chi bộ")[0] for r in office] == ["Người Chờ Đảng Ủy"]


def test_the_leadership_holds_no_stage_and_gets_no_due_panel(as_user, users, tree):
    dossier(users, tree.b1, "Người Quá Hạn", due_date=date(2026, 2, 10))
    response = as_user(users.leader).get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hồ sơ đến hạn trong" not in page
    # Its dashboard lists the overdue dossiers of its scope instead.
    assert "Hồ sơ quá hạn" in page and "Người Quá Hạn" in page
    assert "Việc đến hạn, quá hạn (" not in page and "Việc cần làm (" not in page


def test_the_navigation_counts_returned_due_and_overdue_dossiers_once_each(
        as_user, users, tree, walk, branch_members):
    dossier(users, tree.b1, "Người Trong Hạn", due_date=date(2026, 3, 5))
    dossier(users, tree.b1, "Người Quá Hạn", due_date=date(2026, 2, 10))
    dossier(users, tree.b1, "Người Ngoài Hạn", due_date=date(2026, 3, 6))
    dossier(users, tree.b3, "Người Chi Bộ Ba", due_date=date(2026, 2, 10))
    sent_back = make_candidate(users, tree.b1, full_name="Người Bị Trả Lại", citizen_id=None)
    walk(sent_back, until="grassroots_resolution")
    services.perform("return_to_branch", candidate=sent_back, actor=users.office,
                     event_date=date(2024, 6, 15), data={
                         "return_to": Stage.OPINIONS_COLLECTED, "note": "Thiếu biên bản"})
    # Returned and overdue too: one thing to do, counted once.
    Candidate.objects.filter(pk=sent_back.pk).update(due_date=date(2026, 2, 10))

    page = as_user(users.secretary).get(reverse("recruitment:class_list")).content.decode()
    assert 'aria-label="Việc cần làm: 3 việc đến hạn hoặc quá hạn">Việc cần làm (3)</a>' in page


def test_nothing_due_shows_the_link_without_a_number(as_user, users, tree):
    page = as_user(users.secretary).get(reverse("recruitment:class_list")).content.decode()
    assert re.search(r">Việc cần làm</a>", page)
    assert "việc đến hạn hoặc quá hạn" not in page


def test_the_count_is_one_query(users, tree, django_assert_num_queries):
    dossier(users, tree.b1, "Người Quá Hạn", due_date=date(2026, 2, 10))
    horizon = selectors.horizon_expression(TODAY)
    with django_assert_num_queries(1):
        assert selectors.needs_count(users.secretary, horizon) == 1
    selectors.holder_q(users.leader)  # its grants, read once per request anyway
    with django_assert_num_queries(0):
        assert selectors.needs_count(users.leader, horizon) == 0


@pytest.mark.parametrize("today", [date(2026, 2, 12), date(2026, 2, 13), date(2026, 2, 14),
                                   date(2026, 2, 16), date(2026, 4, 24), date(2026, 8, 28),
                                   date(2026, 12, 24)])
def test_the_windows_end_in_sql_is_the_calendars(tree, today):
    """The count's window is computed in its query: the same day as WorkingCalendar's."""
    horizon = selectors.due_horizon(today, WorkingCalendar.load())
    day = Candidate.objects.annotate(h=selectors.horizon_expression(today)).values_list(
        "h", flat=True)
    c = Candidate.objects.create(full_name="X", birth_date=date(2000, 1, 1), sex="female",
                                 education="upper_secondary", organisation=tree.b1,
                                 added_date=today, stage_date=today, plan_year=2026)
    assert list(day.filter(pk=c.pk)) == [horizon]


def test_a_holiday_added_moves_the_window_at_once(users, tree):
    dossier(users, tree.b1, "Người Ngày Cuối", due_date=date(2026, 3, 6))
    assert selectors.needs_count(users.secretary, selectors.horizon_expression(TODAY)) == 0
    Holiday.objects.create(date=date(2026, 3, 2), name="Ngày nghỉ thử")
    assert selectors.needs_count(users.secretary, selectors.horizon_expression(TODAY)) == 1


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_home_page_and_the_count_run_the_same_queries_whatever_the_number_of_dossiers(
        as_user, users, tree):
    client = as_user(users.secretary)
    dossier(users, tree.b1, "Người Một", due_date=date(2026, 2, 10))
    home, other = _queries(client, "/"), _queries(client, reverse("recruitment:class_list"))
    for i in range(8):
        dossier(users, tree.b1, f"Người Thêm {i}", due_date=date(2026, 2, 9 + i % 5))
    assert _queries(client, "/") == home
    assert _queries(client, reverse("recruitment:class_list")) == other
    assert home <= 12


def test_the_worklist_lists_the_same_due_dossiers_in_full(as_user, users, tree):
    dossier(users, tree.b1, "Người Trong Hạn", due_date=date(2026, 3, 5))
    dossier(users, tree.b1, "Người Quá Hạn", due_date=date(2026, 2, 10))
    response = as_user(users.secretary).get(reverse("recruitment:worklist"))
    section = next(s for s in response.context["sections"] if s["key"] == "due")
    assert section["title"] == ("Hồ sơ chờ bạn đến hạn trong 10 ngày làm việc tới hoặc đã "
                                "quá hạn")
    assert [(c.full_name, left) for c, left in section["rows"]] == [
        ("Người Quá Hạn", -2), ("Người Trong Hạn", 10)]
    assert 'id="ws-due"' in response.content.decode()


def test_a_count_above_99_shows_as_99_plus(as_user, users, tree, monkeypatch):
    monkeypatch.setattr(selectors, "needs_count", lambda user, horizon: 100)
    page = as_user(users.secretary).get(reverse("recruitment:class_list")).content.decode()
    assert 'aria-label="Việc cần làm: hơn 99 việc đến hạn hoặc quá hạn">Việc cần làm (99+)</a>' \
        in page
