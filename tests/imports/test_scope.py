"""Branch secretaries import into their own branch only, organisation-department staff into
their subtree, administrators anywhere. Rows outside the scope are errors, not skipped."""
import pytest

from members import importing
from members.models import Member, Role
from recruitment.models import Candidate
from tests.factories import UserFactory, grant

from .conftest import MEMBER_HEADERS, candidate_row, candidates_csv, csv_bytes, messages, run_import


def member_row(branch, card):
    return ["Nguyễn Văn An", "17/05/1990", "Nam", "", "", branch, card, "02/03/2015", "", ""]


def test_a_branch_secretary_imports_into_their_own_branch_only(users, tree, members):
    rows = [member_row("B1", members.m1.card_number), member_row("B3", "0002")]
    rows[0][0], rows[0][8], rows[0][9] = members.m1.full_name, "02/03/2016", "Thạc sĩ Luật"
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, rows), users.secretary)
    assert messages(outcome) == [
        "dòng 3, cột Mã tổ chức: “B3” nằm ngoài phạm vi bạn được phân quyền nhập dữ liệu."]
    assert Member.objects.get(pk=members.m1.pk).profession == ""
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, rows[:1]), users.secretary)
    assert outcome.ok and outcome.updated == 1
    members.m1.refresh_from_db()
    assert members.m1.profession == "Thạc sĩ Luật"


def test_department_staff_import_into_their_subtree(users, tree):
    staff = UserFactory(username="bantochuc.gc1")
    grant(staff, Role.ORG_DEPARTMENT, tree.gc1)
    rows = [member_row("B2", "0001"), member_row("CBCS", "0002")]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, rows), staff)) == [
        "dòng 3, cột Mã tổ chức: “CBCS” nằm ngoài phạm vi bạn được phân quyền nhập dữ liệu."]


def test_an_administrator_imports_anywhere(users, tree):
    rows = [member_row("B2", "0001"), member_row("CBCS", "0002"), member_row("B3", "0003")]
    assert run_import("members", csv_bytes(MEMBER_HEADERS, rows), users.admin).ok


def test_a_row_updating_someone_outside_the_scope_is_an_error(users, tree, members):
    # Moving Lê Minh Châu (B3) into the secretary's branch would reach outside the scope.
    row = ["Lê Minh Châu", "17/05/1990", "Nam", "", "", "B1", members.m3.card_number,
           "02/03/2015", "", ""]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.secretary)) == [
        "dòng 2, cột Số thẻ đảng viên: số thẻ đảng viên này đã có trong hệ thống; liên hệ Ban "
        "Tổ chức."]


def test_a_secretary_cannot_import_candidates_of_another_branch(users, tree):
    outcome = run_import("candidates", candidates_csv(candidate_row(**{"Mã tổ chức": "B2"})),
                         users.secretary)
    assert messages(outcome) == [
        "dòng 2, cột Mã tổ chức: “B2” nằm ngoài phạm vi bạn được phân quyền nhập dữ liệu."]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(("who", "kinds"), [
    ("secretary", ["members", "candidates"]),
    ("department", ["organisations", "members", "headcounts", "movements", "candidates",
                    "classes", "enrolments", "targets"]),
    ("office", []),
    ("leader", []),
    ("nobody", []),
])
def test_each_role_imports_only_the_kinds_it_keeps(users, who, kinds):
    assert importing.kinds_for(getattr(users, who)) == kinds


def test_only_administrators_create_a_new_top_organisation(users, tree):
    from .conftest import ORG_HEADERS

    rows = [["TINH2", "Đảng bộ tỉnh khác", "Đảng bộ cấp trên", "", ""]]
    assert messages(run_import("organisations", csv_bytes(ORG_HEADERS, rows),
                               users.department)) == [
        "dòng 2, cột Mã tổ chức cấp trên: chỉ quản trị hệ thống được tạo hoặc chuyển một tổ "
        "chức lên cấp cao nhất."]
    assert run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin).ok
