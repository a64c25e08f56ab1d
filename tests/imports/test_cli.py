"""`manage.py import_data`: exit code 0 only when the file was applied (or would be, with
--dry-run); the error list on stderr; --as imports with that user's scope."""
import contextlib
import io
from unittest import mock

import pytest
from django.core.management import execute_from_command_line
from django.db import connections

from members.models import Member

from .conftest import MEMBER_HEADERS, csv_bytes


def manage(*args):
    """Run the command as `manage.py` does; returns (exit code, stdout, stderr). The command
    closes its database connections when it ends; here that would end the test's transaction,
    so closing is left to the test run."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            mock.patch.object(connections, "close_all"):
        try:
            execute_from_command_line(["manage.py", "import_data", *args])
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path, tree):
    path = tmp_path / "dang-vien.csv"
    path.write_bytes(csv_bytes(MEMBER_HEADERS, [
        ["Nguyễn Văn An", "17/05/1990", "Nam", "", "", "B1", "0001", "02/03/2015", "", ""]]))
    return path


@pytest.fixture
def bad_file(tmp_path, tree):
    path = tmp_path / "loi.csv"
    path.write_bytes(csv_bytes(MEMBER_HEADERS, [
        ["Nguyễn Văn An", "31/02/1990", "Nam", "", "", "B1", "0001", "02/03/2015", "", ""],
        ["Trần Văn Bình", "17/05/1990", "Nam", "", "", "KHONG-CO", "0002", "02/03/2015", "",
         ""]]))
    return path


def test_a_good_file_is_applied_and_exits_0(good_file):
    code, out, err = manage("members", str(good_file))
    assert code == 0 and err == ""
    assert "Đã nhập 1 dòng: 1 thêm mới" in out
    assert Member.objects.filter(card_number="0001").exists()


def test_a_dry_run_exits_0_and_writes_nothing(good_file):
    code, out, _err = manage("members", str(good_file), "--dry-run")
    assert code == 0 and "Sẽ nhập 1 dòng" in out
    assert not Member.objects.exists()


def test_a_bad_file_exits_1_with_every_error_on_stderr(bad_file):
    code, out, err = manage("members", str(bad_file))
    assert code == 1
    assert "dòng 2, cột Ngày sinh: ngày “31/02/1990” không có thật." in err
    assert "dòng 3, cột Mã tổ chức: không có tổ chức nào mã “KHONG-CO”." in err
    assert "Tệp không được nhập: 2 lỗi" in err
    assert not Member.objects.exists()


def test_a_bad_file_in_a_dry_run_exits_1_too(bad_file):
    assert manage("members", str(bad_file), "--dry-run")[0] == 1


def test_as_a_user_imports_within_their_scope(users, tmp_path, tree):
    path = tmp_path / "b3.csv"
    path.write_bytes(csv_bytes(MEMBER_HEADERS, [
        ["Lê Văn Cường", "17/05/1990", "Nam", "", "", "B3", "0003", "02/03/2015", "", ""]]))
    code, _out, err = manage("members", str(path), "--as", "bithu")
    assert code == 1 and "“B3” nằm ngoài phạm vi" in err
    assert manage("members", str(path), "--as", "bantochuc")[0] == 0


def test_an_unknown_user_or_a_missing_file_exits_1(good_file, tmp_path):
    assert manage("members", str(good_file), "--as", "khongco")[0] == 1
    code, _out, err = manage("members", str(tmp_path / "khong-co.csv"))
    assert code == 1 and "Không mở được tệp" in err


def test_a_user_without_the_role_for_the_kind_exits_1(users, good_file):
    code, _out, err = manage("members", str(good_file), "--as", "lanhdao")
    assert code == 1 and "không có quyền nhập" in err
