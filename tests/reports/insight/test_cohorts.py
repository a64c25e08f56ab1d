"""The funnel by cohort against known answers: a 2024 cohort followed through 2024, 2025 and
2026, each dossier's steps written directly as rows (like test_sql.py) so every date sits
where a figure's boundary is; returns, undone steps, a transfer and a jump over stages; the
conversion by source; every number of the page a link to a list of exactly that many
dossiers; a fixed number of queries; who may see it."""
import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Role
from recruitment.calendar import WorkingCalendar
from recruitment.models import Candidate, StageEvent
from reports import periods
from reports.insight import cohorts
from reports.insight import common as insight_common
from reports.insight.common import Scope, units_of
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

H, SY, AP, BV, AD, PR, OF = ("helper_assigned", "sympathiser", "applied", "branch_voted",
                             "admission_decided", "probationary", "official")
# The main line after the application, as (action, stage reached).
TO_VOTE = [("certify_history", "history_verified"), ("record_introductions", "introduced"),
           ("record_opinions", "opinions_collected"), ("branch_vote", BV)]


def wd(a, b):
    return WorkingCalendar.load().working_days_between(a, b)


def make(org, name, added, source, steps, *, stage=None):
    """A dossier added to the pool at `org` on `added`, then `steps`: (action, to_stage, day)
    or (action, to_stage, day, organisation). Returns the candidate and its events."""
    c = Candidate.objects.create(
        full_name=name, birth_date=date(1998, 1, 1), sex="male", education="upper_secondary",
        organisation=org, added_date=added, plan_year=added.year + 1, source=source,
        stage=stage or (steps[-1][1] if steps else "source_pool"),
        stage_date=steps[-1][2] if steps else added)
    events = [StageEvent.objects.create(candidate=c, action="add_to_pool",
                                        from_stage="source_pool", to_stage="source_pool",
                                        event_date=added, organisation=org)]
    current = "source_pool"
    for step in steps:
        action, to, day = step[:3]
        events.append(StageEvent.objects.create(
            candidate=c, action=action, from_stage=current, to_stage=to, event_date=day,
            organisation=step[3] if len(step) > 3 else org))
        current = to
    return c, events


def undo(c, event, day):
    last = c.events.order_by("-recorded_at", "-pk").first()
    return StageEvent.objects.create(candidate=c, action="undo_step", from_stage=last.to_stage,
                                     to_stage=event.from_stage, event_date=day,
                                     payload={"undoes": event.pk}, organisation=c.organisation)


