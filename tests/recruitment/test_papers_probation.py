"""The papers from the ceremony to official membership (the ceremony minutes, 10-KNĐ …
16-KNĐ) and the removal decision come out of the record as PDF and DOCX: names, dates in
words, numbers and the issuing body's heading; what the record lacks is dots."""
from datetime import date

import pytest

from recruitment import papers, services

from .conftest import partial_route, step_of
from .paper_text import docx_text, pdf_text

pytestmark = pytest.mark.django_db

HELPER = "Đảng viên Chính Thức 0"
CEREMONY = "ngày 01 tháng 8 năm 2024"
PROBATION_END = "ngày 01 tháng 8 năm 2025"


def both(slug, candidate):
    """The paper's text from the PDF and from the DOCX; a number the PDF wraps after its
    slash ("88/ GCN-ĐVM") is read back whole."""
    p = papers.get(slug)
    pdf = pdf_text(papers.render_pdf(p, candidate)).replace("/ ", "/")
    return pdf, docx_text(papers.render_docx(p, candidate))


def review(candidate, users, day=date(2025, 7, 25)):
    services.perform("probation_review", candidate=candidate, actor=users.secretary,
                     event_date=day, data={})
    candidate.refresh_from_db()


def remove(candidate, users):
    services.perform("propose_removal", candidate=candidate, actor=users.secretary,
                     event_date=date(2025, 2, 3), data={
                         "eligible": 5, "present": 5, "votes_for": 4, "votes_against": 1,
                         "document_number": "4-NQ/CB", "note": "Vi phạm tư cách đảng viên"})
    services.perform("removal_resolution", candidate=candidate, actor=users.office,
                     event_date=date(2025, 2, 20), data={
                         "eligible": 9, "present": 9, "votes_for": 7,
                         "document_number": "11-NQ/ĐU"})
    services.perform("remove_probationary", candidate=candidate, actor=users.department,
                     event_date=date(2025, 3, 1),
                     data={"document_number": "15-QĐ/ĐU", "note": "Vi phạm tư cách đảng viên"})
    candidate.refresh_from_db()


def test_every_paper_of_the_probation_is_registered_for_its_steps():
    actions = {p.slug: set(p.actions) for p in papers.PAPERS}
    assert actions["le-ket-nap"] == {"hold_ceremony"}
    assert actions["10-knd"] == actions["11-knd"] == actions["12-knd"] == {"probation_review"}
    assert actions["13-knd"] == {"recognition_vote", "recognition_vote_to_upper"}
    assert actions["14-knd"] == {"recognition_partial_appraisal"}
    assert actions["15-knd"] == {"recognition_resolution", "grassroots_recognise"}
    assert actions["16-knd"] == {"approve_recognition", "grassroots_recognise"}
    assert actions["xoa-ten"] == {"remove_probationary", "grassroots_remove"}


def test_the_ceremony_minutes_read_out_the_decision_and_name_the_helper(candidate, walk):
    walk(candidate, until="record_new_member_certificate")
    for text in both("le-ket-nap", candidate):
        assert "BIÊN BẢN" in text and "lễ kết nạp đảng viên" in text
        assert "Số ……-BB/CB" in text
        assert f"Hồi …… giờ ……, {CEREMONY}, tại Chi bộ Một" in text
        assert ("Quyết định kết nạp đảng viên số 123-QĐ/ĐU, ngày 15 tháng 7 năm 2024, của "
                "Ban Thường vụ Đảng ủy Khối") in text
        assert candidate.full_name in text
        assert f"phân công đồng chí {HELPER}" in text
        assert f"kể từ {CEREMONY} đến {PROBATION_END}" in text
        assert "None" not in text


def test_the_self_assessment_is_signed_by_the_member_admitted_at_the_ceremony(
        candidate, walk, users):
    walk(candidate, until="recognition_vote")
    review(candidate, users)
    for text in both("10-knd", candidate):
        assert "BẢN TỰ KIỂM ĐIỂM CỦA ĐẢNG VIÊN DỰ BỊ" in text.upper()
        assert "ngày 25 tháng 7 năm 2025" in text
        assert f"Được kết nạp vào Đảng {CEREMONY}, tại Chi bộ Một" in text
        assert "giấy chứng nhận số 88/GCN-ĐVM, ngày 10 tháng 01 năm 2025" in text
        assert "1. Ưu điểm" in text and "2. Khuyết điểm, nguyên nhân" in text
        assert "NGƯỜI TỰ KIỂM ĐIỂM" in text
        assert text.count(candidate.full_name) >= 2  # in the body and under the signature
        assert "None" not in text


