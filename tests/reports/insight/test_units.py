"""The unit comparison against known answers: the 2024 figures of the reports' fixture
(tests/reports/conftest.py `known`), the branches without admissions for two years, the lists
behind the numbers, the sort, and who may see it."""
import pickle
import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import FROM_THE_START, StaffHeadcount
from members.models import OrganisationKind as K
from members.xlsx import Workbook
from recruitment.models import Candidate
from reports import periods
from reports.insight import common, units
from reports.insight.common import Scope, units_of
from reports.selectors import compute_figures
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, grant
from tests.reports.conftest import TODAY, admitted, candidate

pytestmark = pytest.mark.django_db
D = Decimal


def _scope(org, label="2024", today=TODAY):
    period = periods.resolve(org, label)
    return Scope(org, period, today, units_of(org, period))


def _by_code(figures):
    return {r.unit.code: r for r in figures.rows}


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(common, "local_today", lambda: TODAY)
    return TODAY


def _url(org, name="insight_units", **params):
    from urllib.parse import urlencode

    return reverse(f"reports:{name}", args=[org.code]) + "?" + urlencode(params)


# --- the figures ---------------------------------------------------------------------------

def test_admissions_per_unit_equal_the_reports_table(known):
    t = known.tree
    scope = _scope(t.root)
    f = units.compute(scope)
    report = compute_figures(t.root, scope.period, today=TODAY)
    assert {u.unit.code: u.admitted for u in report.by_unit} == {
        r.unit.code: r.admitted for r in f.rows} == {"GC1": 4, "GC2": 1, "CBCS": 0}
    assert f.total.admitted == report.admitted == 5


def test_members_at_the_start_are_those_of_biểu_1(known):
    # On 31/12/2023: B1 has Phúc, Khải (admitted that day) and Cũ (Đã Đi left in 2023), B2 has
    # Lâm and Minh (removed in 2024); B3 has Hạnh and Chuyển (left in 2024); CBCS one.
    t = known.tree
    scope = _scope(t.root)
    f = units.compute(scope)
    assert {r.unit.code: r.members for r in f.rows} == {"GC1": 5, "GC2": 2, "CBCS": 1}
    assert f.total.members == compute_figures(t.root, scope.period,
                                              today=TODAY).membership.at_start == 8


def test_rates_shares_and_medians(known):
    f = units.compute(_scope(known.tree.root))
    gc1, gc2, cbcs = (_by_code(f)[c] for c in ("GC1", "GC2", "CBCS"))
    # GC1: 4 admitted of 5 members and 12 staff; a1 (23) is young, a1 and a3 women, a2 Tày.
    assert gc1.values() == {"ket_nap": 4, "dang_vien": 5, "tren_100_dv": D("80.0"),
                            "can_bo": 12, "tren_100_cb": D("33.3"), "tre": D("25.0"),
                            "nu": D("50.0"), "dan_toc": D("25.0"), "qua_han": 0}
    # GC2: the one admitted at B3 (74, a man, Kinh) who has since moved to B1 stays here.
    assert gc2.values() == {"ket_nap": 1, "dang_vien": 2, "tren_100_dv": D("50.0"),
                            "can_bo": None, "tren_100_cb": None, "tre": D("0.0"),
                            "nu": D("0.0"), "dan_toc": D("0.0"), "qua_han": 0}
    assert cbcs.values()["tren_100_dv"] == D("0.0") and cbcs.values()["tre"] is None
    # Medians over the units that have a value: 0, 1, 4 → 1; 0, 50, 80 → 50; one value → it;
    # two values → their mean.
    assert f.medians == {"ket_nap": 1, "dang_vien": 2, "tren_100_dv": D("50.0"),
                         "can_bo": 12, "tren_100_cb": D("33.3"), "tre": D("12.5"),
                         "nu": D("25.0"), "dan_toc": D("12.5"), "qua_han": 0}
    cell = {c.key: c for c in gc1.cells}
    assert (cell["tren_100_dv"].diff, cell["tren_100_dv"].diff_text) == (D("30.0"), "▲ 30,0")
    assert (cell["tre"].diff_text, cell["tre"].judgement) == ("▲ 12,5", "good")
    assert {c.key: c for c in gc2.cells}["ket_nap"].diff_text == "="
    assert {c.key: c for c in cbcs.cells}["ket_nap"].judgement == "bad"


