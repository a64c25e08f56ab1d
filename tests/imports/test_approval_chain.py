"""An imported step is judged by the workflow table like a typed one: a file only carries the
steps that the importing user's roles over the branch may take (a branch secretary records
the pool, certificates, the branch vote, the ceremony; decisions belong to the organisation
department; administrators and the command line record everything)."""
from members.models import Member, Role
from recruitment.models import Candidate, Decision, Stage, StageEvent
from tests.factories import UserFactory, grant

from .conftest import (
    MEMBER_HEADERS,
    candidate_row,
    candidates_csv,
    csv_bytes,
    full_history,
    messages,
    run_import,
)

DECISION = {"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
            "Số giấy chứng nhận": "123/GCN", "Ngày chi bộ xét": "10/06/2024",
            "Số quyết định kết nạp": "123-QĐ/ĐU", "Ngày quyết định kết nạp": "15/07/2024"}


def test_a_secretary_cannot_import_the_decisions_of_the_upper_committee(users, helper):
    row = full_history(**{"Ngày đảng ủy cơ sở xét": ""})
    outcome = run_import("candidates", candidates_csv(row), users.secretary)
    assert messages(outcome) == [
        "dòng 2, cột Ngày quyết định kết nạp: ghi bước “Quyết định kết nạp” cần vai trò Cán bộ "
        "Ban Tổ chức.",
        "dòng 2, cột Ngày công nhận chính thức: ghi bước “Quyết định công nhận đảng viên chính "
        "thức” cần vai trò Cán bộ Ban Tổ chức.",
    ]
    assert not Candidate.objects.exists() and not Decision.objects.exists()
    assert not Member.objects.exclude(pk=helper.pk).exists()


def test_a_secretary_cannot_import_the_grassroots_committee_resolution(users, helper):
    row = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
                           "Ngày chi bộ xét": "10/06/2024", "Ngày đảng ủy cơ sở xét": "20/06/2024"})
    assert messages(run_import("candidates", candidates_csv(row), users.secretary)) == [
        "dòng 2, cột Ngày đảng ủy cơ sở xét: ghi bước “Ghi nghị quyết đảng ủy cơ sở, gửi cấp "
        "trên” cần vai trò Văn phòng đảng ủy cơ sở."]


def test_a_secretary_imports_the_steps_of_the_branch(users, helper):
    row = candidate_row(**{"Đảng viên theo dõi, giúp đỡ": "HELPER01",
                           "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
                           "Ngày chi bộ xét": "10/06/2024"})
    outcome = run_import("candidates", candidates_csv(row), users.secretary)
    assert outcome.ok, messages(outcome)
    assert Candidate.objects.get().stage == Stage.BRANCH_VOTED
    assert [e.action for e in StageEvent.objects.order_by("pk")] == [
        "add_to_pool", "assign_helper", "record_awareness_certificate", "branch_vote"]


def test_a_secretary_withdraws_but_cannot_remove_a_probationary_member(users, helper):
    withdrawn = candidate_row(**{"Trạng thái kết thúc": "Rút khỏi danh sách",
                                 "Ngày kết thúc": "01/03/2024"})
    assert run_import("candidates", candidates_csv(withdrawn), users.secretary).ok
    removed = full_history(**{"Số CCCD": "001195099999", "Ngày hoàn thành lớp đảng viên mới": "",
                              "Số quyết định công nhận chính thức": "",
                              "Ngày công nhận chính thức": "", "Ngày quyết định công nhận": "",
                              "Trạng thái kết thúc": "Xóa tên", "Ngày kết thúc": "01/12/2024"})
    assert run_import("candidates", candidates_csv(removed), users.admin, legacy=True).ok
    again = dict(removed, **{"Số CCCD": "001195088888"})
    assert "dòng 2, cột Trạng thái kết thúc: ghi bước “Quyết định xóa tên khỏi danh sách đảng " \
           "viên dự bị” cần vai trò Cán bộ Ban Tổ chức." in messages(
               run_import("candidates", candidates_csv(again), users.secretary))


def test_the_department_records_the_decision_on_a_dossier_the_branch_sent_up(users, helper):
    sent_up = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
                               "Ngày chi bộ xét": "10/06/2024",
                               "Ngày đảng ủy cơ sở xét": "20/06/2024"})
    assert run_import("candidates", candidates_csv(sent_up), users.admin).ok
    decided = dict(sent_up, **{"Số quyết định kết nạp": "123-QĐ/ĐU",
                               "Ngày quyết định kết nạp": "15/07/2024"})
    outcome = run_import("candidates", candidates_csv(decided), users.department)
    assert outcome.ok, messages(outcome)
    assert Candidate.objects.get().stage == Stage.ADMISSION_DECIDED
    assert Decision.objects.get().number == "123-QĐ/ĐU"
    assert StageEvent.objects.get(action="approve_admission").actor == users.department


def test_the_department_cannot_put_someone_in_the_pool_or_record_a_branch_vote(users, helper):
    assert messages(run_import("candidates", candidates_csv(candidate_row()),
                               users.department)) == [
        "dòng 2, cột Ngày vào danh sách dự nguồn: ghi bước “Đưa vào danh sách quần chúng ưu tú” "
        "cần vai trò Bí thư chi bộ."]
    assert not Candidate.objects.exists()


