"""The papers of an admission file come out of the record as PDF and DOCX, with the names,
dates in words, numbers and the issuing body's heading; what the record lacks is dots."""
from datetime import date

import pytest

from members.documents import long_date
from recruitment import papers

from .paper_text import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def both(slug, candidate):
    p = papers.get(slug)
    return pdf_text(papers.render_pdf(p, candidate)), docx_text(papers.render_docx(p, candidate))


def test_dates_in_words_take_the_leading_zeros_of_36_hd():
    assert long_date(date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert long_date(date(2026, 2, 23)) == "ngày 23 tháng 02 năm 2026"
    assert long_date(date(2026, 12, 10)) == "ngày 10 tháng 12 năm 2026"


def test_the_papers_are_listed_in_the_order_of_an_admission_file():
    assert [p.slug for p in papers.PAPERS] == [s for s in papers.ORDER
                                              if papers.get(s) is not None]


def test_the_admission_decision_from_the_record(candidate, walk, tree):
    tree.root.document_place = "Vĩnh Yên"
    tree.root.save()
    walk(candidate)
    for text in both("9-knd", candidate):
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert "QUYẾT ĐỊNH" in text and "kết nạp đảng viên" in text
        assert "Số 123-QĐ/ĐU" in text
        assert "Vĩnh Yên, ngày 15 tháng 7 năm 2024" in text
        assert candidate.full_name in text
        assert "Xét Nghị quyết số 12-NQ/CB (ngày 10 tháng 6 năm 2024)" in text
        assert "None" not in text


def test_a_paper_about_to_be_taken_has_dots_where_the_record_has_nothing(candidate, walk):
    walk(candidate, until="approve_admission")
    for text in both("9-knd", candidate):
        assert "Số ……-QĐ/ĐU" in text
        assert "ngày …… tháng …… năm ……" in text
        assert "None" not in text


def test_the_application_has_the_heading_filled_for_the_applicant(candidate, walk):
    walk(candidate, until="certify_history")
    for text in both("1-knd", candidate):
        assert "ĐƠN XIN VÀO ĐẢNG" in text.upper()
        assert candidate.full_name in text
        assert "ngày 01 tháng 4 năm 2024" in text
        assert "None" not in text


def test_names_with_ampersands_and_quotes_print_once_escaped(candidate, walk, tree):
    tree.b1.name = 'Chi bộ "Sản xuất & Kinh doanh"'
    tree.b1.save()
    walk(candidate, until="approve_admission")
    candidate.refresh_from_db()
    for text in both("9-knd", candidate):
        assert 'Chi bộ "Sản xuất & Kinh doanh"' in text
        assert "&amp;" not in text and "&quot;" not in text


def test_the_heading_names_the_organisation_above_and_the_issuer(candidate, walk):
    walk(candidate, until="send_up")
    pdf, word = both("6-knd", candidate)
    for text in (pdf, word):
        assert "ĐẢNG BỘ SỞ MỘT" in text and "CHI BỘ MỘT" in text  # 36-HD/VPTW heading
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text


def test_a_union_resolution_carries_its_own_line_not_the_partys(candidate, walk):
    walk(candidate, until="record_opinions")
    for text in both("4-knd", candidate):
        assert "ĐOÀN TNCS HỒ CHÍ MINH" in text
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
        assert "05/NQ-ĐTN" in text


def test_a_decision_cites_the_regulation_in_force_on_its_own_date(candidate, walk):
    walk(candidate, until="hold_ceremony")  # decided on 15/07/2024
    for text in both("9-knd", candidate):
        assert "Quy định số 24-QĐ/TW ngày 30/7/2021" in text
        assert "294-QĐ/TW" not in text
