"""One bad row rejects the whole file, every bad row is listed, and nothing is written, even
when the database itself refuses a write half-way through."""
from members.models import Member, Organisation
from members.resources import MemberResource

from .conftest import MEMBER_HEADERS, csv_bytes, messages, run_import


def rows(n, bad=()):
    out = []
    for i in range(n):
        sex = "Không rõ" if i in bad else "Nam"
        out.append([f"Nguyễn Văn {i}", "17/05/1990", sex, "", "", "B1", f"C{i:04d}",
                    "02/03/2015", "", ""])
    return out


def test_every_bad_row_is_listed_and_no_row_is_written(users, tree):
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, rows(20, bad={3, 17})), users.admin)
    assert messages(outcome) == [
        "dòng 5, cột Giới tính: “Không rõ” không hợp lệ; ghi một trong: Nam, Nữ.",
        "dòng 19, cột Giới tính: “Không rõ” không hợp lệ; ghi một trong: Nam, Nữ.",
    ]
    assert not outcome.applied
    assert not Member.objects.exists()


def test_a_preview_writes_nothing(users, tree):
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, rows(5)), users.admin, commit=False)
    assert outcome.ok and outcome.created == 5 and not outcome.applied
    assert not Member.objects.exists()


def test_a_database_refusal_during_the_writes_rolls_every_row_back(users, tree, monkeypatch):
    original = MemberResource.apply

    def apply_then_fail(self, batch):
        original(self, batch)
        Organisation.objects.create(code="B1", name="trùng mã", kind="branch", path="99999")

    monkeypatch.setattr(MemberResource, "apply", apply_then_fail)
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, rows(5)), users.admin)
    assert not outcome.applied
    assert messages(outcome)[0].startswith("Cơ sở dữ liệu từ chối ghi")
    assert not Member.objects.exists()
