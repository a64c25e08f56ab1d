"""A candidate row carries its history: one imported event per filled date, the stage of the
furthest step, the member from the ceremony, the decisions, and (in a load of old paper
records) warnings for broken rules. A whole history spans the steps of every role, so the
administrator loads it."""
from datetime import date

from members.models import Member, MemberStatus
from recruitment.models import Candidate, Decision, RuleParameter, Stage, StageEvent

from .conftest import candidate_row, candidates_csv, full_history, messages, run_import


def test_a_full_history_lands_official_with_one_imported_event_per_date(users, helper):
    outcome = run_import("candidates", candidates_csv(full_history()), users.admin)
    assert outcome.ok, messages(outcome)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 0, 0)
    c = Candidate.objects.get(citizen_id="001195012345")
    assert c.stage == Stage.OFFICIAL
    assert c.stage_date == date(2025, 9, 1)
    assert c.probation_end == date(2025, 8, 1)
    assert c.awareness_cert_expires == date(2029, 3, 15)
    events = list(c.events.order_by("pk"))
    assert [(e.action, e.from_stage, e.to_stage, e.event_date) for e in events] == [
        ("add_to_pool", "source_pool", "source_pool", date(2024, 1, 10)),
        ("assign_helper", "source_pool", "helper_assigned", date(2024, 1, 10)),
        ("record_awareness_certificate", "helper_assigned", "sympathiser", date(2024, 3, 15)),
        ("branch_vote", "sympathiser", "branch_voted", date(2024, 6, 10)),
        ("grassroots_resolution", "branch_voted", "at_upper", date(2024, 6, 20)),
        ("approve_admission", "at_upper", "admission_decided", date(2024, 7, 15)),
        ("hold_ceremony", "admission_decided", "probationary", date(2024, 8, 1)),
        ("record_new_member_certificate", "probationary", "probationary", date(2025, 1, 10)),
        ("approve_recognition", "probationary", "official", date(2025, 9, 1)),
    ]
    assert all(e.imported and e.actor == users.admin for e in events)
    assert events[5].document_number == "123-QĐ/ĐU" and events[5].document_form == "9-KNĐ"
    member = c.member
    assert member.status == MemberStatus.OFFICIAL
    assert (member.admitted_date, member.official_date) == (date(2024, 8, 1), date(2025, 8, 1))
    assert member.search_name == "hoang thi quynh anh"
    assert c.search_name == "hoang thi quynh anh"
    assert c.helper == helper
    decisions = {d.kind: d for d in Decision.objects.filter(candidate=c)}
    assert decisions["admission"].number == "123-QĐ/ĐU"
    assert decisions["recognition"].decision_date == date(2025, 9, 1)
    assert decisions["admission"].decided_by.code == "DBK"  # the upper committee


def test_the_latest_filled_date_decides_the_stage(users, helper):
    row = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
                           "Ngày chi bộ xét": "10/06/2024"})
    assert run_import("candidates", candidates_csv(row), users.admin).ok
    c = Candidate.objects.get()
    assert (c.stage, c.stage_date) == (Stage.BRANCH_VOTED, date(2024, 6, 10))
    assert c.member is None


def test_a_probationary_history_makes_a_probationary_member_with_a_deadline(users, helper):
    row = full_history(**{"Ngày hoàn thành lớp đảng viên mới": "",
                          "Số quyết định công nhận chính thức": "",
                          "Ngày công nhận chính thức": "", "Ngày quyết định công nhận": ""})
    assert run_import("candidates", candidates_csv(row), users.admin).ok
    c = Candidate.objects.get()
    assert c.stage == Stage.PROBATIONARY
    assert c.member.status == MemberStatus.PROBATIONARY and c.member.official_date is None
    assert c.due_date is not None and c.due_date > c.probation_end


def test_a_ceremony_date_without_a_decision_date_is_an_error(users, helper):
    row = full_history(**{"Ngày quyết định kết nạp": "", "Số quyết định kết nạp": ""})
    outcome = run_import("candidates", candidates_csv(row), users.admin)
    assert messages(outcome) == [
        "dòng 2, cột Ngày quyết định kết nạp: có ngày kết nạp 01/08/2024 nhưng thiếu ngày "
        "quyết định kết nạp."]
    assert not Candidate.objects.exists() and not StageEvent.objects.exists()


def test_an_end_status_needs_its_date_and_fits_the_stage(users, helper):
    rows = [
        candidate_row(**{"Số CCCD": "001195000001", "Trạng thái kết thúc": "Rút khỏi danh sách"}),
        candidate_row(**{"Số CCCD": "001195000002", "Trạng thái kết thúc": "Xóa tên",
                         "Ngày kết thúc": "01/02/2024"}),
    ]
    errors = messages(run_import("candidates", candidates_csv(*rows), users.admin))
    assert errors == [
        "dòng 2, cột Ngày kết thúc: trạng thái kết thúc và ngày kết thúc phải ghi cùng nhau.",
        "dòng 3, cột Trạng thái kết thúc: “Xóa tên” chỉ dùng cho đảng viên dự bị (cần ngày kết "
        "nạp).",
    ]


