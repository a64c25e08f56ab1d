"""Codes must exist, and a parent code must not put an organisation under itself."""
from members.models import Organisation

from .conftest import ORG_HEADERS, csv_bytes, messages, run_import

BRANCH = "Chi bộ trực thuộc"


def test_an_unknown_organisation_code_is_an_error(users, tree):
    rows = [["B7", "Chi bộ Bảy", BRANCH, "KHONG-CO", ""]]
    assert messages(run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin)) == [
        "dòng 2, cột Mã tổ chức cấp trên: không có tổ chức nào mã “KHONG-CO”."]


def test_an_unknown_branch_code_in_a_members_file_is_an_error(users, tree):
    from .conftest import MEMBER_HEADERS

    row = ["Nguyễn Văn An", "17/05/1990", "Nam", "", "", "B99", "", "02/03/2015", "", ""]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.admin)) == [
        "dòng 2, cột Mã tổ chức: không có tổ chức nào mã “B99”."]


def test_a_parent_below_the_organisation_itself_makes_a_cycle(users, tree):
    rows = [["GC1", "Đảng bộ Sở Một", "Đảng bộ cơ sở", "GC1-P", ""]]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin)
    assert messages(outcome) == [
        "dòng 2, cột Mã tổ chức cấp trên: “GC1-P” là GC1 hoặc nằm dưới GC1: chọn làm cấp trên "
        "sẽ tạo vòng lặp."]
    assert Organisation.objects.get(code="GC1").parent == tree.root


def test_two_new_organisations_naming_each_other_as_parent_make_a_cycle(users, tree):
    rows = [["X1", "Đảng bộ X1", "Đảng bộ cấp trên", "X2", ""],
            ["X2", "Đảng bộ X2", "Đảng bộ cấp trên", "X1", ""]]
    errors = messages(run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin))
    assert len(errors) == 2 and all("tạo vòng lặp" in e for e in errors)


def test_an_organisation_cannot_be_its_own_parent(users, tree):
    rows = [["B1", "Chi bộ Một", BRANCH, "B1", ""]]
    assert "tạo vòng lặp" in messages(
        run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin))[0]


def test_a_kind_that_cannot_sit_under_its_parent_is_an_error(users, tree):
    rows = [["B8", "Chi bộ Tám", BRANCH, "DBK", ""]]
    assert messages(run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin)) == [
        "dòng 2, cột Loại: Chi bộ trực thuộc không thể trực thuộc Đảng bộ cấp trên."]