@pytest.fixture
def cohort(tree):
    """The 2024 cohort of the province (A–E), one 2023 and one 2025 dossier."""
    a, _e = make(tree.b1, "Nguyễn Văn An", date(2024, 4, 26), "youth_union", [
        ("assign_helper", H, date(2024, 5, 2)),
        ("record_awareness_certificate", SY, date(2024, 5, 13)),
        ("record_application", AP, date(2025, 3, 3)),
        *[(action, to, date(2025, 4, 1 + i)) for i, (action, to) in enumerate(TO_VOTE[:3])],
        ("branch_vote", BV, date(2025, 5, 5)),
        ("send_up", "at_grassroots", date(2025, 5, 12)),
        ("grassroots_resolution", "at_upper", date(2025, 6, 2)),
        ("approve_admission", AD, date(2025, 7, 1)),
        ("hold_ceremony", PR, date(2025, 8, 1)),
        ("recognition_vote", "recognition_branch_voted", date(2026, 7, 20)),
        ("recognition_resolution", "recognition_at_upper", date(2026, 7, 27)),
        ("approve_recognition", OF, date(2026, 8, 3)),
    ])
    # Voted, sent up, returned to the branch, voted again: each milestone once, first day.
    b, _e = make(tree.b2, "Trần Thị Bình", date(2024, 5, 6), "youth_union", [
        ("assign_helper", H, date(2024, 5, 10)),
        ("record_awareness_certificate", SY, date(2024, 5, 20)),
        ("record_application", AP, date(2025, 2, 3)),
        *[(action, to, date(2025, 3, 3 + i)) for i, (action, to) in enumerate(TO_VOTE[:3])],
        ("branch_vote", BV, date(2025, 4, 1)),
        ("send_up", "at_grassroots", date(2025, 4, 10)),
        ("return_to_branch", "opinions_collected", date(2025, 5, 5)),
        ("branch_vote", BV, date(2025, 6, 2)),
        ("send_up", "at_grassroots", date(2025, 6, 9)),
        ("grassroots_resolution", "at_upper", date(2025, 7, 1)),
        ("approve_admission", AD, date(2025, 9, 3)),
        ("hold_ceremony", PR, date(2025, 10, 1)),
    ])
    c, _e = make(tree.b3, "Lê Văn Cường", date(2024, 5, 15), "trade_union", [
        ("assign_helper", H, date(2024, 5, 17)),
        ("record_awareness_certificate", SY, date(2024, 6, 3)),
        ("withdraw", "withdrawn", date(2025, 1, 15)),
    ])
    # Sympathiser recorded, taken back, recorded again: counted from the second.
    d, events = make(tree.b1, "Phạm Thị Dung", date(2024, 12, 2), "women_union", [
        ("assign_helper", H, date(2025, 1, 6)),
        ("record_awareness_certificate", SY, date(2025, 3, 3)),
    ])
    undo(d, events[-1], date(2025, 3, 5))
    StageEvent.objects.create(candidate=d, action="record_awareness_certificate", from_stage=H,
                              to_stage=SY, event_date=date(2025, 4, 1), organisation=tree.b1)
    StageEvent.objects.create(candidate=d, action="record_application", from_stage=SY,
                              to_stage=AP, event_date=date(2026, 3, 2), organisation=tree.b1)
    # Added at B3, moved to B1 in 2025; a sympathiser step taken back and never redone.
    e, events = make(tree.b3, "Hoàng Văn Em", date(2024, 6, 3), "other", [
        ("assign_helper", H, date(2024, 6, 10)),
        ("transfer", H, date(2025, 1, 20), tree.b1),
        ("record_awareness_certificate", SY, date(2025, 2, 3), tree.b1),
    ], stage=H)
    undo(e, events[-1], date(2025, 2, 4))
    Candidate.objects.filter(pk=e.pk).update(organisation=tree.b1)
    # A 2023 dossier imported in one jump to the probationary list; a 2025 one just added.
    g, _e = make(tree.b3, "Đỗ Văn Giang", date(2023, 11, 1), "veterans", [
        ("import", PR, date(2024, 6, 3))])
    h, _e = make(tree.b2, "Vũ Thị Hoa", date(2025, 2, 10), "youth_union", [])
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "G": g, "H": h}


def scope_for(org, label, today):
    period = periods.resolve(org, label)
    return Scope(org, period, today, units_of(org, period))


def cells(figures, year):
    cohort = next(c for c in figures.cohorts if c.year == year)
    return {code: (cell.count, cell.percent, cell.median) for code, cell in cohort.cells.items()}


def test_the_cohort_years_run_from_five_years_before_the_period_to_the_as_of_year(tree):
    assert cohorts.cohort_years(scope_for(tree.root, "2025-2030", date(2026, 12, 1))) == [
        2026, 2025, 2024, 2023, 2022, 2021, 2020]
    assert cohorts.cohort_years(scope_for(tree.root, "2024", date(2026, 12, 1))) == [
        2024, 2023, 2022, 2021, 2020, 2019]