def test_a_withdrawn_candidate_ends_with_an_imported_withdrawal(users, helper):
    row = candidate_row(**{"Trạng thái kết thúc": "Rút khỏi danh sách",
                           "Ngày kết thúc": "01/03/2024"})
    assert run_import("candidates", candidates_csv(row), users.admin).ok
    c = Candidate.objects.get()
    assert (c.stage, c.stage_date) == (Stage.WITHDRAWN, date(2024, 3, 1))
    assert c.events.last().action == "withdraw"


def test_old_records_that_broke_a_rule_are_loaded_with_a_warning_on_the_event(users, helper):
    # 17 years and 11 months at the branch vote; the certificate is 6 years old by then.
    row = full_history(**{"Ngày sinh": "11/07/2006", "Số CCCD": "001206012345",
                          "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2018",
                          "Ngày chi bộ xét": "10/06/2024"})
    outcome = run_import("candidates", candidates_csv(row), users.admin, legacy=True)
    assert outcome.ok, messages(outcome)
    vote = StageEvent.objects.get(action="branch_vote")
    codes = [w["code"] for w in vote.warnings]
    assert codes == ["AGE_MIN", "CERT_VALID"]
    assert vote.warnings[0]["citation"].startswith("Điều lệ Đảng, Điều 1")
    assert any("dòng 2, cột Ngày chi bộ xét: [AGE_MIN]" in str(w) for w in outcome.warnings)


def test_rules_are_judged_with_the_parameters_in_force_on_the_date(users, helper):
    # Until 2020 the certificate stayed valid only 36 months in this (invented) history.
    RuleParameter.objects.create(code="CERT_VALID_MONTHS", value=36,
                                 effective_from=date(2010, 1, 1), source="thử")
    RuleParameter.objects.create(code="CERT_VALID_MONTHS", value=60,
                                 effective_from=date(2020, 1, 1), source="thử")
    old = candidate_row(**{"Số CCCD": "001190000001", "Ngày sinh": "01/01/1990",
                           "Ngày vào danh sách dự nguồn": "01/01/2015",
                           "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "01/02/2015",
                           "Ngày chi bộ xét": "01/06/2019"})  # 52 months: too old in 2019
    new = candidate_row(**{"Số CCCD": "001190000002", "Ngày sinh": "01/01/1990",
                           "Ngày vào danh sách dự nguồn": "01/01/2020",
                           "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "01/02/2020",
                           "Ngày chi bộ xét": "01/06/2024"})  # 52 months: fine in 2024
    assert run_import("candidates", candidates_csv(old, new), users.admin, legacy=True).ok
    warned = {e.candidate.citizen_id: [w["code"] for w in e.warnings]
              for e in StageEvent.objects.filter(action="branch_vote")}
    assert warned == {"001190000001": ["CERT_VALID"], "001190000002": []}


def test_old_records_with_dates_out_of_order_are_kept_with_a_date_order_warning(users, helper):
    row = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
                           "Ngày chi bộ xét": "01/03/2024"})
    outcome = run_import("candidates", candidates_csv(row), users.admin, legacy=True)
    assert outcome.ok
    vote = StageEvent.objects.get(action="branch_vote")
    assert "DATE_ORDER" in [w["code"] for w in vote.warnings]


def test_a_ceremony_links_the_member_already_loaded_from_a_members_file(users, helper, tree):
    member = Member.objects.create(
        full_name="Hoàng Thị Quỳnh Anh", birth_date=date(1995, 5, 17), sex="female",
        organisation=tree.b1, admitted_date=date(2024, 8, 1), official_date=date(2025, 8, 1),
        status=MemberStatus.OFFICIAL, card_number="09000001")
    assert run_import("candidates", candidates_csv(full_history()), users.admin).ok
    c = Candidate.objects.get()
    assert c.member == member
    assert Member.objects.filter(full_name="Hoàng Thị Quỳnh Anh").count() == 1
    member.refresh_from_db()
    assert member.citizen_id == "001195012345"


def test_a_later_file_adds_new_steps_but_never_rewrites_recorded_ones(users, helper):
    first = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024"})
    assert run_import("candidates", candidates_csv(first), users.admin).ok
    later = dict(first, **{"Ngày chi bộ xét": "10/06/2024"})
    outcome = run_import("candidates", candidates_csv(later), users.admin)
    assert outcome.ok and outcome.updated == 1
    c = Candidate.objects.get()
    assert c.stage == Stage.BRANCH_VOTED
    assert [e.action for e in c.events.order_by("pk")] == [
        "add_to_pool", "record_awareness_certificate", "branch_vote"]
    rewritten = dict(later, **{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "16/03/2024"})
    assert messages(run_import("candidates", candidates_csv(rewritten), users.admin)) == [
        "dòng 2, cột Ngày cấp giấy chứng nhận bồi dưỡng nhận thức: hồ sơ đã ghi “15/03/2024”; "
        "lịch sử đã ghi không sửa được bằng nhập tệp."]


def test_an_unknown_helper_is_an_error(users, helper):
    row = candidate_row(**{"Đảng viên theo dõi, giúp đỡ": "Người Không Có"})
    assert messages(run_import("candidates", candidates_csv(row), users.admin)) == [
        "dòng 2, cột Đảng viên theo dõi, giúp đỡ: không tìm thấy đảng viên có số thẻ hoặc họ "
        "tên “Người Không Có” trong phạm vi của bạn."]
