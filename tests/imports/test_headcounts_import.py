"""Staff headcounts from files: the headcounts file keyed by unit and date (a known date
corrects its count), and the organisations file's `Số cán bộ, công chức`, which is the count
in force today: stored from the start for a unit without one, from the import's day when it
changes, and exported as it stands today."""
from datetime import date, timedelta

from django.utils import timezone

from members.models import FROM_THE_START, Role, StaffHeadcount
from tests.factories import UserFactory, grant

from .conftest import ORG_HEADERS, csv_bytes, export_bytes, messages, run_import

HEADERS = ["Mã tổ chức", "Từ ngày", "Số cán bộ, công chức"]


def rows_of(unit):
    return list(StaffHeadcount.objects.filter(organisation=unit).order_by("valid_from")
                .values_list("valid_from", "staff"))


def test_headcounts_are_created_corrected_or_left_unchanged(users, tree):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2024, 1, 1), staff=10)
    StaffHeadcount.objects.create(organisation=tree.b2, valid_from=date(2024, 1, 1), staff=7)
    data = csv_bytes(HEADERS, [["B1", "01/01/2024", "12"], ["B2", "01/01/2024", "7"],
                               ["B1", "01/01/2025", "1.234"], ["GC1", "15/02/2024", "60"]])
    outcome = run_import("headcounts", data, users.department)
    assert outcome.ok, messages(outcome)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 1, 1)
    assert rows_of(tree.b1) == [(date(2024, 1, 1), 12), (date(2025, 1, 1), 1234)]
    assert rows_of(tree.gc1) == [(date(2024, 2, 15), 60)]
    corrected = StaffHeadcount.objects.get(organisation=tree.b1, valid_from=date(2024, 1, 1))
    assert corrected.imported and corrected.actor == users.department
    again = run_import("headcounts", data, users.department)
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 4)


def test_bad_headcount_rows_are_all_reported_and_nothing_written(users, tree):
    gc1_department = UserFactory(username="bantochuc-gc1")
    grant(gc1_department, Role.ORG_DEPARTMENT, tree.gc1)
    future = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    data = csv_bytes(HEADERS, [["B1", future, "5"], ["B3", "01/01/2024", "5"],
                               ["XX", "01/01/2024", "5"], ["B1", "01/01/2024", "-3"],
                               ["B2", "", "4"], ["B2", "01/01/2024", "4"],
                               ["B2", "01/01/2024", "5"]])
    assert messages(run_import("headcounts", data, gc1_department)) == [
        f"dòng 2, cột Từ ngày: ngày {future} là ngày trong tương lai.",
        "dòng 3, cột Mã tổ chức: “B3” nằm ngoài phạm vi bạn được phân quyền nhập dữ liệu.",
        "dòng 4, cột Mã tổ chức: không có tổ chức nào mã “XX”.",
        "dòng 5, cột Số cán bộ, công chức: “-3” không phải số nguyên không âm.",
        "dòng 6, cột Từ ngày: cột bắt buộc, không được để trống.",
        "dòng 8, cột Mã tổ chức: trùng với dòng 7 (cùng khóa nhận diện).",
    ]
    assert not StaffHeadcount.objects.exists()


def test_a_headcounts_export_reimports_unchanged(users, tree, client):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=FROM_THE_START, staff=10)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2024, 1, 1), staff=12)
    client.force_login(users.department)
    exported = export_bytes(client, "headcounts")
    assert exported.decode("utf-8-sig").splitlines() == [
        'Mã tổ chức,Từ ngày,"Số cán bộ, công chức"', "B1,03/02/1930,10", "B1,01/01/2024,12"]
    outcome = run_import("headcounts", exported, users.department)
    assert (outcome.ok, outcome.unchanged) == (True, 2)


def test_the_organisations_file_stores_a_first_headcount_from_the_start(users, tree):
    rows = [["B1", "Chi bộ Một", "Chi bộ trực thuộc", "GC1", "9"],
            ["B9", "Chi bộ Chín", "Chi bộ trực thuộc", "GC1", "4"]]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.department)
    assert outcome.ok, messages(outcome)
    assert (outcome.created, outcome.updated) == (1, 1)
    assert rows_of(tree.b1) == [(FROM_THE_START, 9)]
    assert rows_of(tree.gc1.children.get(code="B9")) == [(FROM_THE_START, 4)]


def test_a_changed_headcount_holds_from_the_day_of_the_import(users, tree):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2020, 1, 1), staff=9)
    today = timezone.localdate()
    same = [["B1", "Chi bộ Một", "Chi bộ trực thuộc", "GC1", "9"]]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, same), users.department)
    assert (outcome.unchanged, rows_of(tree.b1)) == (1, [(date(2020, 1, 1), 9)])
    changed = [["B1", "Chi bộ Một", "Chi bộ trực thuộc", "GC1", "11"]]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, changed), users.department)
    assert (outcome.ok, outcome.updated) == (True, 1)
    assert rows_of(tree.b1) == [(date(2020, 1, 1), 9), (today, 11)]
    # Typed again the same day: that day's row is corrected, not doubled.
    changed[0][4] = "12"
    assert run_import("organisations", csv_bytes(ORG_HEADERS, changed), users.department).ok
    assert rows_of(tree.b1) == [(date(2020, 1, 1), 9), (today, 12)]


def test_an_empty_headcount_cell_leaves_the_headcount_as_it_is(users, tree):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2020, 1, 1), staff=9)
    rows = [["B1", "Chi bộ Một", "Chi bộ trực thuộc", "GC1", ""]]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.department)
    assert (outcome.ok, outcome.unchanged) == (True, 1)
    assert rows_of(tree.b1) == [(date(2020, 1, 1), 9)]


def test_the_organisations_export_writes_the_headcount_in_force_today(users, tree, client):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=FROM_THE_START, staff=9)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2024, 1, 1), staff=11)
    client.force_login(users.department)
    lines = export_bytes(client, "organisations", root="GC1").decode("utf-8-sig").splitlines()
    assert "B1,Chi bộ Một,Chi bộ trực thuộc,GC1,11" in lines
    assert "B2,Chi bộ Hai,Chi bộ trực thuộc,GC1-P," in lines