def test_overdue_dossiers_and_their_judgement(known):
    t = known.tree
    # On 01/06/2025 (the 2025 period runs on): s3 (B2, due 01/05) and a1 (B1, due 10/03) are
    # past their deadline at GC1; one more at B3; a closed dossier and one due today are not.
    candidate(t.b3, "Quá Hạn Ba", stage="applied", due_date=date(2025, 5, 31))
    candidate(t.b3, "Đúng Hạn", stage="applied", due_date=TODAY)
    candidate(t.b3, "Đã Xong", stage="withdrawn", due_date=date(2025, 1, 1))
    f = units.compute(_scope(t.root, "2025"))
    assert {r.unit.code: r.overdue for r in f.rows} == {"GC1": 2, "GC2": 1, "CBCS": 0}
    assert f.total.overdue == 3 and f.medians["qua_han"] == 1
    assert {c.key: c for c in _by_code(f)["GC1"].cells}["qua_han"].judgement == "bad"


def test_the_sort_by_a_column_either_way(known):
    f = units.compute(_scope(known.tree.root))
    assert [r.unit.code for r in f.sorted_rows("ket_nap")] == ["CBCS", "GC2", "GC1"]
    assert [r.unit.code for r in f.sorted_rows("-ket_nap")] == ["GC1", "GC2", "CBCS"]
    # Units without a value come last both ways.
    assert [r.unit.code for r in f.sorted_rows("tre")] == ["GC2", "GC1", "CBCS"]
    assert [r.unit.code for r in f.sorted_rows("-tre")] == ["GC1", "GC2", "CBCS"]
    assert [r.unit.code for r in f.sorted_rows("-don_vi")] == ["GC1", "GC2", "CBCS"]
    assert [r.unit.code for r in f.sorted_rows("")] == ["GC1", "GC2", "CBCS"]  # the tree's


# --- branches without admissions ---------------------------------------------------------------

@pytest.fixture
def stale(tree):
    """On 01/06/2025 the cut is 01/06/2023: B1's last admission the day before it (listed),
    B2's the day after (not), B3 opened a year ago (not), CBCS never admitted (listed), and a
    new branch opened exactly on the cut (listed)."""
    t = tree
    admitted(t.b1, "Kết Nạp Cũ", date(2023, 5, 31))
    MemberFactory(full_name="Đảng Viên Lâu", organisation=t.b1, admitted_date=date(2010, 1, 1))
    admitted(t.b2, "Kết Nạp Gần", date(2023, 6, 2))
    type(t.b3).objects.filter(pk=t.b3.pk).update(opened_on=date(2024, 6, 1))
    type(t.gb).objects.filter(pk=t.gb.pk).update(opened_on=date(2019, 3, 1))
    new = OrganisationFactory(code="B4", name="Chi bộ Bốn", kind=K.BRANCH, parent=t.gc2,
                              opened_on=date(2023, 6, 1))
    gone = OrganisationFactory(code="B5", name="Chi bộ Đã Giải Thể", kind=K.BRANCH,
                               parent=t.gc2, opened_on=date(2010, 1, 1),
                               dissolved_on=date(2025, 1, 1))
    t.root.refresh_from_db()
    return {"new": new, "gone": gone}


def test_branches_without_admissions_for_two_years(tree, stale):
    f = units.compute(_scope(tree.root, "2025"))
    assert f.stale_cutoff == date(2023, 6, 1)
    listed = {b.unit.code: b for b in f.stale}
    assert list(listed) == ["CBCS", "B4", "B1"]  # never admitted first, then the oldest
    b1 = listed["B1"]
    assert (b1.last_admission, b1.members, b1.within) == (date(2023, 5, 31), 2,
                                                          "Đảng bộ Sở Một")
    assert b1.years == D("2.0")
    cbcs = listed["CBCS"]
    assert (cbcs.last_admission, cbcs.since, cbcs.years) == (None, date(2019, 3, 1), D("6.3"))
    assert listed["B4"].years_text == "2,0"


