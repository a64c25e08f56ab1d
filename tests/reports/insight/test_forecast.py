"""The forecast against hand-computed answers: the chance of a stage from the dossiers that were
in it on the reference days, the inflow of people not yet in the pipeline, the 90 % range, the
units short of their target first; its back-test on a past term (and that nothing dated after
the day of the forecast changes it); and the lists behind its numbers."""
import math
import re
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members.xlsx import Workbook
from recruitment.models import Candidate, StageEvent
from reports import periods
from reports.insight import common as insight_common
from reports.insight import forecast
from reports.insight.common import Scope, units_of
from reports.models import Target, Term
from tests.reports.conftest import admitted

TODAY = date(2025, 6, 1)
REFS = [date(2024, 6, 1), date(2023, 6, 1), date(2022, 6, 1)]  # T − 1, 2, 3 years
H = (date(2025, 12, 31) - TODAY).days  # 213 days to the year's end
POOL_DAY = date(2021, 1, 1)  # every dossier of the fixture enters the pool before the refs
_n = iter(range(1, 100000))


def dossier(branch, steps, *, pool=POOL_DAY, name=None):
    """A candidate with its events as rows: steps = [(to_stage, day)], after its pool entry."""
    name = name or f"Người số {next(_n)}"
    last_stage, last_day = steps[-1] if steps else ("source_pool", pool)
    c = Candidate.objects.create(
        full_name=name, birth_date=date(1995, 1, 1), sex="male", education="upper_secondary",
        organisation=branch, added_date=pool, plan_year=pool.year + 1, stage=last_stage,
        stage_date=last_day)
    rows = [StageEvent(candidate=c, action="add_to_pool", from_stage="source_pool",
                       to_stage="source_pool", event_date=pool, organisation=branch)]
    before = "source_pool"
    for stage, day in steps:
        rows.append(StageEvent(candidate=c, action="step", from_stage=before, to_stage=stage,
                               event_date=day, organisation=branch))
        before = stage
    StageEvent.objects.bulk_create(rows)
    return c


def voted_cohort(branch, ref, admitted_n, *, total=10, ceremony_after=30, pool=POOL_DAY):
    """`total` dossiers at the branch vote on `ref`, `admitted_n` of them admitted after it."""
    for i in range(total):
        steps = [("branch_voted", ref - timedelta(days=10))]
        if i < admitted_n:
            steps += [("admission_decided", ref + timedelta(days=ceremony_after - 10)),
                      ("probationary", ref + timedelta(days=ceremony_after))]
        else:
            steps += [("withdrawn", ref + timedelta(days=ceremony_after + 20))]
        dossier(branch, steps, pool=pool)


@pytest.fixture
def history(tree):
    """On each reference day 10 dossiers of B1 (unit GC1) at the branch vote, 6 admitted
    within 213 days: p = 18/30 = 0.6. People who entered the pool after each reference day
    and were admitted within it, in B3 (unit GC2): 2, 4, 3. Open now: 5 at the branch vote
    in B1. Admitted in 2025 before T (the reports' movements): 2 in B1. Targets 2025:
    the province 10, GC1 4, GC2 6, CBCS 1."""
    for ref in REFS:
        voted_cohort(tree.b1, ref, 6)
    for ref, n in zip(REFS, (2, 4, 3), strict=True):
        for _i in range(n):
            dossier(tree.b3, [("admission_decided", ref + timedelta(days=90)),
                              ("probationary", ref + timedelta(days=100))],
                    pool=ref + timedelta(days=10))
    for _i in range(5):
        dossier(tree.b1, [("branch_voted", TODAY - timedelta(days=20))])
    admitted(tree.b1, "Đinh Văn An", date(2025, 2, 10))
    admitted(tree.b1, "Đinh Thị Bích", date(2025, 4, 20))
    for org, n in ((tree.root, 10), (tree.gc1, 4), (tree.gc2, 6), (tree.gb, 1)):
        Target.objects.create(organisation=org, year=2025, admissions=n)
    return tree


