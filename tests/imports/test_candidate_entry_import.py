"""The candidates file and what the candidate page does on entry: `Trình độ học vấn` read from
the old free text into a category (written back as its label), the grassroots branch's own
path to the upper committee, `Từ trần` as an end status, and the readmission look-up among
the members of the whole tree."""
import csv
import io
from datetime import date

import pytest

from members.models import MemberStatus
from recruitment.models import Candidate, Education, Stage, StageEvent
from tests.factories import MemberFactory

from .conftest import (
    candidate_row,
    candidates_csv,
    export_bytes,
    full_history,
    messages,
    run_import,
)

CID_TAKEN = "dòng 2, cột Số CCCD: số CCCD này đã có trong hệ thống; liên hệ Ban Tổ chức."
TO_DECISION = {"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
               "Số giấy chứng nhận": "123/GCN", "Ngày chi bộ xét": "10/06/2024",
               "Số quyết định kết nạp": "123-QĐ/ĐU", "Ngày quyết định kết nạp": "15/07/2024"}


@pytest.mark.parametrize(("text", "level"), [
    ("12/12", Education.UPPER_SECONDARY),
    ("9/12 (bổ túc)", Education.LOWER_SECONDARY),
    ("Tốt nghiệp THCS", Education.LOWER_SECONDARY),
    ("7/10", Education.LOWER_SECONDARY),
    ("5/12", Education.PRIMARY),
    ("Tiểu học", Education.PRIMARY),
    ("Trung học phổ thông", Education.UPPER_SECONDARY),
])
def test_the_education_column_reads_the_old_free_text(users, text, level):
    outcome = run_import("candidates", candidates_csv(candidate_row(
        **{"Trình độ học vấn": text})), users.secretary)
    assert outcome.ok, messages(outcome)
    assert Candidate.objects.get().education == level


@pytest.mark.parametrize(("text", "hint"), [
    ("đại học", " (“đại học” là trình độ chuyên môn: ghi ở cột Trình độ chuyên môn.)"),
    ("khá", ""),
    ("13/12", ""),
])
def test_an_unreadable_education_is_an_error_of_the_row(users, text, hint):
    outcome = run_import("candidates", candidates_csv(candidate_row(
        **{"Trình độ học vấn": text})), users.secretary)
    assert messages(outcome) == [
        f"dòng 2, cột Trình độ học vấn: không đọc được “{text}”; ghi 12/12, 9/12, Tiểu học, "
        f"Trung học cơ sở, Trung học phổ thông…{hint}"]
    assert not Candidate.objects.exists()