def test_a_secretary_who_is_also_department_staff_records_both_kinds_of_step(users, helper, tree):
    grant(users.secretary, Role.ORG_DEPARTMENT, tree.gc1)
    row = candidate_row(**DECISION, **{"Ngày đảng ủy cơ sở xét": ""})
    outcome = run_import("candidates", candidates_csv(row), users.secretary)
    assert outcome.ok, messages(outcome)
    assert Candidate.objects.get().stage == Stage.ADMISSION_DECIDED


def test_the_administrator_role_and_the_command_line_carry_every_step(users, helper, tree):
    administrator = UserFactory(username="quantri.vien")
    grant(administrator, Role.ADMINISTRATOR, tree.root)
    assert run_import("candidates", candidates_csv(full_history()), administrator).ok
    other = full_history(**{"Số CCCD": "001195099999", "Họ và tên": "Người Khác"})
    assert run_import("candidates", candidates_csv(other), None).ok
    assert Candidate.objects.filter(stage=Stage.OFFICIAL).count() == 2


def test_the_measured_side_door_is_closed(users, tree, branch_members, walk):
    """A secretary's file with decision columns, on a dossier built in the app: the page
    refuses the secretary the decision, and so does the import."""
    from tests.recruitment.conftest import make_candidate

    candidate = walk(make_candidate(users, tree.b1), until="record_awareness_certificate")
    assert candidate.stage == Stage.HELPER_ASSIGNED
    row = candidate_row(**DECISION, **{"Đảng viên theo dõi, giúp đỡ":
                                       branch_members.officials[0].card_number})
    assert not run_import("candidates", candidates_csv(row), users.secretary).ok
    candidate.refresh_from_db()
    assert candidate.stage == Stage.HELPER_ASSIGNED
    assert not Decision.objects.exists()


# Members: a new member or a changed admission or official date is a decision.

def member(card="0001", branch="B1", name="Nguyễn Văn An", admitted="02/03/2015",
           official="02/03/2016", profession=""):
    return [name, "17/05/1990", "Nam", "", "", branch, card, admitted, official, profession]


def test_a_secretary_cannot_create_a_member(users, tree):
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [member()]), users.secretary)
    assert messages(outcome) == [
        "dòng 2, cột Họ và tên: không có đảng viên này trong phạm vi của bạn; thêm một đảng viên "
        "là ghi quyết định kết nạp, cần vai trò Cán bộ Ban Tổ chức."]
    assert not Member.objects.exists()


def test_a_secretary_cannot_change_admission_or_official_dates(users, tree):
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [member()]), users.department).ok
    rows = [member(admitted="02/03/2014"), member(official="")]
    for row in rows:
        errors = messages(run_import("members", csv_bytes(MEMBER_HEADERS, [row]),
                                     users.secretary))
        assert len(errors) == 1 and "cần vai trò Cán bộ Ban Tổ chức" in errors[0], errors
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, [rows[1]]),
                               users.secretary)) == [
        "dòng 2, cột Ngày chính thức: sửa ngày vào Đảng hoặc ngày chính thức là ghi quyết định "
        "kết nạp hoặc công nhận chính thức, cần vai trò Cán bộ Ban Tổ chức (đang ghi "
        "“02/03/2016”)."]
    m = Member.objects.get()
    assert (str(m.admitted_date), str(m.official_date), m.status) == (
        "2015-03-02", "2016-03-02", "official")


def test_a_secretary_updates_the_other_columns_of_a_member_of_the_branch(users, tree):
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [member()]), users.department).ok
    row = member(name="Nguyễn Văn Ân", profession="Kỹ sư")
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.secretary)
    assert outcome.ok and outcome.updated == 1, messages(outcome)
    m = Member.objects.get()
    assert (m.full_name, m.profession) == ("Nguyễn Văn Ân", "Kỹ sư")


def test_the_department_changes_the_dates_of_a_member_loaded_from_a_file(users, tree):
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [member(official="")]),
                      users.department).ok
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [member()]), users.department)
    assert outcome.ok and Member.objects.get().status == "official"


def test_nobody_rewrites_the_dates_of_a_member_admitted_through_the_app(users, helper):
    assert run_import("candidates", candidates_csv(full_history()), users.admin).ok
    made = Candidate.objects.get().member
    made.card_number = "0777"
    made.save()
    row = member(card="0777", name=made.full_name, admitted="01/08/2023", official="01/08/2024")
    row[1] = "17/05/1995"
    for user in (users.department, users.admin):
        assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, [row]), user)) == [
            "dòng 2, cột Ngày vào Đảng: đảng viên này được kết nạp theo hồ sơ trên ứng dụng; "
            "ngày vào Đảng và ngày chính thức lấy từ hồ sơ, không sửa bằng nhập tệp (đang ghi "
            "“01/08/2024”)."]
    made.refresh_from_db()
    assert str(made.admitted_date) == "2024-08-01"
