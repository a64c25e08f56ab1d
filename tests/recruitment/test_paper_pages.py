"""The dossier's papers on its pages: each paper as PDF or Word for a step taken or open to
the user, the whole dossier as one PDF with a table of contents or a ZIP of Word files, the
department's batch of one day's decisions; nothing outside the user's scope."""
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from .paper_text import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"recruitment:{name}", args=args)


def test_the_secretary_prints_a_recorded_paper_and_the_next_one(as_user, users, candidate, walk):
    walk(candidate, until="record_application")
    client = as_user(users.secretary)
    page = client.get(url("candidate_papers", candidate.pk)).content.decode()
    assert "Đơn xin vào Đảng" in page and "bước sắp làm" in page
    detail = client.get(url("candidate_detail", candidate.pk)).content.decode()
    assert url("candidate_paper", candidate.pk, "du-nguon", "pdf") in detail  # "In mẫu"
    assert url("candidate_paper", candidate.pk, "1-knd", "docx") in detail  # the next step
    assert url("candidate_paper", candidate.pk, "2-knd", "pdf") not in detail
    pdf = client.get(url("candidate_paper", candidate.pk, "1-knd", "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert candidate.full_name in pdf_text(pdf.content)
    word = client.get(url("candidate_paper", candidate.pk, "1-knd", "docx"))
    assert word["Content-Disposition"].startswith("attachment; filename=\"1-knd-")
    assert candidate.full_name in docx_text(word.content)
    # The admission decision is neither taken nor the secretary's to take.
    assert client.get(url("candidate_paper", candidate.pk, "9-knd", "pdf")).status_code == 404
    assert client.get(url("candidate_paper", candidate.pk, "9-knd", "txt")).status_code == 404
    assert client.get(url("candidate_paper", candidate.pk, "khong-co", "pdf")).status_code == 404


def test_the_whole_dossier_is_one_pdf_with_a_table_of_contents_and_a_zip(as_user, users,
                                                                        candidate, walk):
    walk(candidate)
    client = as_user(users.department)
    response = client.get(url("candidate_dossier", candidate.pk, "pdf"))
    reader = PdfReader(BytesIO(response.content))
    text = pdf_text(response.content)
    assert "HỒ SƠ KẾT NẠP ĐẢNG VIÊN" in text and "MỤC LỤC HỒ SƠ" in text
    assert text.index("Đơn xin vào Đảng") < text.index("Quyết định kết nạp đảng viên")
    assert len(reader.pages) >= 3
    archive = zipfile.ZipFile(BytesIO(client.get(url("candidate_dossier", candidate.pk,
                                                     "zip")).content))
    names = archive.namelist()
    assert names[0].startswith("01-") and all(n.endswith(".docx") for n in names)
    assert any("9-knd" in n for n in names)


def test_a_dossier_outside_the_users_scope_is_404(as_user, users, candidate, walk, tree):
    from members.models import Role
    from tests.factories import UserFactory, grant

    walk(candidate, until="record_application")
    stranger = UserFactory()
    grant(stranger, Role.BRANCH_SECRETARY, tree.b3)
    client = as_user(stranger)
    for target in (url("candidate_papers", candidate.pk),
                   url("candidate_paper", candidate.pk, "1-knd", "pdf"),
                   url("candidate_dossier", candidate.pk, "pdf")):
        assert client.get(target).status_code == 404


def test_the_department_prints_every_decision_signed_on_one_day(as_user, users, candidate,
                                                               walk):
    walk(candidate)
    client = as_user(users.department)
    page = client.get(url("decisions_batch"), {"kind": "admission", "date": "15/07/2024"})
    assert candidate.full_name in page.content.decode()
    pdf = client.get(url("decisions_batch"), {"kind": "admission", "date": "15/07/2024",
                                              "print": "1"})
    assert "Số 123-QĐ/ĐU" in pdf_text(pdf.content)
    bad = client.get(url("decisions_batch"), {"kind": "admission", "date": "31/02/2024"})
    assert "không đúng dạng dd/mm/yyyy hoặc không có thật" in bad.content.decode()
    none = client.get(url("decisions_batch"), {"kind": "admission", "date": "16/07/2024"})
    assert "Không có quyết định nào" in none.content.decode()
    assert as_user(users.secretary).get(url("decisions_batch")).status_code == 404


def test_the_dossier_command_writes_the_pdf_or_the_zip_for_the_archive(candidate, walk,
                                                                       tmp_path):
    from django.core.management import CommandError, call_command

    walk(candidate)
    out = tmp_path / "ho-so.pdf"
    call_command("dossier", candidate=candidate.citizen_id, out=str(out))
    assert candidate.full_name in pdf_text(out.read_bytes())
    archive = tmp_path / "ho-so.zip"
    call_command("dossier", candidate=str(candidate.pk), out=str(archive))
    assert zipfile.is_zipfile(archive)
    with pytest.raises(CommandError, match="Không tìm thấy hồ sơ"):
        call_command("dossier", candidate="999999999999", out=str(out))
    with pytest.raises(CommandError, match=r"\.pdf hoặc \.zip"):
        call_command("dossier", candidate=str(candidate.pk), out=str(tmp_path / "a.doc"))