def test_the_hand_counted_working_days_are_the_calendars():
    # Fri 26/04/2024 → Thu 02/05/2024: the weekend, 29/04 (swapped day off), 30/04 and 01/05
    # (holidays) leave one working day, 02/05.
    assert wd(date(2024, 4, 26), date(2024, 5, 2)) == 1
    assert wd(date(2024, 4, 26), date(2024, 5, 13)) == 8  # 2, 3, 6–10, 13 May
    assert wd(date(2024, 5, 6), date(2024, 5, 10)) == 4
    assert wd(date(2024, 5, 6), date(2024, 5, 20)) == 10
    assert wd(date(2024, 5, 15), date(2024, 5, 17)) == 2
    assert wd(date(2024, 5, 15), date(2024, 6, 3)) == 13
    assert wd(date(2024, 6, 3), date(2024, 6, 10)) == 5
    # 02/12/2024 → 06/01/2025: 21 days of December, 01/01 a holiday, 2, 3 and 6 January.
    assert wd(date(2024, 12, 2), date(2025, 1, 6)) == 24


def test_a_cohort_followed_through_its_first_year(tree, cohort):
    f = cohorts.compute(scope_for(tree.root, "2024", date(2026, 12, 1)))
    assert f.as_of == date(2024, 12, 31) and f.years == [2024, 2023, 2022, 2021, 2020, 2019]
    got = cells(f, 2024)
    assert got["pool"][0] == 5  # A, B, C, D, E (G is 2023's, H 2025's)
    # Helper assigned: A 1, C 2, B 4, E 5 working days → median (2 + 4) / 2.
    assert got[H] == (4, 80.0, 3.0)
    # Sympathiser: A 8, B 10, C 13 (D and E later or never).
    assert got[SY] == (3, 60.0, 10.0)
    assert [got[m][0] for m in (AP, BV, AD, PR, OF)] == [0, 0, 0, 0, 0]
    assert got["dung"][0] == 0 and got["chua_xong"][:2] == (5, 100.0)
    # G entered in 2023 and was admitted (in one jump) in 2024: every milestone to it.
    g = cells(f, 2023)
    assert g["pool"][0] == 1 and [g[m][0] for m in (H, SY, AP, BV, AD, PR, OF)] == [
        1, 1, 1, 1, 1, 1, 0]
    assert g[PR][2] == wd(date(2023, 11, 1), date(2024, 6, 3))
    assert cells(f, 2022)["pool"][0] == 0


def test_the_same_cohort_in_its_second_year(tree, cohort):
    f = cohorts.compute(scope_for(tree.root, "2025", date(2026, 12, 1)))
    got = cells(f, 2024)
    assert got["pool"][0] == 5
    # D's helper on 06/01/2025: 24 working days. A 1, C 2, B 4, E 5, D 24 → median 4.
    assert got[H] == (5, 100.0, 4.0)
    # D's sympathiser counts from 01/04/2025 (the 03/03 one was undone); E's was undone.
    d_sy = wd(date(2024, 12, 2), date(2025, 4, 1))
    assert d_sy > 13
    assert got[SY] == (4, 80.0, 11.5)  # 8, 10, 13, d_sy
    a_ap, b_ap = wd(date(2024, 4, 26), date(2025, 3, 3)), wd(date(2024, 5, 6), date(2025, 2, 3))
    assert got[AP] == (2, 40.0, (a_ap + b_ap) / 2)
    # B's first vote (01/04/2025), not the one after the return.
    a_bv, b_bv = wd(date(2024, 4, 26), date(2025, 5, 5)), wd(date(2024, 5, 6), date(2025, 4, 1))
    assert got[BV] == (2, 40.0, (a_bv + b_bv) / 2)
    a_pr, b_pr = wd(date(2024, 4, 26), date(2025, 8, 1)), wd(date(2024, 5, 6), date(2025, 10, 1))
    assert got[AD][:2] == (2, 40.0)
    assert got[PR] == (2, 40.0, (a_pr + b_pr) / 2)
    assert got[OF][:2] == (0, 0.0)
    # C withdrew on 15/01/2025; D and E are still on their way. 2 + 1 + 2 = 5.
    assert got["dung"] == (1, 20.0, wd(date(2024, 5, 15), date(2025, 1, 15)))
    assert got["chua_xong"][:2] == (2, 40.0)
    assert cells(f, 2025)["pool"][0] == 1  # H


