"""Headers must be the spec's: a missing or misspelled one rejects the file, naming it."""
from members.models import Organisation

from .conftest import MEMBER_HEADERS, ORG_HEADERS, csv_bytes, messages, run_import


def test_a_missing_required_column_is_named(users):
    headers = [h for h in MEMBER_HEADERS if h != "Ngày vào Đảng"]
    outcome = run_import("members", csv_bytes(headers, []), users.admin)
    assert messages(outcome)[0] == "Thiếu cột bắt buộc “Ngày vào Đảng”."
    assert messages(outcome)[-1].startswith("Các cột của tệp mẫu: Họ và tên, Ngày sinh,")


def test_a_misspelled_column_is_named_with_the_right_spelling(users):
    headers = ["Số cán bộ công chức" if h == "Số cán bộ, công chức" else h for h in ORG_HEADERS]
    outcome = run_import("organisations", csv_bytes(headers, [["X", "Y", "Chi bộ cơ sở", "", ""]]),
                         users.admin)
    assert ("Cột “Số cán bộ công chức” viết sai tên: phải là “Số cán bộ, công chức” (đúng như "
            "tệp mẫu, có dấu).") in messages(outcome)
    assert not Organisation.objects.filter(code="X").exists()


def test_a_column_without_diacritics_is_a_misspelling(users):
    headers = ["Ho va ten" if h == "Họ và tên" else h for h in MEMBER_HEADERS]
    assert messages(run_import("members", csv_bytes(headers, []), users.admin))[0] == (
        "Cột “Ho va ten” viết sai tên: phải là “Họ và tên” (đúng như tệp mẫu, có dấu).")


def test_a_column_given_twice_is_refused(users):
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS + ["Loại"], []), users.admin)
    assert messages(outcome)[0] == "Cột “Loại” xuất hiện hai lần."


def test_extra_columns_are_ignored_and_optional_ones_may_be_left_out(users, tree):
    headers = ["Mã tổ chức", "Tên tổ chức", "Loại", "Mã tổ chức cấp trên", "Ghi chú riêng"]
    rows = [["B9", "Chi bộ Chín", "Chi bộ trực thuộc", "GC2", "bất kỳ"]]
    outcome = run_import("organisations", csv_bytes(headers, rows), users.admin)
    assert outcome.ok, messages(outcome)
    assert Organisation.objects.get(code="B9").parent == tree.gc2