def test_the_export_writes_the_category_and_reimports_unchanged(as_user, users):
    row = candidate_row(**{"Trình độ học vấn": "9/12 (bổ túc)"})
    assert run_import("candidates", candidates_csv(row), users.secretary).ok
    data = export_bytes(as_user(users.secretary), "candidates", "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][rows[0].index("Trình độ học vấn")] == "Trung học cơ sở"
    outcome = run_import("candidates", data, users.secretary)
    assert outcome.ok and outcome.unchanged == 1, messages(outcome)
    # The old text of the same category is no change either.
    again = run_import("candidates", candidates_csv(row), users.secretary)
    assert again.ok and again.unchanged == 1


def test_a_grassroots_branch_sends_its_dossier_to_the_upper_committee_itself(users, tree):
    row = candidate_row(**TO_DECISION, **{"Mã tổ chức": "CBCS"})
    outcome = run_import("candidates", candidates_csv(row), users.admin)
    assert outcome.ok, messages(outcome)
    c = Candidate.objects.get()
    assert c.stage == Stage.ADMISSION_DECIDED
    assert [(e.action, e.from_stage, e.to_stage, e.event_date)
            for e in c.events.order_by("pk")][2:] == [
        ("branch_vote", "sympathiser", "branch_voted", date(2024, 6, 10)),
        ("send_to_upper", "branch_voted", "at_upper", date(2024, 6, 10)),
        ("approve_admission", "at_upper", "admission_decided", date(2024, 7, 15)),
    ]
    assert "ngày chi bộ xét" in c.events.get(action="send_to_upper").note


def test_a_grassroots_branch_has_no_grassroots_committee_date(users, tree):
    row = candidate_row(**TO_DECISION, **{"Mã tổ chức": "CBCS",
                                          "Ngày đảng ủy cơ sở xét": "20/06/2024"})
    assert messages(run_import("candidates", candidates_csv(row), users.admin)) == [
        "dòng 2, cột Ngày đảng ủy cơ sở xét: Chi bộ cơ sở Tỉnh đoàn là chi bộ cơ sở, không có "
        "đảng ủy cơ sở xét: để trống cột này (hồ sơ gửi thẳng cấp ủy cấp trên)."]


def test_a_candidate_who_died_ends_with_a_recorded_death(users, helper):
    row = candidate_row(**{"Trạng thái kết thúc": "Từ trần", "Ngày kết thúc": "01/03/2024"})
    assert run_import("candidates", candidates_csv(row), users.secretary).ok
    c = Candidate.objects.get()
    assert (c.stage, c.stage_date) == (Stage.DIED, date(2024, 3, 1))
    assert c.events.last().action == "record_death"


def test_a_probationary_member_who_died_leaves_the_list(users, helper):
    row = full_history(**{"Ngày hoàn thành lớp đảng viên mới": "",
                          "Số quyết định công nhận chính thức": "",
                          "Ngày công nhận chính thức": "", "Ngày quyết định công nhận": "",
                          "Trạng thái kết thúc": "Từ trần", "Ngày kết thúc": "01/12/2024"})
    outcome = run_import("candidates", candidates_csv(row), users.admin)
    assert outcome.ok, messages(outcome)
    c = Candidate.objects.get()
    assert c.stage == Stage.DIED
    assert (c.member.status, c.member.left_date) == (MemberStatus.DIED, date(2024, 12, 1))


def removed(organisation, **fields):
    values = dict(full_name="Hoàng Thị Quỳnh Anh", birth_date=date(1995, 5, 17), sex="female",
                  organisation=organisation, citizen_id="001195012345",
                  status=MemberStatus.REMOVED, left_date=date(2019, 2, 1))
    values.update(fields)
    return MemberFactory(**values)


def test_an_imported_former_member_is_a_readmission_with_a_warning(users, tree):
    member = removed(tree.b1)
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert outcome.ok, messages(outcome)
    assert Candidate.objects.get().former_member == member
    assert [str(w) for w in outcome.warnings] == [
        "dòng 2, cột Số CCCD: người này từng là đảng viên (Chi bộ Một, ra khỏi Đảng ngày "
        "01/02/2019, lý do: đã xóa tên): hồ sơ được xét theo quy định kết nạp lại (Quy định "
        "294-QĐ/TW, điểm 3.5)."]


def test_an_imported_former_member_is_found_by_name_and_birth_date(users, tree):
    member = removed(tree.b3, citizen_id=None)
    outcome = run_import("candidates", candidates_csv(candidate_row(**{"Số CCCD": ""})),
                         users.secretary)
    assert outcome.ok, messages(outcome)
    assert Candidate.objects.get().former_member == member
    [warning] = [str(w) for w in outcome.warnings]
    assert warning.startswith("dòng 2, cột Họ và tên: tìm thấy theo họ tên và ngày sinh")
    assert "Chi bộ Ba" not in warning and "kết nạp lại" in warning


def test_an_imported_active_member_is_an_error_of_the_row(users, tree):
    removed(tree.b1, status=MemberStatus.OFFICIAL, left_date=None, card_number="0077")
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert messages(outcome) == [
        "dòng 2, cột Số CCCD: người này đã là đảng viên (Chi bộ Một, chính thức, số thẻ 0077); "
        "không đưa vào danh sách quần chúng ưu tú được."]
    assert not Candidate.objects.exists() and not StageEvent.objects.exists()


def test_an_active_member_outside_the_scope_gets_the_neutral_answer(users, tree):
    removed(tree.b3, status=MemberStatus.PROBATIONARY, left_date=None)
    assert messages(run_import("candidates", candidates_csv(candidate_row()),
                               users.secretary)) == [CID_TAKEN]
    removed(tree.b3, citizen_id=None, status=MemberStatus.OFFICIAL, left_date=None,
            full_name="Người Ở Chi Bộ Ba", birth_date=date(1990, 1, 1))
    row = candidate_row(**{"Số CCCD": "", "Họ và tên": "Người ở chi bộ Ba",
                           "Ngày sinh": "01/01/1990"})
    assert messages(run_import("candidates", candidates_csv(row), users.secretary)) == [
        "dòng 2, cột Họ và tên: người này đã có trong hệ thống; liên hệ Ban Tổ chức."]