def scope_for(org, label, today):
    period = periods.resolve(org, label)
    return Scope(org, period, today, units_of(org, period))


@pytest.mark.django_db
def test_chances_that_drift_between_reference_days_widen_the_range(tree):
    """25 dossiers at the vote on each reference day, 10, 15 and 20 of them admitted:
    pooled p = 45/75 = 0.6, but 5 open dossiers would give 2, 3 or 4 with each day's own
    chance; that spread (sample variance 1) is added to 5 × 0.6 × 0.4 = 1.2."""
    for ref, n in zip(REFS, (10, 15, 20), strict=True):
        voted_cohort(tree.b1, ref, n, total=25)
    for _i in range(5):
        dossier(tree.b1, [("branch_voted", TODAY - timedelta(days=20))])
    f = forecast.compute(scope_for(tree.root, "2025", TODAY), with_backtest=False)
    [year] = f.horizons
    assert year.pipeline == pytest.approx(3.0)
    assert year.inflow_by_reference == [0, 0, 0]
    assert year.variance == pytest.approx(1.2 + 1.0)
    half = 1.645 * math.sqrt(2.2)
    assert (year.low, year.high) == (round(3.0 - half), round(3.0 + half))


def test_the_reference_days_leave_room_for_the_outcome():
    refs, cut = forecast.reference_days(TODAY, H, date(2020, 1, 1))
    assert [r for r, _e in refs] == REFS and not cut
    assert all(e == r + timedelta(days=H) <= TODAY for r, e in refs)
    # A four-year horizon looks back at least four years (⌈1414/365⌉ = 4).
    refs, _cut = forecast.reference_days(date(2026, 12, 1), 1414, date(2010, 1, 1))
    assert [r for r, _e in refs] == [date(2022, 12, 1), date(2021, 12, 1), date(2020, 12, 1)]
    # History shorter than the horizon: the longest references it allows, windows cut at T.
    refs, cut = forecast.reference_days(date(2026, 12, 1), 1414, date(2024, 6, 1))
    assert cut and refs == [(date(2024, 12, 1), date(2026, 12, 1)),
                            (date(2025, 12, 1), date(2026, 12, 1))]


@pytest.mark.django_db
def test_the_forecast_of_a_known_history(history):
    f = forecast.compute(scope_for(history.root, "2025", TODAY), with_backtest=False)
    [year] = f.horizons
    assert (year.kind, year.days, year.references) == ("year", H, REFS)
    voted = next(s for s in year.stages if s.stage == "branch_voted")
    assert (voted.open, voted.history, voted.admitted, voted.borrowed) == (5, 30, 18, "")
    assert voted.p == pytest.approx(0.6)
    assert year.pipeline == pytest.approx(3.0)  # 5 × 0.6
    assert year.inflow_by_reference == [2, 4, 3]
    assert year.inflow == pytest.approx(3.0)
    assert year.admitted == 2
    assert year.expected == pytest.approx(8.0)
    # Variance 5 × 0.6 × 0.4 + sample variance of (2, 4, 3) = 1.2 + 1 = 2.2.
    assert year.variance == pytest.approx(2.2)
    half = 1.645 * math.sqrt(2.2)
    assert (year.low, year.high) == (round(8 - half), round(8 + half)) == (6, 10)
    assert year.target == 10
    # Units: GC2 (3 expected, target 6) and CBCS (0, target 1) fall short; GC1 does not.
    assert [u.unit.code for u in f.units] == ["GC2", "CBCS", "GC1"]
    by_code = {u.unit.code: u.horizons["year"] for u in f.units}
    assert by_code["GC1"].expected == pytest.approx(2 + 3.0)
    assert (by_code["GC1"].low, by_code["GC1"].high, by_code["GC1"].target) == (3, 7, 4)
    assert by_code["GC2"].expected == pytest.approx(3.0)
    assert (by_code["GC2"].low, by_code["GC2"].high, by_code["GC2"].target) == (1, 5, 6)
    assert by_code["GC2"].shortfall == pytest.approx(3.0)
    assert by_code["CBCS"].expected == 0 and by_code["CBCS"].target == 1
    # GC1's own forecast (a subtree: its dossiers found through its branches' events) is its
    # row above; its units are the partial committee and B1 (no targets: the tree order).
    gc1 = forecast.compute(scope_for(history.gc1, "2025", TODAY), with_backtest=False)
    assert (gc1.main.open, gc1.main.admitted, gc1.main.inflow) == (5, 2, 0)
    assert gc1.main.expected == pytest.approx(5.0) and gc1.main.target == 4
    assert [(u.unit.code, u.open) for u in gc1.units] == [("GC1-P", 0), ("B1", 5)]


