"""The movements file: each member's rows go through record_movement in date order, a row
already recorded is left unchanged, every refused row is reported in one pass and nothing is
written unless every row holds; a member known only from a list whose first row brings them
into the tree was not on the list before that date."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from members.models import MemberStatus, Movement, MovementKind, Role
from tests.factories import MemberFactory, UserFactory, grant

from .conftest import csv_bytes, export_bytes, messages, run_import

K = MovementKind
HEADERS = ["Số thẻ đảng viên", "Họ và tên", "Ngày sinh", "Loại", "Ngày", "Mã tổ chức",
           "Nơi đi / nơi đến", "Số quyết định"]


def row(card="", kind="Từ trần", day="10/01/2024", org="", name="", born="", place="",
        doc=""):
    return [card, name, born, kind, day, org, place, doc]


def movements_csv(*rows):
    return csv_bytes(HEADERS, rows)


def kinds(member):
    return list(Movement.objects.filter(member=member).order_by("date", "pk")
                .values_list("kind", "date"))


@pytest.fixture
def gc1_department(tree):
    user = UserFactory(username="bantochuc-gc1")
    grant(user, Role.ORG_DEPARTMENT, tree.gc1)
    return user


def test_a_members_rows_are_recorded_in_date_order_whatever_their_order_in_the_file(
        users, members, tree):
    card = members.m1.card_number
    data = movements_csv(
        row(card, "Chuyển đi", "01/06/2024", place="Đảng bộ tỉnh Lâm Đồng", doc="5-GGT"),
        row(card, "Chuyển sinh hoạt nội bộ", "10/01/2024", org="B2", doc="3-GGT/ĐU"),
    )
    outcome = run_import("movements", data, users.department)
    assert outcome.ok, messages(outcome)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 0, 0)
    m1 = members.m1
    m1.refresh_from_db()
    assert (m1.status, m1.organisation, m1.left_document) == (
        MemberStatus.TRANSFERRED_OUT, tree.b2, "5-GGT")
    assert kinds(m1) == [(K.PRESENT, date(2015, 3, 2)), (K.TRANSFER_WITHIN, date(2024, 1, 10)),
                         (K.TRANSFER_OUT, date(2024, 6, 1))]
    written = Movement.objects.filter(member=m1).exclude(kind=K.PRESENT)
    assert all(m.imported and m.actor == users.department for m in written)
    assert written.get(kind=K.TRANSFER_OUT).outside_place == "Đảng bộ tỉnh Lâm Đồng"


def test_a_member_is_found_by_name_and_birth_date_without_a_card(users, members):
    data = movements_csv(row(name="Lê Minh Châu", born="17/05/1990", kind="Từ trần"))
    outcome = run_import("movements", data, users.department)
    assert outcome.ok, messages(outcome)
    members.m3.refresh_from_db()
    assert members.m3.status == MemberStatus.DIED


def test_importing_the_same_file_again_writes_nothing_more(users, members):
    card = members.m1.card_number
    data = movements_csv(row(card, "Sinh hoạt tạm thời", "10/01/2024", org="B2"),
                         row(card, "Từ trần", "01/03/2024"))
    assert run_import("movements", data, users.department).ok
    again = run_import("movements", data, users.department)
    assert again.ok, messages(again)
    assert (again.created, again.unchanged) == (0, 2)
    assert len(kinds(members.m1)) == 3


def test_an_export_reimports_unchanged(users, members, client):
    card = members.m1.card_number
    assert run_import("movements", movements_csv(
        row(card, "Chuyển sinh hoạt nội bộ", "10/01/2024", org="B2", doc="3-GGT/ĐU"),
        row(card, "Chuyển đi", "01/06/2024", place="Đảng bộ tỉnh Lâm Đồng")),
        users.department).ok
    client.force_login(users.department)
    exported = export_bytes(client, "movements")
    text = exported.decode("utf-8-sig")
    assert "Chuyển sinh hoạt nội bộ,10/01/2024,B2,,3-GGT/ĐU" in text
    assert "Có trong danh sách" not in text  # the baseline is no row of the file
    again = run_import("movements", exported, users.department)
    assert again.ok, messages(again)
    assert (again.created, again.unchanged) == (0, 2)


def test_every_bad_row_is_reported_in_one_pass_and_nothing_is_written(users, members):
    future = (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")
    data = movements_csv(
        row(members.m1.card_number, "Nghỉ hưu", "10/01/2024"),                      # 2
        row(members.m1.card_number, "Chuyển sinh hoạt nội bộ", "10/01/2024"),       # 3
        row(members.m3.card_number, "Từ trần", future),                            # 4
        row("99999999", "Từ trần", "10/01/2024"),                                  # 5
        row(name="Không Có Ai", born="01/01/1980"),                                # 6
        row(name="Lê Minh Châu"),                                                  # 7
        row(members.m1.card_number, "Chuyển sinh hoạt nội bộ", "20/01/2024",       # 8
            org="GC1"),
        row(members.m4.card_number, "Chuyển sinh hoạt nội bộ", "10/01/2024",       # 9
            org="CBCS"),
        row(members.m2.card_number, "Từ trần", "10/01/2024"),                      # 10 (good)
    )
    outcome = run_import("movements", data, users.department)
    assert messages(outcome) == [
        "dòng 2, cột Loại: “Nghỉ hưu” không hợp lệ; ghi một trong: Chuyển đến, Chuyển đi, "
        "Chuyển sinh hoạt nội bộ, Sinh hoạt tạm thời, Từ trần, Xóa tên, Khai trừ, "
        "Xin ra khỏi Đảng, Kết nạp lại.",
        "dòng 3, cột Mã tổ chức: cần mã chi bộ đến với loại “Chuyển sinh hoạt nội bộ”.",
        f"dòng 4, cột Ngày: ngày {future} là ngày trong tương lai.",
        "dòng 5, cột Số thẻ đảng viên: không có đảng viên nào số thẻ “99999999” trong phạm vi "
        "của bạn.",
        "dòng 6, cột Họ và tên: không có đảng viên nào tên “Không Có Ai”, sinh ngày 01/01/1980 "
        "trong phạm vi của bạn.",
        "dòng 7, cột Ngày sinh: cần số thẻ đảng viên, hoặc họ và tên cùng ngày sinh, để biết là "
        "đảng viên nào.",
        "dòng 8, cột Mã tổ chức: “GC1” là đảng bộ cơ sở, không phải chi bộ.",
        "dòng 9, cột Mã tổ chức: Đảng viên đang sinh hoạt ở chi bộ này.",
    ]
    assert not outcome.applied
    assert Movement.objects.exclude(kind=K.PRESENT).count() == 0
    members.m2.refresh_from_db()
    assert members.m2.status == MemberStatus.PROBATIONARY


def test_a_refusal_of_record_movement_is_the_rows_error(users, members):
    card = members.m1.card_number
    data = movements_csv(row(card, "Từ trần", "10/01/2024"),
                         row(card, "Xóa tên", "01/02/2024", doc="7-QĐ"),
                         row(card, "Khai trừ", "01/03/2024"))
    assert messages(run_import("movements", data, users.department)) == [
        "dòng 3, cột Loại: Nguyễn Thị Đào không còn trong danh sách đảng viên (đã từ trần)."]
    assert kinds(members.m1) == [(K.PRESENT, date(2015, 3, 2))]


def test_a_preview_checks_everything_and_writes_nothing(users, members):
    data = movements_csv(row(members.m1.card_number, "Từ trần", "10/01/2024"))
    outcome = run_import("movements", data, users.department, commit=False)
    assert outcome.ok and outcome.created == 1 and not outcome.applied
    assert kinds(members.m1) == [(K.PRESENT, date(2015, 3, 2))]


def test_a_member_or_a_branch_outside_the_users_scope_is_a_row_error(gc1_department, members):
    data = movements_csv(
        row(members.m3.card_number, "Từ trần", "10/01/2024"),
        row(name="Lê Minh Châu", born="17/05/1990", kind="Từ trần"),
        row(members.m1.card_number, "Chuyển sinh hoạt nội bộ", "10/01/2024", org="B3"),
    )
    assert messages(run_import("movements", data, gc1_department)) == [
        f"dòng 2, cột Số thẻ đảng viên: không có đảng viên nào số thẻ "
        f"“{members.m3.card_number}” trong phạm vi của bạn.",
        "dòng 3, cột Họ và tên: không có đảng viên nào tên “Lê Minh Châu”, sinh ngày "
        "17/05/1990 trong phạm vi của bạn.",
        "dòng 4, cột Mã tổ chức: “B3” nằm ngoài phạm vi bạn được phân quyền nhập dữ liệu.",
    ]


def test_the_same_member_kind_and_date_twice_in_one_file_is_refused(users, members):
    card = members.m1.card_number
    data = movements_csv(row(card, "Từ trần", "10/01/2024"), row(card, "Từ trần", "10/01/2024"))
    assert messages(run_import("movements", data, users.department)) == [
        "dòng 3, cột Số thẻ đảng viên: trùng với dòng 2 (cùng khóa nhận diện)."]


def test_a_transfer_in_replaces_the_baseline_of_a_member_known_only_from_a_list(
        users, tree):
    member = MemberFactory(full_name="Võ Thị Đến", organisation=tree.b1)
    assert kinds(member) == [(K.PRESENT, date(2015, 3, 2))]
    data = movements_csv(row(member.card_number, "Chuyển đến", "15/03/2024", org="B1",
                             place="Đảng bộ tỉnh Lâm Đồng", doc="21-GGT/TU"))
    outcome = run_import("movements", data, users.department)
    assert outcome.ok, messages(outcome)
    assert kinds(member) == [(K.TRANSFER_IN, date(2024, 3, 15))]
    member.refresh_from_db()
    assert (member.status, member.organisation) == (MemberStatus.OFFICIAL, tree.b1)
    again = run_import("movements", data, users.department)
    assert (again.ok, again.unchanged) == (True, 1)
    assert kinds(member) == [(K.TRANSFER_IN, date(2024, 3, 15))]


def test_a_readmission_replaces_the_baseline_too(users, tree):
    member = MemberFactory(full_name="Võ Văn Lại", organisation=tree.b1)
    data = movements_csv(row(member.card_number, "Kết nạp lại", "20/04/2024", org="B2"))
    assert run_import("movements", data, users.department).ok
    assert kinds(member) == [(K.READMITTED, date(2024, 4, 20))]
    member.refresh_from_db()
    assert (member.status, member.organisation) == (MemberStatus.PROBATIONARY, tree.b2)


def test_a_baseline_with_later_history_is_kept_and_the_entry_refused(users, tree):
    member = MemberFactory(full_name="Võ Văn Ở", organisation=tree.b1)
    card = member.card_number
    assert run_import("movements", movements_csv(
        row(card, "Sinh hoạt tạm thời", "10/01/2024", org="B2")), users.department).ok
    outcome = run_import("movements", movements_csv(
        row(card, "Chuyển đến", "15/03/2024", org="B1")), users.department)
    assert messages(outcome) == ["dòng 2, cột Loại: Võ Văn Ở đang sinh hoạt ở Chi bộ Một."]
    assert [k for k, _ in kinds(member)] == [K.PRESENT, K.TEMPORARY]


def test_a_member_with_no_history_gets_the_baseline_before_their_first_row(users, tree):
    member = MemberFactory(full_name="Võ Thị Mới", organisation=tree.b1, movements=False)
    data = movements_csv(row(member.card_number, "Từ trần", "10/01/2024"))
    assert run_import("movements", data, users.department).ok
    assert kinds(member) == [(K.PRESENT, date(2015, 3, 2)), (K.DIED, date(2024, 1, 10))]


def test_a_branch_secretary_may_not_import_movements(users):
    from members.importing import kinds_for

    assert "movements" not in kinds_for(users.secretary)
    assert "movements" in kinds_for(users.department)
