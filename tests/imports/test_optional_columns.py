"""A file may leave out the optional columns: a new person takes the defaults of the format
(`Dân tộc` Kinh, `Tôn giáo` Không, `Đoàn viên` Không, `Nguồn giới thiệu` Khác), an existing
one keeps what is stored. A database refusal is named for what it is: a unique number taken
meanwhile by someone else, or a system error."""
from datetime import date

from members.models import Member
from members.resources import MemberResource
from recruitment.models import Candidate, Source

from .conftest import (
    CANDIDATE_HEADERS,
    MEMBER_HEADERS,
    candidates_csv,
    csv_bytes,
    full_history,
    messages,
    run_import,
)

OPTIONAL = ("Dân tộc", "Tôn giáo", "Đoàn viên", "Nguồn giới thiệu")


def without_optional(*rows):
    headers = [h for h in CANDIDATE_HEADERS if h not in OPTIONAL]
    return csv_bytes(headers, [[r[h] for h in headers] for r in rows])


def test_a_candidates_file_without_the_optional_columns_takes_their_defaults(users, helper):
    outcome = run_import("candidates", without_optional(full_history()), users.admin)
    assert outcome.ok, messages(outcome)
    c = Candidate.objects.get()
    assert (c.ethnicity, c.religion, c.youth_union_member, c.source) == (
        "Kinh", "Không", False, Source.OTHER)
    assert (c.member.ethnicity, c.member.religion) == ("Kinh", "Không")


def test_an_existing_candidate_keeps_what_the_file_leaves_out(users, helper):
    first = full_history(**{"Dân tộc": "Tày", "Tôn giáo": "Phật giáo"})
    assert run_import("candidates", candidates_csv(first), users.admin).ok
    outcome = run_import("candidates", without_optional(first), users.admin)
    assert outcome.ok and outcome.unchanged == 1, messages(outcome)
    c = Candidate.objects.get()
    assert (c.ethnicity, c.religion, c.youth_union_member) == ("Tày", "Phật giáo", True)


def test_a_members_file_without_the_optional_columns_takes_their_defaults(users, tree):
    headers = [h for h in MEMBER_HEADERS if h not in OPTIONAL]
    row = {"Họ và tên": "Nguyễn Văn An", "Ngày sinh": "17/05/1990", "Giới tính": "Nam",
           "Mã tổ chức": "B1", "Số thẻ đảng viên": "0001", "Ngày vào Đảng": "02/03/2015",
           "Ngày chính thức": "", "Trình độ chuyên môn": ""}
    outcome = run_import("members", csv_bytes(headers, [[row[h] for h in headers]]),
                         users.department)
    assert outcome.ok, messages(outcome)
    assert (Member.objects.get().ethnicity, Member.objects.get().religion) == ("Kinh", "Không")


def member_rows(n):
    return [[f"Nguyễn Văn {i}", "17/05/1990", "Nam", "", "", "B1", f"C{i:04d}", "02/03/2015",
             "", ""] for i in range(n)]


def test_a_database_refusal_that_is_no_race_is_a_system_error(users, tree, monkeypatch):
    original = MemberResource.apply

    def apply_then_refuse(self, batch):
        original(self, batch)
        broken = Member(full_name="x", birth_date=date(1990, 1, 1), sex="male",
                        organisation=batch.state["new"][0].organisation,
                        admitted_date=date(2015, 1, 1))
        broken.ethnicity = None  # NOT NULL in the database
        Member.objects.bulk_create([broken])

    monkeypatch.setattr(MemberResource, "apply", apply_then_refuse)
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, member_rows(3)), users.admin)
    assert messages(outcome) == [
        "Lỗi hệ thống khi ghi vào cơ sở dữ liệu; không dòng nào được ghi. Hãy báo quản trị hệ "
        "thống."]
    assert not Member.objects.exists()


def test_a_unique_number_taken_meanwhile_says_someone_else_changed_the_data(users, tree,
                                                                            monkeypatch):
    original = MemberResource.apply

    def someone_was_faster(self, batch):
        Member.objects.create(full_name="Người Khác", birth_date=date(1990, 1, 1), sex="male",
                              organisation=batch.state["new"][0].organisation,
                              admitted_date=date(2015, 1, 1), card_number="C0001")
        original(self, batch)

    monkeypatch.setattr(MemberResource, "apply", someone_was_faster)
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, member_rows(3)), users.admin)
    assert len(messages(outcome)) == 1
    assert "có thể dữ liệu vừa bị người khác thay đổi" in messages(outcome)[0]
    assert not Member.objects.exists()