@pytest.mark.django_db
def test_a_stage_with_little_history_borrows_from_its_neighbours(history):
    dossier(history.b1, [("at_grassroots", TODAY - timedelta(days=5))])
    f = forecast.compute(scope_for(history.root, "2025", TODAY), with_backtest=False)
    grassroots = next(s for s in f.main.stages if s.stage == "at_grassroots")
    # No dossier was at the grassroots on the reference days: the branch vote next to it
    # (30 dossiers, 18 admitted) lends its chance.
    assert (grassroots.open, grassroots.history, grassroots.borrowed) == (1, 0, "neighbours")
    assert grassroots.p == pytest.approx(0.6)


@pytest.fixture
def past_term(tree):
    """Term 2020-2025 recorded from 15/10/2020 to 15/10/2025: the middle day is 16/04/2023,
    913 days before the end, so the references are 16/04/2020, 2019, 2018. On each, 10
    dossiers at the branch vote, 5 admitted within 913 days: p = 0.5. On the middle day: 4 at
    the branch vote, 3 admitted since the term began. After it, 2 of the 4 and one newcomer
    are admitted: 6 in the whole term."""
    Term.objects.create(organisation=tree.root, label="2020-2025", start_date=date(2020, 10, 15),
                        end_date=date(2025, 10, 15))
    for year in (2018, 2019, 2020):
        voted_cohort(tree.b1, date(year, 4, 16), 5, ceremony_after=200, pool=date(2017, 6, 1))
    for day in (date(2021, 3, 1), date(2022, 5, 1), date(2023, 2, 1)):
        admitted(tree.b3, f"Kết nạp ngày {day}", day)
    middle = date(2023, 4, 16)
    open_now = [dossier(tree.b1, [("branch_voted", middle - timedelta(days=10))],
                        pool=middle - timedelta(days=100)) for _i in range(4)]
    for day in (date(2024, 1, 10), date(2024, 1, 10), date(2024, 5, 1)):
        admitted(tree.b1, f"Kết nạp sau ngày {day}", day)
    return open_now


@pytest.mark.django_db
def test_the_back_test_of_a_past_term(tree, past_term):
    b = forecast.backtest(tree.root, "2020-2025")
    assert b.as_of == date(2023, 4, 16)
    term = b.figures.main
    assert term.days == 913
    assert term.references == [date(2020, 4, 16), date(2019, 4, 16), date(2018, 4, 16)]
    assert term.admitted == 3
    assert term.pipeline == pytest.approx(2.0)  # 4 × 0.5
    assert term.inflow == 0
    assert b.forecast == pytest.approx(5.0)
    assert b.actual == 6
    assert b.error == pytest.approx(-1.0)
    assert b.relative_error == pytest.approx(-1 / 6)
    half = 1.645 * math.sqrt(4 * 0.25)
    assert (b.low, b.high) == (round(5 - half), round(5 + half))


