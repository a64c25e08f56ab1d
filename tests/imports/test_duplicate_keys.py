"""The same key twice in one file is an error on the second row (which row it repeats)."""
from .conftest import (
    MEMBER_HEADERS,
    ORG_HEADERS,
    candidate_row,
    candidates_csv,
    csv_bytes,
    messages,
    run_import,
)


def test_the_same_organisation_code_twice_is_an_error(users, tree):
    rows = [["B7", "Chi bộ Bảy", "Chi bộ trực thuộc", "GC1", ""],
            ["b7", "Chi bộ Bảy (lặp)", "Chi bộ trực thuộc", "GC1", ""]]
    assert messages(run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin)) == [
        "dòng 3, cột Mã tổ chức: trùng với dòng 2 (cùng khóa nhận diện)."]


def test_a_member_without_a_card_is_keyed_by_name_and_birth_date(users, tree):
    row = ["Nguyễn Văn An", "17/05/1990", "Nam", "", "", "B1", "", "02/03/2015", "", ""]
    other = ["Nguyễn Văn An", "18/05/1990", "Nam", "", "", "B1", "", "02/03/2015", "", ""]
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [row, other, row]), users.admin)
    assert messages(outcome) == ["dòng 4, cột Họ và tên: trùng với dòng 2 (cùng khóa nhận diện)."]


def test_the_same_citizen_id_twice_is_an_error(users, tree):
    first = candidate_row()
    second = candidate_row(**{"Họ và tên": "Người Khác"})
    assert messages(run_import("candidates", candidates_csv(first, second), users.admin)) == [
        "dòng 3, cột Số CCCD: trùng với dòng 2 (cùng khóa nhận diện)."]
