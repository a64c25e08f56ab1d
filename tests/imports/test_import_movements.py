"""Imports write membership history as the pages do: a new member of a members file goes on
their branch's list from the day they joined, a member the file puts in another branch moves
there through `record_movement` dated the day of the import, and the member a candidate's
ceremony makes is admitted (and removed, when the row ends so) by dated movements."""
from datetime import date

from django.utils import timezone

from members.models import Member, MemberStatus, Movement, MovementKind
from recruitment.models import Candidate

from .conftest import (
    MEMBER_HEADERS,
    candidates_csv,
    csv_bytes,
    full_history,
    messages,
    run_import,
)


def member_row(member, branch):
    return [member.full_name, member.birth_date.strftime("%d/%m/%Y"), member.get_sex_display(),
            member.ethnicity, member.religion, branch, member.card_number,
            member.admitted_date.strftime("%d/%m/%Y"),
            member.official_date.strftime("%d/%m/%Y") if member.official_date else "", ""]


def test_a_new_member_goes_on_the_branch_list_from_the_day_they_joined(users, tree):
    row = ["Đỗ Thị Mới", "01/01/2000", "Nữ", "", "", "B3", "", "05/05/2023", "", ""]
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.admin).ok
    member = Member.objects.get(full_name="Đỗ Thị Mới")
    assert list(member.movements.values_list("kind", "date", "to_organisation", "imported")) == [
        (MovementKind.PRESENT, date(2023, 5, 5), tree.b3.pk, True)]


def test_a_branch_changed_by_the_members_file_is_a_transfer_dated_the_import_day(users,
                                                                                  members):
    m1 = members.m1
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [member_row(m1, "B2")]),
                         users.admin)
    assert outcome.ok, messages(outcome)
    assert outcome.updated == 1
    m1.refresh_from_db()
    assert m1.organisation.code == "B2"
    move = m1.movements.get(kind=MovementKind.TRANSFER_WITHIN)
    assert (move.date, move.from_organisation.code, move.to_organisation.code) == (
        timezone.localdate(), "B1", "B2")
    assert (move.imported, move.actor, move.note) == (True, users.admin,
                                                      "Nhập danh sách đảng viên")


def test_a_preview_of_a_branch_change_writes_no_movement(users, members):
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [member_row(members.m1, "B2")]),
                         users.admin, commit=False)
    assert outcome.ok and not outcome.applied
    assert not Movement.objects.filter(kind=MovementKind.TRANSFER_WITHIN).exists()
    members.m1.refresh_from_db()
    assert members.m1.organisation.code == "B1"


def test_a_member_off_the_list_cannot_be_moved_by_a_file(users, members):
    m1 = members.m1
    Member.objects.filter(pk=m1.pk).update(status=MemberStatus.REMOVED,
                                           left_date=date(2020, 1, 1))
    m1.refresh_from_db()
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [member_row(m1, "B2")]),
                         users.admin)
    assert messages(outcome) == [
        "dòng 2, cột Mã tổ chức: Nguyễn Thị Đào không còn trong danh sách đảng viên (đã xóa "
        "tên)."]
    assert not Movement.objects.filter(kind=MovementKind.TRANSFER_WITHIN).exists()


def test_the_ceremony_of_an_imported_history_admits_the_member_by_a_movement(users, helper):
    row = full_history(**{"Trình độ chuyên môn": "Cử nhân Luật"})
    assert run_import("candidates", candidates_csv(row), users.admin).ok
    c = Candidate.objects.select_related("member").get()
    member = c.member
    assert (member.education, member.qualification, member.profession) == (
        "upper_secondary", "university", "Cử nhân Luật")
    moves = list(member.movements.all())
    assert [(m.kind, m.date, m.to_organisation.code, m.decision_date, m.imported)
            for m in moves] == [
        (MovementKind.ADMITTED, date(2024, 8, 1), "B1", date(2024, 7, 15), True)]
    assert moves[0].document_number == "123-QĐ/ĐU"


def test_a_history_ending_in_removal_writes_the_removal_after_the_admission(users, helper):
    row = full_history(**{"Ngày hoàn thành lớp đảng viên mới": "",
                          "Số quyết định công nhận chính thức": "",
                          "Ngày công nhận chính thức": "", "Ngày quyết định công nhận": "",
                          "Trạng thái kết thúc": "Xóa tên", "Ngày kết thúc": "10/03/2025"})
    outcome = run_import("candidates", candidates_csv(row), users.admin)
    assert outcome.ok, messages(outcome)
    member = Candidate.objects.get().member
    assert member.status == MemberStatus.REMOVED
    assert [(m.kind, m.date, m.from_organisation_id) for m in member.movements.all()] == [
        (MovementKind.ADMITTED, date(2024, 8, 1), None),
        (MovementKind.REMOVED, date(2025, 3, 10), member.organisation_id)]
