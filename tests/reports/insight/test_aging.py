"""The stage-aging view against hand-counted answers: stays per unit and stage, their median
and 90th percentile in working days (Tết 2026 and weekends skipped), the legal limits, the
list behind every cell, the filters, a fixed number of queries and who may see it.

The fixture (today 31/03/2026, year 2026): units GC1 (branches B1, B2 under its partial
committee), GC2 (B3) and CBCS (no dossiers). Working days of each stay, counted by hand:
  A (B1): pool 09/02→23/02 = 5 (Tết 16–20/02 skipped); applied 23/02→02/03 = 5;
          admission decided 02/03→open = 21 (03/03…31/03).
  B (B2): pool Fri 06/03→Mon 09/03 = 1 (weekend); applied 09/03→10/03 = 1;
          admission decided 10/03→open = 15.
  C (B1): pool 02/03→16/03 = 10, then withdrawn (not a waiting stage).
  D (B1): pool 05/01→12/01 = 5; admission decided 12/01→06/03 = 34 (over the 30-day
          limit: 4 + 5 + 5 in January, 5 + 5 + 0 (Tết) + 5 in February, 5 in March);
          probationary 06/03→open = 17.
  E (B2): pool 01/12/2025→15/12/2025 (before 2026: left out); applied 15/12/2025→05/01/2026
          = 13 (01 and 02/01 are holidays); admission decided 05/01→20/01 = 11;
          probationary 20/01→open = 45.
  F (B3): pool Fri 13/02→Mon 23/02 = 1 (Tết week); applied 23/02→open = 26.
"""
from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Organisation
from members.models import OrganisationKind as K
from members.xlsx import Workbook
from recruitment.models import Candidate, RuleParameter, StageEvent
from reports import periods
from reports.insight import aging
from reports.insight.common import Scope, units_of
from tests.factories import OrganisationFactory

TODAY = date(2026, 3, 31)
POOL, APPLIED, DECIDED, PROBATION = ("source_pool", "applied", "admission_decided",
                                     "probationary")


def dossier(branch, name, steps):
    """A candidate whose events are `steps` [(stage, day)…]: the first is the entry in the
    pool, each next one a change of stage."""
    first_day = steps[0][1]
    last_stage, last_day = steps[-1]
    c = Candidate.objects.create(
        full_name=name, birth_date=date(1998, 1, 1), sex="male", education="upper_secondary",
        organisation=branch, added_date=first_day, plan_year=2026, stage=last_stage,
        stage_date=last_day)
    previous = POOL
    for i, (stage, day) in enumerate(steps):
        StageEvent.objects.create(candidate=c, action="add_to_pool" if i == 0 else "step",
                                  from_stage=previous, to_stage=stage, event_date=day)
        previous = stage
    return c


@pytest.fixture
def known(tree):
    d = date
    return SimpleNamespace(
        a=dossier(tree.b1, "Nguyễn Văn An", [(POOL, d(2026, 2, 9)), (APPLIED, d(2026, 2, 23)),
                                             (DECIDED, d(2026, 3, 2))]),
        b=dossier(tree.b2, "Trần Thị Bích", [(POOL, d(2026, 3, 6)), (APPLIED, d(2026, 3, 9)),
                                             (DECIDED, d(2026, 3, 10))]),
        c=dossier(tree.b1, "Lê Văn Cường", [(POOL, d(2026, 3, 2)), ("withdrawn",
                                                                   d(2026, 3, 16))]),
        d=dossier(tree.b1, "Phạm Thị Dung", [(POOL, d(2026, 1, 5)), (DECIDED, d(2026, 1, 12)),
                                             (PROBATION, d(2026, 3, 6))]),
        e=dossier(tree.b2, "Hoàng Văn Em", [(POOL, d(2025, 12, 1)), (APPLIED, d(2025, 12, 15)),
                                            (DECIDED, d(2026, 1, 5)),
                                            (PROBATION, d(2026, 1, 20))]),
        f=dossier(tree.b3, "Vũ Thị Phương", [(POOL, d(2026, 2, 13)), (APPLIED, d(2026, 2, 23))]),
    )


def scope_of(organisation, label="2026", today=TODAY):
    period = periods.resolve(organisation, label)
    return Scope(organisation, period, today, units_of(organisation, period))