@pytest.mark.django_db
def test_what_happened_after_the_middle_day_does_not_change_its_forecast(tree, past_term):
    before = forecast.backtest(tree.root, "2020-2025")
    # The four move on, a newcomer enters the pool, all dated after the middle day.
    for c in past_term:
        StageEvent.objects.create(candidate=c, action="step", from_stage="branch_voted",
                                  to_stage="probationary", event_date=date(2023, 6, 1),
                                  organisation=tree.b1)
    dossier(tree.b3, [("branch_voted", date(2023, 9, 1))], pool=date(2023, 5, 1))
    admitted(tree.b3, "Kết nạp muộn", date(2024, 8, 1))
    after = forecast.backtest(tree.root, "2020-2025")
    assert (after.forecast, after.low, after.high) == (before.forecast, before.low, before.high)
    assert after.figures.main.stages == before.figures.main.stages
    assert after.actual == before.actual + 1


@pytest.mark.django_db
def test_the_command_prints_the_back_test(tree, past_term):
    out = StringIO()
    call_command("insight_backtest", "DBK", "2020-2025", stdout=out)
    text = out.getvalue()
    assert "16/04/2023: 5,0 (khoảng 3–7)" in text
    assert "Thực tế: 6; sai số -1,0 (-16,7 %)" in text


# The page and the lists -----------------------------------------------------------------------

@pytest.fixture
def today_is(monkeypatch):
    def set_today(day):
        monkeypatch.setattr(insight_common, "local_today", lambda: day)
    return set_today


def page_url(tree, **params):
    query = "&".join(f"{k}={v}" for k, v in {"ky": "2025", **params}.items())
    return reverse("reports:insight_forecast", args=[tree.root.code]) + "?" + query


def list_count(client, href):
    html = client.get(href.replace("&amp;", "&")).content.decode()
    return int(re.search(r'id="ket-qua">([\d.]+) hồ sơ', html).group(1).replace(".", ""))


@pytest.mark.django_db
def test_every_number_opens_a_list_of_that_many_dossiers(as_user, users, history, today_is):
    today_is(TODAY)
    client = as_user(users.leader)
    response = client.get(page_url(history))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<title" in html
    links = re.findall(r'<a href="([^"]*/forecast/dossiers/[^"]*)">([\d.]+)</a>', html)
    # Both tables' totals, the 12 stages and the 3 units' open and admitted.
    assert len(links) == 2 + 12 + 3 * 2
    for href, shown in links:
        assert list_count(client, href) == int(shown.replace(".", "")), href
    f = forecast.compute(scope_for(history.root, "2025", TODAY), with_backtest=False)
    base = reverse("reports:insight_forecast_dossiers", args=[history.root.code]) + "?ky=2025"
    assert list_count(client, base) == f.main.open == 5
    assert list_count(client, base + "&giai_doan=branch_voted") == 5
    assert list_count(client, base + "&da_ket_nap=1") == f.main.admitted == 2
    assert list_count(client, base + "&da_ket_nap=1&don_vi=GC1") == 2
    assert list_count(client, base + "&don_vi=GC2") == 0


@pytest.mark.django_db
def test_the_list_shows_names_dates_and_chances(as_user, users, history, today_is):
    today_is(TODAY)
    client = as_user(users.leader)
    base = reverse("reports:insight_forecast_dossiers", args=[history.root.code]) + "?ky=2025"
    html = client.get(base + "&don_vi=GC1").content.decode()
    some = Candidate.objects.filter(organisation=history.b1, stage="branch_voted",
                                    stage_date=TODAY - timedelta(days=20)).first()
    assert reverse("recruitment:candidate_detail", args=[some.pk]) in html
    assert "12/05/2025" in html and "60,0 %" in html
    html = client.get(base + "&da_ket_nap=1&q=Bích").content.decode()
    assert "Đinh Thị Bích" in html and "Đinh Văn An" not in html
    assert "20/04/2025" in html