def test_the_helpers_review_is_signed_by_the_helper(candidate, walk, users):
    walk(candidate, until="recognition_vote")
    review(candidate, users)
    for text in both("11-knd", candidate):
        assert "BẢN NHẬN XÉT ĐẢNG VIÊN DỰ BỊ" in text.upper()
        assert f"Tôi là: {HELPER}, đảng viên chính thức" in text
        assert f"đảng viên dự bị {candidate.full_name}" in text
        assert f"được kết nạp vào Đảng {CEREMONY}" in text
        assert "ĐẢNG VIÊN GIÚP ĐỠ" in text
        assert "ngày 25 tháng 7 năm 2025" in text
        assert "None" not in text


def test_the_summary_of_opinions_is_the_branchs_report(candidate, walk, users):
    walk(candidate, until="recognition_vote")
    review(candidate, users)
    for text in both("12-knd", candidate):
        assert "TỔNG HỢP Ý KIẾN NHẬN XÉT" in text
        assert "đối với đảng viên dự bị" in text
        assert "CHI BỘ MỘT" in text and "Số ……-BC/CB" in text
        assert "ngày 25 tháng 7 năm 2025" in text
        assert f"{candidate.full_name}, sinh ngày 17/05/1995, được kết nạp vào Đảng {CEREMONY}" \
            in text
        assert "None" not in text


def test_the_branch_resolution_for_recognition_has_the_vote(candidate, walk):
    walk(candidate, until="recognition_resolution")
    for text in both("13-knd", candidate):
        assert "NGHỊ QUYẾT" in text and "đề nghị công nhận đảng viên chính thức" in text
        assert "Số 30-NQ/CB" in text
        assert "Ngày 05 tháng 8 năm 2025, Chi bộ Một đã họp" in text
        assert candidate.full_name in text
        assert f"Thời gian dự bị từ {CEREMONY} đến {PROBATION_END}" in text
        assert "Tổng số đảng viên chính thức của chi bộ: 5 đồng chí; có mặt: 5 đồng chí" in text
        assert "5/5 đồng chí, đạt 100%; số không tán thành: 0 đồng chí" in text
        assert "Chi bộ đề nghị Đảng ủy Sở Một xem xét" in text
        assert "None" not in text