def grid(figures):
    """{(unit code or 'total', stage): (n, median, p90, over)}."""
    out = {}
    for row in [*figures.rows, figures.total]:
        code = "total" if row is figures.total else row.unit.code
        for column, cell in zip(figures.columns, row.cells, strict=True):
            if cell is not None:
                out[code, column.stage] = (cell.n, pytest.approx(cell.median),
                                           pytest.approx(cell.p90), cell.over)
    return out


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("reports.insight.common.local_today", lambda: TODAY)
    return TODAY


def page_url(code, **params):
    return reverse("reports:insight_aging", args=[code]), params


def dossiers_of(client, code, **params):
    response = client.get(reverse("reports:insight_aging_dossiers", args=[code]), params)
    assert response.status_code == 200, params
    return response.context["page"]


# Known answers ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_cells_hold_the_hand_counted_medians_and_p90(tree, known):
    figures = aging.compute(scope_of(tree.root))
    assert [c.stage for c in figures.columns] == [POOL, APPLIED, DECIDED, PROBATION]
    assert [r.unit.code for r in figures.rows] == ["GC1", "GC2", "CBCS"]
    assert grid(figures) == {
        # [1, 5, 5, 10]: median 5; p90 at rank 3.7 → 5 + 0.7 × 5.
        ("GC1", POOL): (4, 5, 8.5, 0),
        # [1, 5, 13]: p90 at rank 2.8 → 5 + 0.8 × 8.
        ("GC1", APPLIED): (3, 5, 11.4, 0),
        # [11, 15, 21, 34]: median 18; p90 21 + 0.7 × 13 = 30.1 (over 30); D's 34 over.
        ("GC1", DECIDED): (4, 18, 30.1, 1),
        # [17, 45]: p90 at rank 1.9 → 17 + 0.9 × 28.
        ("GC1", PROBATION): (2, 31, 42.2, 0),
        ("GC2", POOL): (1, 1, 1, 0),
        ("GC2", APPLIED): (1, 26, 26, 0),
        # Whole scope: [1, 1, 5, 5, 10] → p90 at rank 4.6 → 5 + 0.6 × 5.
        ("total", POOL): (5, 5, 8, 0),
        # [1, 5, 13, 26]: median 9, p90 13 + 0.7 × 13.
        ("total", APPLIED): (4, 9, 22.1, 0),
        ("total", DECIDED): (4, 18, 30.1, 1),
        ("total", PROBATION): (2, 31, 42.2, 0),
    }
    # CBCS has no stays: a row of empty cells.
    assert figures.rows[2].cells == [None] * 4
    decided = figures.columns[2]
    assert (decided.limit, figures.columns[0].limit, figures.columns[3].fixed) == (30, None,
                                                                                   "12 tháng")
    cell = figures.rows[0].cells[2]
    assert cell.p90_over and cell.colours == ("#ffcc80", "#222")  # 18 / 30: amber
    # No limit: against the column's whole-scope p90 (5 / 8 > 0.5 → third blue).
    assert figures.rows[0].cells[0].colours[0] == "#64b5f6"
    assert figures.stays == 15


@pytest.mark.django_db
def test_a_branch_scope_is_its_own_single_row(tree, known):
    figures = aging.compute(scope_of(tree.b2))
    assert [r.unit.code for r in figures.rows] == ["B2"]
    assert grid(figures)["B2", DECIDED] == (2, 13, pytest.approx(14.6), 0)  # [11, 15]


@pytest.mark.django_db
def test_the_limit_is_the_parameter_in_force_on_the_as_of_day(tree, known):
    RuleParameter.objects.create(code="CEREMONY_DEADLINE_WD", value=20,
                                 effective_from=date(2026, 3, 1), source="thử")
    figures = aging.compute(scope_of(tree.root))
    assert figures.columns[2].limit == 20
    assert grid(figures)["GC1", DECIDED][3] == 2  # 21 and 34
    earlier = aging.compute(scope_of(tree.root, today=date(2026, 2, 27)))
    assert {c.stage: c.limit for c in earlier.columns}[DECIDED] == 30


