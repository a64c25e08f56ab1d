"""Members are keyed by card number, else by name and birth date: a known member is updated,
an identical one left unchanged, a new one created with the search name filled."""
from datetime import date

from members.models import Member, MemberStatus

from .conftest import MEMBER_HEADERS, csv_bytes, messages, run_import


def test_members_are_created_updated_or_left_unchanged(users, members):
    rows = [
        ["Nguyễn Thị Đào", "17/05/1990", "Nam", "Kinh", "Không", "B1", members.m1.card_number,
         "02/03/2015", "02/03/2016", ""],  # as stored
        ["Lê Minh Châu", "17/05/1990", "Nam", "Tày", "Không", "B3", members.m3.card_number,
         "02/03/2015", "02/03/2016", "Kỹ sư"],  # ethnicity and profession change
        ["Đỗ Thị Mới", "01/01/2000", "Nữ", "", "", "B3", "", "05/05/2025", "", ""],
    ]
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, rows), users.admin)
    assert outcome.ok, messages(outcome)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 1)
    members.m3.refresh_from_db()
    assert (members.m3.ethnicity, members.m3.qualification, members.m3.profession) == (
        "Tày", "university", "Kỹ sư")
    new = Member.objects.get(full_name="Đỗ Thị Mới")
    assert (new.search_name, new.status, new.ethnicity, new.religion) == (
        "do thi moi", MemberStatus.PROBATIONARY, "Kinh", "Không")
    assert new.card_number is None


def test_an_official_date_makes_the_member_official(users, tree):
    row = ["Đỗ Thị Mới", "01/01/2000", "Nữ", "", "", "B3", "", "05/05/2023", "05/05/2024", ""]
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.admin).ok
    m = Member.objects.get()
    assert (m.status, m.official_date) == (MemberStatus.OFFICIAL, date(2024, 5, 5))


def test_a_member_must_sit_in_a_branch_and_dates_must_hold(users, tree):
    rows = [["Đỗ Thị Mới", "01/01/2000", "Nữ", "", "", "GC1", "", "05/05/2023", "", ""],
            ["Đỗ Văn Hai", "01/01/2000", "Nam", "", "", "B1", "", "05/05/2023", "05/05/2022", ""]]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, rows), users.admin)) == [
        "dòng 2, cột Mã tổ chức: “GC1” là đảng bộ cơ sở, không phải chi bộ.",
        "dòng 3, cột Ngày chính thức: ngày chính thức không thể trước ngày vào Đảng.",
    ]


def test_a_required_cell_left_empty_is_an_error(users, tree):
    row = ["", "01/01/2000", "Nữ", "", "", "B1", "", "05/05/2023", "", ""]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.admin)) == [
        "dòng 2, cột Họ và tên: cột bắt buộc, không được để trống."]