def test_the_same_cohort_in_its_third_year(tree, cohort):
    f = cohorts.compute(scope_for(tree.root, "2025-2030", date(2026, 12, 1)))
    assert f.as_of == date(2026, 12, 1) and f.years[0] == 2026 and f.years[-1] == 2020
    got = cells(f, 2024)
    assert got[AP][:2] == (3, 60.0)  # D applied on 02/03/2026
    assert got[OF] == (1, 20.0, wd(date(2024, 4, 26), date(2026, 8, 3)))
    assert got[PR][:2] == (2, 40.0)  # B is still probationary: admitted, not open
    assert got["dung"][0] == 1 and got["chua_xong"][:2] == (2, 40.0)


def test_the_branch_that_added_a_dossier_keeps_it_after_a_transfer(tree, cohort):
    today = date(2026, 12, 1)
    gc2 = cells(cohorts.compute(scope_for(tree.gc2, "2025", today)), 2024)
    gc1 = cells(cohorts.compute(scope_for(tree.gc1, "2025", today)), 2024)
    assert gc2["pool"][0] == 2 and gc1["pool"][0] == 3  # C and E; A, B and D
    assert gc2["chua_xong"][0] == 1 and gc2["dung"][0] == 1  # E open, C withdrawn


def test_returned_and_undone_dossiers_count_once_on_the_first_day(tree, cohort):
    scope = scope_for(tree.root, "2025", date(2026, 12, 1))
    voted = {r.full_name: r.on_day for r in cohorts.CellRows(scope, [2024], BV)[0:50]}
    assert voted == {"Nguyễn Văn An": date(2025, 5, 5), "Trần Thị Bình": date(2025, 4, 1)}
    sympathisers = {r.full_name: r.on_day for r in cohorts.CellRows(scope, [2024], SY)[0:50]}
    assert sympathisers["Phạm Thị Dung"] == date(2025, 4, 1)
    assert "Hoàng Văn Em" not in sympathisers
    # E's stage on the day is the one before the undone step.
    open_rows = {r.full_name: r.stage for r in cohorts.CellRows(scope, [2024], "chua_xong")[0:50]}
    assert open_rows == {"Phạm Thị Dung": SY, "Hoàng Văn Em": H}


def test_conversion_by_source(tree, cohort):
    f = cohorts.compute(scope_for(tree.root, "2025", date(2026, 12, 1)))
    rows = {r.source: r for r in f.sources}
    youth = rows["youth_union"]
    a_pr, b_pr = wd(date(2024, 4, 26), date(2025, 8, 1)), wd(date(2024, 5, 6), date(2025, 10, 1))
    assert youth.sizes[2024] == 2 and youth.admitted[2024].count == 2
    assert youth.admitted[2024].percent == 100.0
    assert youth.admitted[2024].median == (a_pr + b_pr) / 2
    # The cohorts together (2020–2025): A, B and H (2025).
    assert youth.sizes[0] == 3 and youth.admitted[0].count == 2
    assert youth.admitted[0].percent == 66.7
    assert (rows["trade_union"].sizes[0], rows["trade_union"].admitted[0].count) == (1, 0)
    assert rows["trade_union"].admitted[0].percent == 0.0
    assert (rows["women_union"].sizes[0], rows["other"].sizes[0]) == (1, 1)
    veterans = rows["veterans"]
    assert (veterans.sizes[2023], veterans.admitted[2023].count) == (1, 1)
    assert veterans.admitted[0].median == wd(date(2023, 11, 1), date(2024, 6, 3))
    assert veterans.sizes[2024] == 0 and veterans.admitted[2024].percent is None
    total = rows[""]
    assert (total.sizes[0], total.admitted[0].count, total.admitted[0].percent) == (7, 3, 42.9)
    assert (total.sizes[2024], total.admitted[2024].count) == (5, 2)