@pytest.mark.django_db
def test_the_units_table_sorts(as_user, users, history, today_is):
    today_is(TODAY)
    client = as_user(users.leader)
    html = client.get(page_url(history)).content.decode()
    assert html.index("Đảng bộ Sở Hai") < html.index("Chi bộ cơ sở Tỉnh đoàn") < html.index(
        "Đảng bộ Sở Một</th>")
    html = client.get(page_url(history, sap_xep="don_vi")).content.decode()
    assert 'aria-sort="ascending"' in html
    assert html.index("Đảng bộ Sở Một</th>") < html.index("Đảng bộ Sở Hai</th>")
    html = client.get(page_url(history, sap_xep="bogus")).content.decode()
    assert "Không sắp xếp được" in html


@pytest.mark.django_db
def test_bad_parameters_are_not_found(as_user, users, history, today_is):
    today_is(TODAY)
    client = as_user(users.leader)
    base = reverse("reports:insight_forecast_dossiers", args=[history.root.code]) + "?ky=2025"
    for bad in ("&giai_doan=probationary", "&giai_doan=x", "&don_vi=B1", "&da_ket_nap=2",
                "&da_ket_nap=1&giai_doan=branch_voted"):
        assert client.get(base + bad).status_code == 404, bad
    assert client.get(page_url(history, ky="20x5")).status_code == 404


@pytest.mark.django_db
def test_who_may_see_the_view(as_user, users, history, today_is):
    today_is(TODAY)
    for name in ("reports:insight_forecast", "reports:insight_forecast_dossiers"):
        url = reverse(name, args=[history.root.code]) + "?ky=2025"
        assert as_user(users.department).get(url).status_code == 200
        # A branch secretary may not see the insight, even of their own branch.
        own = reverse(name, args=[history.b1.code]) + "?ky=2025"
        assert as_user(users.secretary).get(own).status_code == 403
    outside = reverse("reports:insight_forecast", args=["GC2"])
    assert as_user(users.office).get(outside).status_code in (403, 404)
    from tests.factories import OrganisationFactory
    other = OrganisationFactory(code="KHAC", name="Đảng bộ khác", kind="upper_committee")
    for name in ("reports:insight_forecast", "reports:insight_forecast_dossiers"):
        assert as_user(users.leader).get(reverse(name, args=[other.code])).status_code == 404


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_dossiers(as_user, users, history,
                                                                today_is):
    today_is(TODAY)
    client = as_user(users.leader)
    base = reverse("reports:insight_forecast_dossiers", args=[history.root.code]) + "?ky=2025"
    urls = [page_url(history), base + "&don_vi=GC1", base + "&da_ket_nap=1"]
    small = [_page_queries(client, u) for u in urls]
    for ref in REFS:
        voted_cohort(history.b2, ref, 3)
        voted_cohort(history.b3, ref, 7)
    for _i in range(30):
        dossier(history.b2, [("applied", TODAY - timedelta(days=40))])
    for i in range(12):
        admitted(history.b2, f"Thêm {i}", date(2025, 3, 1) + timedelta(days=i))
    assert [_page_queries(client, u) for u in urls] == small


@pytest.mark.django_db
def test_the_sheet_holds_the_same_numbers(history):
    f = forecast.compute(scope_for(history.root, "2025", TODAY), with_backtest=False)
    book = Workbook()
    forecast.write_sheet(book, f)
    out = BytesIO()
    book.save(out)
    wb = load_workbook(BytesIO(out.getvalue()))
    rows = list(wb["Dự báo kết nạp"].iter_rows(values_only=True))
    assert rows[1][2:8] == (2, 5, 8.0, 6, 10, 10)
    assert "Dự báo" in str(forecast.chart(f))


@pytest.mark.django_db
def test_the_annex_section_has_no_links(history):
    from django.template.loader import render_to_string

    scope = scope_for(history.root, "2025", TODAY)
    f = forecast.compute(scope)
    html = render_to_string("reports/insight/_forecast_section.html", {
        "scope": scope, "figures": f, "chart": forecast.chart(f), "pdf": True})
    assert "<a " not in html and "<form" not in html
    assert "Đảng bộ Sở Hai" in html and "Thiếu so với chỉ tiêu 2025" in html