def test_the_partial_committees_appraisal_for_recognition(users, tree, walk, branch_members):
    person, appraiser, overrides = partial_route(users, tree, branch_members,
                                                 full_name="Vũ Thị Lan")
    walk(person, until="grassroots_resolution", overrides=overrides)
    services.perform("partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2024, 6, 15), data={"note": "Đủ điều kiện"})
    _who, day, data = step_of(branch_members, "grassroots_resolution")
    services.perform("grassroots_resolution", candidate=person, actor=users.office,
                     event_date=day, data=data)
    walk(person, until="recognition_resolution", overrides=overrides,
         start_after="grassroots_resolution")
    for text in both("14-knd", person):  # before the appraisal: dots, no None
        assert "Số ……-BC/ĐUBP" in text and "None" not in text
    services.perform("recognition_partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2025, 8, 10),
                     data={"document_number": "3-BC/ĐUBP", "note": "Đủ tiêu chuẩn đảng viên"})
    person.refresh_from_db()
    for text in both("14-knd", person):
        assert "BÁO CÁO THẨM ĐỊNH" in text
        assert "ĐẢNG ỦY BỘ PHẬN KHỐI NỘI" in text and "Số 3-BC/ĐUBP" in text
        assert "ngày 10 tháng 8 năm 2025" in text
        assert "Vũ Thị Lan" in text
        assert "Nghị quyết số 31-NQ/CB (ngày 05 tháng 8 năm 2025) của Chi bộ Hai" in text
        assert "Đủ tiêu chuẩn đảng viên" in text
        assert "đề nghị Đảng ủy Sở Một xem xét" in text
        assert "None" not in text


def test_the_grassroots_resolution_for_recognition(candidate, walk):
    walk(candidate, until="approve_recognition")
    for text in both("15-knd", candidate):
        assert "NGHỊ QUYẾT" in text and "ĐẢNG ỦY SỞ MỘT" in text
        assert "Số 60-NQ/ĐU" in text
        assert "Ngày 15 tháng 8 năm 2025, Đảng ủy Sở Một đã họp" in text
        assert "Xét Nghị quyết số 30-NQ/CB (ngày 05 tháng 8 năm 2025) của Chi bộ Một" in text
        assert candidate.full_name in text
        assert "9/9 đồng chí, đạt 100%" in text
        assert "đề nghị Ban Thường vụ Đảng ủy Khối xem xét, quyết định" in text
        assert "Báo cáo thẩm định" not in text  # no partial committee above this branch
        assert "None" not in text


def test_the_recognition_decision_makes_the_member_official_from_the_end_of_probation(
        candidate, walk):
    walk(candidate)
    for text in both("16-knd", candidate):
        assert "QUYẾT ĐỊNH" in text and "công nhận đảng viên chính thức" in text
        assert "Số 210-QĐ/ĐU" in text
        assert "ngày 01 tháng 9 năm 2025" in text
        assert "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI QUYẾT ĐỊNH" in text
        assert f"Công nhận đồng chí {candidate.full_name}, sinh ngày 17/05/1995" in text
        assert f"được kết nạp vào Đảng {CEREMONY}" in text
        assert f"là đảng viên chính thức kể từ {PROBATION_END}" in text
        assert ("Xét Nghị quyết số 30-NQ/CB (ngày 05 tháng 8 năm 2025) của Chi bộ Một" in text
                and "Nghị quyết số 60-NQ/ĐU (ngày 15 tháng 8 năm 2025) của Đảng ủy Sở Một"
                in text)
        assert "None" not in text


def test_the_removal_decision_gives_the_reason(candidate, walk, users):
    walk(candidate, until="record_new_member_certificate")
    remove(candidate, users)
    for text in both("xoa-ten", candidate):
        assert "QUYẾT ĐỊNH" in text and "xóa tên đảng viên dự bị" in text
        assert "Số 15-QĐ/ĐU" in text
        assert "ngày 01 tháng 3 năm 2025" in text
        assert f"Xóa tên đồng chí {candidate.full_name}" in text
        assert f"được kết nạp vào Đảng {CEREMONY}" in text
        assert "Lý do: Vi phạm tư cách đảng viên" in text
        assert "Nghị quyết số 4-NQ/CB (ngày 03 tháng 02 năm 2025) của Chi bộ Một" in text
        assert "Nghị quyết số 11-NQ/ĐU (ngày 20 tháng 02 năm 2025) của Đảng ủy Sở Một" in text
        assert "None" not in text


@pytest.mark.parametrize("slug", ["le-ket-nap", "10-knd", "11-knd", "12-knd", "13-knd",
                                  "14-knd", "15-knd", "16-knd", "xoa-ten"])
def test_a_paper_before_its_step_has_dots_where_the_record_has_nothing(slug, candidate, walk):
    walk(candidate, until="hold_ceremony")
    for text in both(slug, candidate):
        assert "ngày …… tháng …… năm ……" in text
        assert candidate.full_name in text
        assert "None" not in text


@pytest.mark.parametrize("slug, number", [("16-knd", "Số ……-QĐ/ĐU"),
                                          ("xoa-ten", "Số ……-QĐ/ĐU"),
                                          ("13-knd", "Số ……-NQ/CB"),
                                          ("15-knd", "Số ……-NQ/ĐU")])
def test_a_decision_or_resolution_not_yet_taken_leaves_its_number_blank(
        slug, number, candidate, walk):
    walk(candidate, until="recognition_vote")
    for text in both(slug, candidate):
        assert number in text
        assert "None" not in text


def test_the_removal_decision_before_it_is_taken_gives_the_branchs_reason(
        candidate, walk, users):
    walk(candidate, until="record_new_member_certificate")
    services.perform("propose_removal", candidate=candidate, actor=users.secretary,
                     event_date=date(2025, 2, 3), data={
                         "eligible": 5, "present": 5, "votes_for": 4,
                         "document_number": "4-NQ/CB", "note": "Không đủ tư cách"})
    candidate.refresh_from_db()
    for text in both("xoa-ten", candidate):
        assert "Lý do: Không đủ tư cách" in text
        assert "Số ……-QĐ/ĐU" in text
        assert "None" not in text