# The page and its lists ------------------------------------------------------------------

@pytest.fixture
def today_is(monkeypatch):
    def set_today(day):
        monkeypatch.setattr(insight_common, "local_today", lambda: day)
    return set_today


def page_url(org, label):
    return reverse("reports:insight_cohorts", args=[org.code]) + f"?ky={label}"


def list_url(org, label, **params):
    query = "".join(f"&{k}={v}" for k, v in params.items())
    return reverse("reports:insight_cohorts_dossiers", args=[org.code]) + f"?ky={label}{query}"


LINK = re.compile(r'<a href="([^"]*/cohorts/dossiers/[^"]*)"[^>]*>([\d.]+)</a>')


@pytest.mark.parametrize("label", ["2024", "2025", "2025-2030"])
def test_every_number_opens_a_list_of_that_many_dossiers(as_user, users, tree, cohort,
                                                         today_is, label):
    today_is(date(2026, 12, 1))
    client = as_user(users.leader)
    page = client.get(page_url(tree.root, label))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<title" in html
    links = LINK.findall(html)
    assert len(links) > 20
    for href, shown in links:
        response = client.get(unescape(href))
        assert response.status_code == 200, href
        assert response.context["page"].paginator.count == int(shown.replace(".", "")), href


def test_the_list_shows_the_dossiers_with_their_dates_and_searches_by_name(
        as_user, users, tree, cohort, today_is):
    today_is(date(2026, 12, 1))
    client = as_user(users.department)
    response = client.get(list_url(tree.root, "2025", nam=2024, moc=BV))
    html = response.content.decode()
    a = cohort["A"]
    assert reverse("recruitment:candidate_detail", args=[a.pk]) in html
    assert "05/05/2025" in html and "01/04/2025" in html and "26/04/2024" in html
    assert "Chi bộ Một" in html and "Chi bộ Hai" in html
    found = client.get(list_url(tree.root, "2025", nam=2024, moc=BV, q="binh"))
    assert [r.full_name for r in found.context["page"].object_list] == ["Trần Thị Bình"]
    by_source = client.get(list_url(tree.root, "2025", nam="tat_ca", moc=PR,
                                    nguon="youth_union"))
    assert by_source.context["page"].paginator.count == 2


def test_bad_parameters_are_not_found(as_user, users, tree, cohort, today_is):
    today_is(date(2026, 12, 1))
    client = as_user(users.leader)
    for params in ({}, {"nam": "abc"}, {"nam": 2018}, {"nam": 2027},
                   {"nam": 2024, "moc": "at_upper"}, {"nam": 2024, "moc": "xyz"},
                   {"nam": 2024, "nguon": "party"}):
        assert client.get(list_url(tree.root, "2025-2030", **params)).status_code == 404, params
    assert client.get(page_url(tree.root, "abc")).status_code == 404
    assert client.get(list_url(tree.root, "2025-2030", nam=2020, moc="dung",
                               nguon="veterans")).status_code == 200


