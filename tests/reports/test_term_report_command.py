"""`manage.py term_report` writes the same report to a file."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("term_report", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_a_term_pdf(known, recorded_term, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    message = run("--org", "DBK", "--term", "2020-2025", "--out", str(out))
    assert "kết nạp 11 đảng viên" in message
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "nhiệm kỳ 2020-2025" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text


def test_the_command_writes_a_year_workbook(known, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    run("--org", "GC1", "--year", "2024", "--format", "xlsx", "--out", str(out))
    assert load_workbook(out)["Tổng hợp"]["A1"].value == (
        "Báo cáo kết quả công tác phát triển đảng viên năm 2024")


def test_the_command_refuses_an_unknown_organisation_or_period(tree, tmp_path):
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="Không có tổ chức đảng mang mã KHONGCO"):
        run("--org", "KHONGCO", "--year", "2024", "--out", out)
    with pytest.raises(CommandError, match="năm cuối phải sau năm đầu"):
        run("--org", "DBK", "--term", "2025-2020", "--out", out)
    with pytest.raises(CommandError):
        run("--org", "DBK", "--term", "2020-2025", "--year", "2024", "--out", out)