@pytest.mark.django_db
def test_open_and_closed_stays_can_be_seen_apart(tree, known):
    open_ = aging.compute(scope_of(tree.root), aging.OPEN)
    assert [c.stage for c in open_.columns] == [APPLIED, DECIDED, PROBATION]
    assert grid(open_) == {
        ("GC2", APPLIED): (1, 26, 26, 0), ("total", APPLIED): (1, 26, 26, 0),
        ("GC1", DECIDED): (2, 18, pytest.approx(20.4), 0),  # [15, 21]
        ("total", DECIDED): (2, 18, pytest.approx(20.4), 0),
        ("GC1", PROBATION): (2, 31, pytest.approx(42.2), 0),
        ("total", PROBATION): (2, 31, pytest.approx(42.2), 0),
    }
    closed = aging.compute(scope_of(tree.root), aging.CLOSED)
    assert [c.stage for c in closed.columns] == [POOL, APPLIED, DECIDED]
    # [11, 34]: median 22.5, p90 11 + 0.9 × 23.
    assert grid(closed)["GC1", DECIDED] == (2, 22.5, pytest.approx(31.7), 1)
    assert grid(closed)["total", POOL][0] == 5
    # Anything else is both.
    assert aging.compute(scope_of(tree.root), "xyz").stays == 15


@pytest.mark.django_db
def test_a_period_keeps_only_the_stays_that_overlap_it(tree, known):
    # 2025, measured to 31/12/2025: E's pool 01/12→15/12 = 10 and E's application, open
    # then: 15/12→31/12 = 12 (only the first days of 2026 were holidays).
    figures = aging.compute(scope_of(tree.root, "2025"))
    assert grid(figures) == {("GC1", POOL): (1, 10, 10, 0), ("total", POOL): (1, 10, 10, 0),
                             ("GC1", APPLIED): (1, 12, 12, 0),
                             ("total", APPLIED): (1, 12, 12, 0)}
    assert aging.compute(scope_of(tree.root, "2025"), aging.OPEN).stays == 1
    empty = aging.compute(scope_of(tree.root, "2024"))
    assert empty.columns == [] and empty.stays == 0 and str(aging.chart(empty)) == ""


# The page and the lists ---------------------------------------------------------------------

@pytest.mark.django_db
def test_every_count_lists_exactly_its_stays(tree, known, users, as_user, today):
    client = as_user(users.leader)
    for mode in ("", aging.OPEN, aging.CLOSED):
        response = client.get(*page_url("DBK", ky="2026", mo=mode))
        figures = response.context["figures"]
        assert figures.mode == mode
        checked = 0
        for row in [*figures.rows, figures.total]:
            unit = {} if row is figures.total else {"don_vi": row.unit.code}
            for column, cell in zip(figures.columns, row.cells, strict=True):
                if cell is None:
                    continue
                params = {"ky": "2026", "mo": mode, "giai_doan": column.stage, **unit}
                assert dossiers_of(client, "DBK", **params).paginator.count == cell.n
                if column.limit is not None:
                    over = dossiers_of(client, "DBK", qua_han="1", **params)
                    assert over.paginator.count == cell.over
                checked += 1
        assert checked == len(grid(figures))