def test_the_stale_list_is_paginated_and_links_to_each_branch(as_user, users, tree, stale,
                                                              today):
    for i in range(50):  # 53 listed: 50 on the first page, 3 on the second
        OrganisationFactory(code=f"BZ{i:02d}", kind=K.BRANCH, parent=tree.gc2)
    client = as_user(users.leader)
    page = client.get(_url(tree.root, ky="2025"))
    html = page.content.decode()
    assert len(page.context["stale_page"].object_list) == 50
    assert "trang_cb=2#chi-bo-lau-chua-ket-nap" in html
    second = client.get(_url(tree.root, ky="2025", trang_cb="2"))
    # Never admitted and opened on an unknown day first, then by opening, then by the last one.
    assert [b.unit.code for b in second.context["stale_page"].object_list] == ["CBCS", "B4",
                                                                            "B1"]
    html = second.content.decode()
    assert f'href="{reverse("recruitment:candidate_list")}?branch=B1"' in html
    assert f'href="{reverse("members:organisation_detail", args=["B1"])}"' in html
    assert "chưa có" in html and "Chi bộ nhiều năm không kết nạp được đảng viên" in html


# --- the lists behind the numbers ----------------------------------------------------------

LINK = re.compile(r'href="([^"]*/units/dossiers/[^"]*)" data-count="(\d+)"')


def test_every_number_opens_the_list_of_exactly_those_people(as_user, users, known, today):
    t = known.tree
    candidate(t.b3, "Quá Hạn Ba", stage="applied", due_date=date(2024, 12, 1))
    client = as_user(users.department)
    html = client.get(_url(t.root, ky="2024")).content.decode()
    links = LINK.findall(html)
    # 3 units and the total: admitted, 2 rates, 3 groups, overdue (less the rates by staff
    # that have no headcount: GC2, CBCS and the whole).
    assert len(links) == 4 * 7 - 3
    for href, count in links:
        response = client.get(unescape(href))
        assert response.status_code == 200, href
        assert response.context["page"].paginator.count == int(count), href
    young = client.get(_url(t.root, "insight_units_dossiers", ky="2024", chi_so="tre",
                            don_vi="GC1"))
    assert [m.member.full_name for m in young.context["page"]] == ["Nguyễn Thị Ánh"]
    late = client.get(_url(t.root, "insight_units_dossiers", ky="2024", chi_so="qua_han"))
    assert [c.full_name for c in late.context["page"]] == ["Quá Hạn Ba"]


def test_the_list_is_searched_by_name(as_user, users, known, today):
    client = as_user(users.leader)
    found = client.get(_url(known.tree.root, "insight_units_dossiers", ky="2024",
                            chi_so="ket_nap", q="thi"))
    assert [m.member.full_name for m in found.context["page"]] == ["Nguyễn Thị Ánh",
                                                                   "Trần Thị Cúc"]


# --- the page --------------------------------------------------------------------------

def test_the_page_shows_chart_table_and_sort_state(as_user, users, known, today):
    client = as_user(users.leader)
    html = client.get(_url(known.tree.root, ky="2024", sap_xep="-tren_100_dv")).content.decode()
    assert "<svg" in html and "<title" in html and "Trung vị các đơn vị" in html
    assert 'aria-sort="descending"' in html and html.count("aria-sort=") == 1
    order = [html.index(name) for name in ("Đảng bộ Sở Một", "Đảng bộ Sở Hai",
                                           "Chi bộ cơ sở Tỉnh đoàn")]
    assert order == sorted(order)
    assert "▲ 30,0" in html and "80,0" in html and "Cách tính" in html
    # The header link sorts the other way; the period form keeps the sort.
    assert "sap_xep=tren_100_dv" in html and 'name="sap_xep" value="-tren_100_dv"' in html


def _branchy(tree, n, prefix):
    """n more units, each with a branch, a member, an admission and an overdue dossier."""
    for i in range(n):
        gc = OrganisationFactory(code=f"G{prefix}{i}", kind=K.GRASSROOTS_COMMITTEE,
                                 parent=tree.root)
        b = OrganisationFactory(code=f"B{prefix}{i}", kind=K.BRANCH, parent=gc)
        StaffHeadcount.objects.create(organisation=gc, valid_from=FROM_THE_START, staff=10 + i)
        MemberFactory(organisation=b)
        admitted(b, f"Người {prefix} {i}", date(2024, 5, 1 + i))
        candidate(b, f"Hồ Sơ {prefix} {i}", stage="applied", due_date=date(2024, 1, 1))


