"""Outside the user's scope a person is a stranger: an import answers as if they did not
exist. A name and birth date matching only someone outside is no match (the row is a new
person); a unique number held outside gets one neutral answer, the same as any other number
the row cannot use, naming neither the person nor their organisation."""
from datetime import date

from members.models import Member, Role
from recruitment.models import Candidate, Enrolment, TrainingClass
from tests.factories import MemberFactory, UserFactory, grant

from .conftest import MEMBER_HEADERS, candidate_row, candidates_csv, csv_bytes, messages, run_import
from .test_classes_and_learners import LEARNER_HEADERS

CID_TAKEN = "dòng 2, cột Số CCCD: số CCCD này đã có trong hệ thống; liên hệ Ban Tổ chức."
# Up to the ceremony, with no grassroots date: what one person holding both the branch's and
# the department's roles over the branch may record alone.
CEREMONY = {"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
            "Số giấy chứng nhận": "123/GCN", "Ngày chi bộ xét": "10/06/2024",
            "Số quyết định kết nạp": "123-QĐ/ĐU", "Ngày quyết định kết nạp": "15/07/2024",
            "Ngày kết nạp": "01/08/2024"}


def candidate_in(organisation, **fields):
    """A candidate the importing user does not see (set up outside any user's action)."""
    values = dict(full_name="Hoàng Thị Quỳnh Anh", birth_date=date(1995, 5, 17), sex="female",
                  organisation=organisation, added_date=date(2024, 1, 10),
                  stage_date=date(2024, 1, 10), plan_year=2024, citizen_id="001195012345")
    values.update(fields)
    return Candidate.objects.create(**values)


def test_a_cccd_held_outside_the_scope_gets_the_neutral_answer(users, tree, branch_members):
    candidate_in(tree.b3, full_name="Người Ở Chi Bộ Ba")
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert messages(outcome) == [CID_TAKEN]
    assert "B3" not in CID_TAKEN and "Người Ở" not in CID_TAKEN
    assert Candidate.objects.get().organisation == tree.b3


def test_a_name_matching_only_someone_outside_the_scope_is_a_new_candidate(users, tree,
                                                                           branch_members):
    stranger = candidate_in(tree.b3, citizen_id=None)
    row = candidate_row(**{"Số CCCD": ""})
    outcome = run_import("candidates", candidates_csv(row), users.secretary)
    assert outcome.ok and outcome.created == 1, messages(outcome)
    assert Candidate.objects.filter(full_name=stranger.full_name).count() == 2
    stranger.refresh_from_db()
    assert stranger.organisation == tree.b3


def test_a_member_cccd_outside_the_scope_or_tied_to_another_dossier_reads_the_same(users, tree):
    both = UserFactory(username="bithu.kiem.bantochuc")
    grant(both, Role.BRANCH_SECRETARY, tree.b1)
    grant(both, Role.ORG_DEPARTMENT, tree.b1)
    MemberFactory(organisation=tree.b3, citizen_id="001195012345")
    outside = messages(run_import("candidates", candidates_csv(candidate_row(**CEREMONY)), both))
    tied = MemberFactory(organisation=tree.b1, citizen_id="001195099999")
    candidate_in(tree.b1, full_name="Hồ Sơ Khác", citizen_id=None, member=tied)
    row = candidate_row(**CEREMONY, **{"Số CCCD": "001195099999"})
    taken = messages(run_import("candidates", candidates_csv(row), both))
    assert outside == taken == [CID_TAKEN]
    row = candidate_row(**CEREMONY, **{"Số CCCD": "001195077777"})
    assert run_import("candidates", candidates_csv(row), both).ok


def test_a_card_number_held_outside_the_scope_gets_the_neutral_answer(users, tree, members):
    row = [members.m1.full_name, "17/05/1990", "Nam", "", "", "B1", members.m3.card_number,
           "02/03/2015", "02/03/2016", ""]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.secretary)) == [
        "dòng 2, cột Số thẻ đảng viên: số thẻ đảng viên này đã có trong hệ thống; liên hệ Ban Tổ "
        "chức."]


def test_a_member_name_matching_only_someone_outside_the_scope_is_a_new_member(users, tree,
                                                                               members):
    staff = UserFactory(username="bantochuc.gc1")
    grant(staff, Role.ORG_DEPARTMENT, tree.gc1)
    row = [members.m3.full_name, "17/05/1990", "Nam", "", "", "B1", "", "02/03/2015", "", ""]
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [row]), staff)
    assert outcome.ok and outcome.created == 1, messages(outcome)
    members.m3.refresh_from_db()
    assert members.m3.organisation == tree.b3
    assert Member.objects.filter(full_name=members.m3.full_name).count() == 2


def test_a_learner_outside_the_scope_is_not_found(users, tree, branch_members):
    staff = UserFactory(username="bantochuc.gc1")
    grant(staff, Role.ORG_DEPARTMENT, tree.gc1)
    stranger = candidate_in(tree.b3)
    TrainingClass.objects.create(
        code="L1", kind="awareness", organiser=tree.root, course_number="1", year=2024,
        start_date=date(2024, 3, 4), end_date=date(2024, 3, 8))
    rows = [["L1", stranger.full_name, "17/05/1995", "Đạt", "12/GCN"]]
    assert messages(run_import("enrolments", csv_bytes(LEARNER_HEADERS, rows), staff)) == [
        "dòng 2, cột Họ và tên: không tìm thấy quần chúng tên này, sinh ngày này thuộc DBK."]
    assert not Enrolment.objects.exists()