@pytest.mark.django_db
def test_the_page_shows_the_heat_map_the_table_and_the_links(tree, known, users, as_user,
                                                              today):
    response = as_user(users.department).get(*page_url("DBK", ky="2026"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg' in html and "<desc" in html and "hạn 60 ngày LV" not in html  # no column
    assert "hạn 30 ngày LV" in html and "12 tháng" in html
    # A cell: n · median · p90, with the over-limit mark and its own list.
    assert "4</a> · 18 · 30,1 <strong>!</strong>" in html
    assert "qua_han=1" in html
    # Units lead to the same view one level down.
    assert reverse("reports:insight_aging", args=["GC1"]) + "?ky=2026" in html
    down = as_user(users.department).get(*page_url("GC1", ky="2026"))
    assert [r.unit.code for r in down.context["figures"].rows] == ["GC1-P", "B1"]


@pytest.mark.django_db
def test_the_list_is_longest_first_with_open_stays_marked(tree, known, users, as_user, today):
    client = as_user(users.leader)
    page = dossiers_of(client, "DBK", ky="2026", giai_doan=DECIDED, don_vi="GC1")
    assert [(s.full_name, s.days, s.left_on, s.over) for s in page] == [
        ("Phạm Thị Dung", 34, date(2026, 3, 6), True),
        ("Nguyễn Văn An", 21, None, False),
        ("Trần Thị Bích", 15, None, False),
        ("Hoàng Văn Em", 11, date(2026, 1, 20), False),
    ]
    html = client.get(reverse("reports:insight_aging_dossiers", args=["DBK"]),
                      {"ky": "2026", "giai_doan": DECIDED}).content.decode()
    assert "đang chờ" in html and "06/03/2026" in html
    assert reverse("recruitment:candidate_detail", args=[known.d.pk]) in html
    # A folded search: "tran thi" finds "Trần Thị Bích".
    found = dossiers_of(client, "DBK", ky="2026", giai_doan=DECIDED, q="tran THI")
    assert [s.full_name for s in found] == ["Trần Thị Bích"]
    assert dossiers_of(client, "DBK", ky="2026", giai_doan=DECIDED, q="50%_").paginator.count == 0


def more_dossiers(tree, count):
    """`count` more dossiers over new branches under GC2, each a pool stay and an open
    application."""
    branches = [OrganisationFactory(name=f"Chi bộ thêm {i}", kind=K.BRANCH, parent=tree.gc2)
                for i in range(3)]
    for i in range(count):
        dossier(branches[i % 3], f"Người thêm {i:03d}", [(POOL, date(2026, 1, 5 + i % 20)),
                                                         (APPLIED, date(2026, 3, 2))])


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_dossiers(tree, known, users, as_user, today):
    client = as_user(users.leader)

    def count(url, params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    page = reverse("reports:insight_aging", args=["DBK"])
    drill = reverse("reports:insight_aging_dossiers", args=["DBK"])
    small = count(page, {"ky": "2026"}), count(drill, {"ky": "2026", "giai_doan": POOL})
    more_dossiers(tree, 60)
    assert (count(page, {"ky": "2026"}), count(drill, {"ky": "2026", "giai_doan": POOL})) == small
    # 65 pool stays: 50 on the first page, 15 on the second.
    first = dossiers_of(client, "DBK", ky="2026", giai_doan=POOL)
    assert (first.paginator.count, len(first)) == (65, 50)
    assert len(dossiers_of(client, "DBK", ky="2026", giai_doan=POOL, page="2")) == 15
    assert len(dossiers_of(client, "DBK", ky="2026", giai_doan=POOL, page="abc")) == 50
    # Past the end: the last page (its count read apart).
    last = dossiers_of(client, "DBK", ky="2026", giai_doan=POOL, page="99")
    assert (last.number, len(last), last.paginator.count) == (2, 15, 65)


# Bad input and who may see it -------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("params", [
    {"ky": "2026", "giai_doan": "xyz"},
    {"ky": "2026", "giai_doan": "official"},  # not a waiting stage
    {"ky": "2026"},
    {"ky": "2026", "giai_doan": POOL, "don_vi": "KHONGCO"},
    {"ky": "2026", "giai_doan": POOL, "don_vi": "B1"},  # not a unit of DBK (a grandchild)
    {"ky": "abc", "giai_doan": POOL},
])
def test_bad_list_parameters_are_404(tree, known, users, as_user, today, params):
    response = as_user(users.leader).get(reverse("reports:insight_aging_dossiers",
                                                 args=["DBK"]), params)
    assert response.status_code == 404


@pytest.mark.django_db
def test_unknown_filters_fall_back_to_the_default(tree, known, users, as_user, today):
    client = as_user(users.leader)
    assert client.get(*page_url("DBK", ky="abc")).status_code == 404
    response = client.get(*page_url("DBK", ky="2026", mo="xyz"))
    assert response.status_code == 200 and response.context["figures"].stays == 15
    # qua_han on a stage without a limit lists them all.
    page = dossiers_of(client, "DBK", ky="2026", giai_doan=POOL, qua_han="1", mo="bad")
    assert page.paginator.count == 5


@pytest.mark.django_db
def test_only_leadership_and_the_department_see_it_inside_their_scope(tree, users, as_user,
                                                                      today):
    other = OrganisationFactory(code="KHAC", name="Tỉnh ủy khác", kind=K.UPPER_COMMITTEE)
    drill = {"ky": "2026", "giai_doan": POOL}
    for user in (users.leader, users.department):
        client = as_user(user)
        assert client.get(*page_url("DBK", ky="2026")).status_code == 200
        assert client.get(*page_url("GC2")).status_code == 200
        assert client.get(reverse("reports:insight_aging_dossiers", args=["DBK"]),
                          drill).status_code == 200
        assert client.get(*page_url(other.code)).status_code == 404
        assert client.get(reverse("reports:insight_aging_dossiers", args=[other.code]),
                          drill).status_code == 404
    secretary = as_user(users.secretary)
    assert secretary.get(*page_url("B1")).status_code == 403
    assert secretary.get(reverse("reports:insight_aging_dossiers", args=["B1"]),
                         drill).status_code == 403


# The chart and the workbook ---------------------------------------------------------------

@pytest.mark.django_db
def test_the_heat_map_grows_in_height_and_keeps_long_names_whole_in_titles(tree, known):
    base = aging.compute(scope_of(tree.root))
    long_name = "Đảng bộ Công ty Trách nhiệm hữu hạn Một thành viên Xổ số kiến thiết tỉnh"
    rows = [aging.Row(f"{i:05d}", Organisation(name=long_name if i == 0 else f"Chi bộ {i}",
                                               code=f"X{i}"), list(base.rows[0].cells))
            for i in range(25)]
    small = str(aging.chart(base))
    big = str(aging.chart(aging.AgingFigures(base.organisation, base.period, base.as_of, "",
                                             base.columns, rows, base.total)))

    def height(svg):
        return int(svg.split('viewBox="0 0 ', 1)[1].split('"', 1)[0].split()[1])

    assert height(big) - height(small) == (25 - 3) * aging.ROW_H
    assert f"<title>{long_name}</title>" in big and ">Đảng bộ Công ty Trách nhiệm…<" in big
    assert 'role="img"' in big and "<desc" in big
    # Each cell drawn: median and p90; the over-limit cell outlined and marked.
    assert big.count('stroke="#222" stroke-width="3"') == 25 + 1 + 1  # cells, total, legend
    assert "p90 30,1 !" in big


@pytest.mark.django_db
def test_the_sheet_has_the_same_numbers(tree, known):
    figures = aging.compute(scope_of(tree.root))
    book = Workbook()
    aging.write_sheet(book, figures)
    out = BytesIO()
    book.save(out)
    rows = list(load_workbook(BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    lines = {(r[0], r[1]): r[2:] for r in rows[4:]}
    decided = "Đã có quyết định kết nạp, chờ lễ kết nạp"
    assert lines["Đảng bộ Sở Một", decided] == (30, 4, 18, pytest.approx(30.1), 1)
    assert lines["Tổng cộng", "Quần chúng ưu tú (dự nguồn)"] == (
        None, 5, 5, 8, None)
    assert len(lines) == len(grid(figures))


@pytest.mark.django_db
def test_the_pdf_section_has_no_links_and_fits_a_page(tree, known):
    from django.template.loader import render_to_string

    from reports.insight.views_aging import PDF_ROWS, section_context

    figures = aging.compute(scope_of(tree.root))
    html = render_to_string("reports/insight/_aging_section.html",
                            section_context(figures, pdf=True))
    assert "<a " not in html and "<form" not in html
    assert "hạn 30 ngày LV" in html or "30 ngày LV" in html
    # The whole scope stage by stage: 4 · 18 · 30,1 for the ceremony wait.
    assert "<td class=\"num\">4</td><td class=\"num\">18</td><td class=\"num\">30,1 !" in html
    many = [aging.Row(f"{i:05d}", Organisation(name=f"Chi bộ {i}", code=f"X{i}"),
                      list(figures.rows[0].cells)) for i in range(PDF_ROWS + 5)]
    big = section_context(aging.AgingFigures(figures.organisation, figures.period,
                                             figures.as_of, "", figures.columns, many,
                                             figures.total), pdf=True)
    assert big["more_rows"] == 5 and "Chi bộ 41" not in str(big["chart"])
    assert "… và 5 đơn vị khác: xem tệp XLSX." in render_to_string(
        "reports/insight/_aging_section.html", big)
    # Nine stages per map in the PDF.
    wide = aging.AgingFigures(figures.organisation, figures.period, figures.as_of, "",
                              figures.columns * 3, [], aging.Row("", None,
                                                                 figures.total.cells * 3))
    assert str(aging.chart(wide, 9)).count("<svg") == 2