def test_the_page_runs_the_same_queries_whatever_the_size(as_user, users, tree, today):
    client = as_user(users.leader)
    client.get(_url(tree.root, ky="2024"))  # the session and the user, once

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(tree.root, ky="2024")).status_code == 200
        return len(ctx.captured_queries)

    _branchy(tree, 2, "X")
    small = queries()
    _branchy(tree, 12, "Y")
    assert queries() == small


def test_bad_parameters_are_not_found(as_user, users, known, today):
    client = as_user(users.leader)
    root = known.tree.root
    for params in ({"sap_xep": "luong"}, {"sap_xep": "-"}, {"ky": "abc"}):
        assert client.get(_url(root, **params)).status_code == 404, params
    for params in ({"chi_so": "tien"}, {}, {"chi_so": "ket_nap", "don_vi": "B1"},
                   {"chi_so": "ket_nap", "don_vi": "KHAC"}, {"chi_so": "nu", "ky": "20x4"}):
        assert client.get(_url(root, "insight_units_dossiers", **params)).status_code == 404
    # A page number out of range shows the last page, not an error.
    assert client.get(_url(root, ky="2024", trang_cb="999")).status_code == 200


def test_who_may_see_it(as_user, users, tree, today):
    for user in (users.leader, users.department):
        assert as_user(user).get(_url(tree.root)).status_code == 200
        assert as_user(user).get(_url(tree.root, "insight_units_dossiers",
                                      chi_so="ket_nap")).status_code == 200
    assert as_user(users.leader).get(_url(tree.b1)).status_code == 200  # a branch: itself
    assert as_user(users.secretary).get(_url(tree.b1)).status_code == 403
    assert as_user(users.secretary).get(_url(tree.b1, "insight_units_dossiers",
                                             chi_so="ket_nap")).status_code == 403
    outsider = UserFactory(username="lanhdao_gc2")
    grant(outsider, "leadership", tree.gc2)
    client = as_user(outsider)
    assert client.get(_url(tree.gc2)).status_code == 200
    assert client.get(_url(tree.gc1)).status_code == 404
    assert client.get(_url(tree.gc1, "insight_units_dossiers",
                           chi_so="ket_nap")).status_code == 404


def test_a_branch_compares_with_itself(known):
    f = units.compute(_scope(known.tree.b1))
    assert [r.unit.code for r in f.rows] == ["B1"] and f.total.admitted == f.rows[0].admitted


# --- the annex -------------------------------------------------------------------------

def test_the_pdf_section_has_no_links_and_the_sheet_the_same_numbers(known):
    scope = _scope(known.tree.root)
    f = units.compute(scope)
    html = render_to_string("reports/insight/_units_section.html",
                            {"figures": f, "chart": units.chart(f), "scope": scope,
                             "pdf": True})
    assert "<a " not in html and "<svg" in html and "Trung vị các đơn vị" in html
    book = Workbook()
    units.write_sheet(book, f)
    out = BytesIO()
    book.save(out)
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(out.getvalue()))["So sánh đơn vị"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert rows["Đảng bộ Sở Một"][:3] == (4, 5, 80.0)
    assert rows["Trung vị các đơn vị"][2] == 50.0
    # The worker keeps the figures pickled for a large scope.
    kept = pickle.loads(pickle.dumps(f))
    assert kept.total.admitted == 5 and kept.sorted_rows("-nu")[0].unit.code == "GC1"


def test_an_admission_after_as_of_is_not_counted_yet(known):
    # The 2025 period runs on: Giang (01/01/2025) counts; one dated after today does not.
    t = known.tree
    admitted(t.b1, "Ngày Mai", TODAY + timedelta(days=1))
    f = units.compute(_scope(t.root, "2025"))
    assert _by_code(f)["GC1"].admitted == 1
    assert Candidate.objects.filter(full_name="Ngày Mai").exists()