def test_who_may_see_the_view(as_user, users, tree, cohort, today_is):
    today_is(date(2026, 12, 1))
    for user in (users.leader, users.department):
        client = as_user(user)
        assert client.get(page_url(tree.gc1, "2025")).status_code == 200
        assert client.get(list_url(tree.gc1, "2025", nam=2024)).status_code == 200
    secretary = as_user(users.secretary)
    assert secretary.get(page_url(tree.b1, "2025")).status_code == 403
    assert secretary.get(list_url(tree.b1, "2025", nam=2024)).status_code == 403
    outsider = UserFactory(username="lanhdao_gc2")
    grant(outsider, Role.LEADERSHIP, tree.gc2)
    client = as_user(outsider)
    assert client.get(page_url(tree.gc1, "2025")).status_code == 404
    assert client.get(list_url(tree.gc1, "2025", nam=2024)).status_code == 404
    assert client.get(page_url(tree.gc2, "2025")).status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_dossiers(as_user, users, tree, cohort,
                                                                today_is):
    today_is(date(2026, 12, 1))
    client = as_user(users.leader)
    page, listing = page_url(tree.root, "2025"), list_url(tree.root, "2025", nam=2024, moc=H)
    small = _queries(client, page), _queries(client, listing)
    for i in range(60):
        make([tree.b1, tree.b2, tree.b3][i % 3], f"Người Thứ {i:02d}", date(2024, 3, 1 + i % 28),
             ["youth_union", "other"][i % 2], [
                 ("assign_helper", H, date(2024, 9, 2)),
                 ("record_awareness_certificate", SY, date(2025, 1, 6 + i % 20))][:1 + i % 2])
    large = _queries(client, page), _queries(client, listing)
    assert small == large
    # 65 dossiers of the 2024 cohort had a helper by 2025: two pages of 50.
    second = client.get(listing + "&trang=2")
    assert second.context["page"].paginator.count == 65
    assert len(second.context["page"].object_list) == 15


def test_the_figures_are_one_statement(tree, cohort, django_assert_num_queries):
    scope = scope_for(tree.root, "2025-2030", date(2026, 12, 1))
    with django_assert_num_queries(1):
        cohorts.compute(scope)
    # A list: its page and its count in one statement.
    with django_assert_num_queries(1):
        rows = cohorts.CellRows(scope, [2024], PR)
        assert rows.count() == 2 and len(rows[0:2]) == 2


def test_the_sheet_holds_the_same_numbers(tree, cohort):
    from io import BytesIO

    from openpyxl import load_workbook

    from members.xlsx import Workbook

    f = cohorts.compute(scope_for(tree.root, "2025", date(2026, 12, 1)))
    book, out = Workbook(), BytesIO()
    cohorts.write_sheet(book, f)
    book.save(out)
    read = load_workbook(BytesIO(out.getvalue()))
    assert read.sheetnames == ["Theo năm vào nguồn", "Theo nguồn giới thiệu"]
    funnel = [row for row in read["Theo năm vào nguồn"].iter_rows(values_only=True)
              if row[0] == 2024][0]
    # Year, size, then (count, %, median) for each column: helper assigned first.
    assert funnel[:5] == (2024, 5, 5, 100.0, 4.0)
    sources = [row for row in read["Theo nguồn giới thiệu"].iter_rows(values_only=True)
               if row[0] == "Cộng" and row[1] == "Cộng các năm"]
    assert sources == [("Cộng", "Cộng các năm", 7, 3, 42.9, sources[0][5])]
    svg = cohorts.chart(f)
    assert svg.count("<svg") == 2 and "2024 (5)" in svg
    # The worker keeps the figures of a large scope pickled.
    import pickle

    assert pickle.loads(pickle.dumps(f)) == f


def test_the_annex_section_has_the_numbers_and_no_links(tree, cohort):
    from django.template.loader import render_to_string

    scope = scope_for(tree.root, "2025", date(2026, 12, 1))
    f = cohorts.compute(scope)
    html = render_to_string("reports/insight/_cohorts_section.html",
                            {"figures": f, "chart": cohorts.chart(f), "scope": scope, "pdf": True})
    assert "<a " not in html and "<svg" in html
    assert "42,9 %" in html and "3 / 7" in html


def test_a_large_scope_waits_for_the_worker(as_user, users, tree, cohort, today_is, monkeypatch,
                                            django_capture_on_commit_callbacks):
    from reports import views

    today_is(date(2026, 12, 1))
    monkeypatch.setattr(views, "INLINE_MAX_BRANCHES", 1)
    with django_capture_on_commit_callbacks(execute=False):
        response = as_user(users.leader).get(page_url(tree.root, "2025"))
    assert response.status_code == 200
    assert response.context["figures"] is None
    assert "insight-cohorts" not in response.content.decode()
