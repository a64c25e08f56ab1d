"""The papers of the admission steps before the decision (the source-pool list, the helper's
assignment, 2-KNĐ … 8-KNĐ) come out of the record as PDF and DOCX: the name, the dates in
words, the numbers and the issuing body's heading; what the record lacks is dots."""
from datetime import date

import pytest

from recruitment import papers, services

from .conftest import make_candidate, partial_route, step_of
from .paper_text import docx_text, pdf_text

pytestmark = pytest.mark.django_db

SLUGS = ["du-nguon", "giup-do", "2-knd", "3-knd", "4-knd", "4a-knd", "5-knd", "6-knd",
         "7-knd", "8-knd"]


def both(slug, candidate):
    p = papers.get(slug)
    return pdf_text(papers.render_pdf(p, candidate)), docx_text(papers.render_docx(p, candidate))


def test_the_admission_papers_are_registered_for_their_steps():
    actions = {slug: papers.get(slug).actions for slug in SLUGS}
    assert actions["du-nguon"] == ("add_to_pool",)
    assert actions["giup-do"] == ("assign_helper",)
    assert actions["2-knd"] == ("certify_history",)
    assert {actions[s] for s in ("3-knd", "4-knd", "4a-knd")} == {("record_introductions",)}
    assert actions["5-knd"] == ("record_opinions",)
    assert actions["6-knd"] == ("branch_vote",)
    assert actions["7-knd"] == ("partial_appraisal",)
    assert actions["8-knd"] == ("grassroots_resolution",)
    assert papers.get("2-knd").layout == papers.get("3-knd").layout == papers.PERSONAL
    assert papers.get("6-knd").layout == papers.ISSUED


@pytest.mark.parametrize("slug", SLUGS)
def test_a_paper_generated_before_its_step_has_dots_and_no_none(slug, candidate):
    for text in both(slug, candidate):
        assert candidate.full_name in text
        assert "……" in text
        assert "None" not in text


def test_the_source_pool_list_names_the_branch_s_candidates_of_the_year(
        candidate, users, tree):
    make_candidate(users, tree.b1, full_name="Vũ Thị Lan", citizen_id="001195099999",
                   birth_date=date(1998, 2, 3), added_date=date(2024, 1, 5),
                   occupation="Chuyên viên")
    make_candidate(users, tree.b1, full_name="Đỗ Văn Sau", citizen_id="001195088888",
                   added_date=date(2024, 3, 1))  # added after: not on this list
    make_candidate(users, tree.b1, full_name="Lê Năm Trước", citizen_id="001195077777",
                   added_date=date(2023, 11, 1), plan_year=2023)
    for text in both("du-nguon", candidate):
        assert "CHI BỘ MỘT" in text.upper() and "ĐẢNG ỦY SỞ MỘT" in text.upper()
        assert "Số ……-DS/CB" in text
        assert "ngày 10 tháng 01 năm 2024" in text
        assert "Hoàng Thị Quỳnh Anh" in text and "17/05/1995" in text and "10/01/2024" in text
        assert "Vũ Thị Lan" in text and "Chuyên viên" in text and "05/01/2024" in text
        assert "Đỗ Văn Sau" not in text and "Lê Năm Trước" not in text
        assert "gồm 2 người" in text
        assert "None" not in text


def test_the_helper_s_assignment_names_the_helper(candidate, walk, branch_members):
    walk(candidate, until="record_awareness_certificate")
    helper = branch_members.officials[0]
    for text in both("giup-do", candidate):
        assert "NGHỊ QUYẾT" in text.upper() and "CHI BỘ MỘT" in text.upper()
        assert "Số ……-NQ/CB" in text
        assert "ngày 01 tháng 02 năm 2024" in text
        assert f"Phân công đồng chí {helper.full_name}" in text
        assert helper.card_number in text
        assert candidate.full_name in text
        assert "None" not in text


def test_the_history_form_has_the_family_and_the_branch_s_confirmation(candidate, walk):
    walk(candidate, until="record_introductions")
    for text in both("2-knd", candidate):
        assert "LÝ LỊCH CỦA NGƯỜI XIN VÀO ĐẢNG" in text.upper()
        assert "HOÀNG THỊ QUỲNH ANH" in text and "001195012345" in text
        assert "Cha: Hoàng Văn Cường" in text and "Mẹ: Nguyễn Thị Hạnh" in text
        assert "ngày 02 tháng 4 năm 2024" in text  # the person signs the form
        assert "Chi ủy chi bộ xác nhận" in text
        assert "ngày 10 tháng 5 năm 2024" in text  # the branch certifies it
        assert "Đảng ủy phường Hàng Bạc" in text and "Lý lịch rõ ràng" in text
        assert "Đảng ủy xã Yên Sở trả lời ngày 25/04/2024" in text
        assert "ngày 15/03/2024" in text  # the awareness certificate
        assert "None" not in text


def test_the_introducer_s_paper_names_the_first_member_introducer(
        candidate, walk, branch_members):
    walk(candidate, until="record_opinions")
    introducer = branch_members.officials[1]
    for text in both("3-knd", candidate):
        assert "GIẤY GIỚI THIỆU NGƯỜI VÀO ĐẢNG" in text.upper()
        assert f"Tôi là: {introducer.full_name}" in text
        assert introducer.card_number in text
        assert "ngày 20 tháng 5 năm 2024" in text  # the day of the introduction
        assert "từ ngày 01 tháng 01 năm 2020" in text  # known since
        assert "NGƯỜI GIỚI THIỆU" in text and candidate.full_name in text
        assert "None" not in text


def test_the_youth_union_s_resolution_has_its_number_and_date(candidate, walk):
    walk(candidate, until="record_opinions")
    for text in both("4-knd", candidate):
        assert "BCH ĐOÀN ……" in text.upper()
        assert "Số 05/NQ-ĐTN" in text
        assert "ngày 18 tháng 5 năm 2024" in text
        assert "T/M BAN CHẤP HÀNH" in text
        assert f"đoàn viên {candidate.full_name}" in text
        assert "None" not in text


def test_the_trade_union_s_resolution_has_its_number_and_date(candidate, walk, branch_members):
    candidate.no_youth_union_at_unit = True  # the trade union introduces instead
    candidate.save()
    o = branch_members.officials
    walk(candidate, until="record_opinions", overrides={"record_introductions": (
        date(2024, 5, 20), {"introducer_1": o[1], "known_since_1": date(2020, 1, 1),
                            "union_kind": "trade_union", "union_resolution": "07-NQ/CĐ",
                            "union_date": date(2024, 5, 17)})})
    for text in both("4a-knd", candidate):
        assert "BCH CÔNG ĐOÀN ……" in text.upper()
        assert "Số 07-NQ/CĐ" in text
        assert "ngày 17 tháng 5 năm 2024" in text
        assert f"đoàn viên công đoàn {candidate.full_name}" in text
        assert "None" not in text
    # No youth union resolution recorded: its paper is dotted.
    for text in both("4-knd", candidate):
        assert "Số ……-NQ/ĐTN" in text and "ngày …… tháng …… năm ……" in text


def test_the_opinions_summary_is_the_branch_s_report(candidate, walk):
    walk(candidate, until="branch_vote")
    for text in both("5-knd", candidate):
        assert "TỔNG HỢP Ý KIẾN NHẬN XÉT" in text.upper() and "CHI BỘ MỘT" in text.upper()
        assert "Số ……-BC/CB" in text
        assert "ngày 01 tháng 6 năm 2024" in text
        assert "Đồng ý" in text and candidate.full_name in text
        assert "None" not in text


def test_the_branch_resolution_gives_the_vote_as_recorded(candidate, walk):
    walk(candidate, until="send_up")
    for text in both("6-knd", candidate):
        assert "NGHỊ QUYẾT" in text.upper() and "đề nghị kết nạp đảng viên" in text
        assert "CHI BỘ MỘT" in text.upper()
        assert "Số 12-NQ/CB" in text
        assert "Ngày 10 tháng 6 năm 2024" in text
        assert "Tổng số đảng viên chính thức của chi bộ: 5 đồng chí; có mặt: 5" in text
        assert "tán thành việc kết nạp: 4 đồng chí (đạt 80%" in text
        assert "không tán thành: 1 đồng chí (20%)" in text
        assert "Đề nghị Đảng ủy Sở Một xem xét" in text
        assert "None" not in text


def under_partial_committee(users, tree, walk, branch_members):
    """A candidate of the branch under the partial committee, walked to its appraisal."""
    person, appraiser, overrides = partial_route(users, tree, branch_members)
    walk(person, until="grassroots_resolution", overrides=overrides)
    return person, appraiser


def test_the_partial_committee_s_appraisal(users, tree, walk, branch_members):
    person, appraiser = under_partial_committee(users, tree, walk, branch_members)
    for text in both("7-knd", person):  # before the appraisal: dots
        assert "Số ……-BC/ĐUBP" in text and "None" not in text
    services.perform("partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2024, 6, 15),
                     data={"note": "Đủ điều kiện", "document_number": "3-BC/ĐUBP"})
    for text in both("7-knd", person):
        assert "BÁO CÁO THẨM ĐỊNH" in text.upper()
        assert "ĐẢNG ỦY BỘ PHẬN KHỐI NỘI" in text.upper()
        assert "Số 3-BC/ĐUBP" in text
        assert "ngày 15 tháng 6 năm 2024" in text
        assert "Nghị quyết số 14-NQ/CB (ngày 10 tháng 6 năm 2024)" in text
        assert "Kết luận: Đủ điều kiện" in text
        assert person.full_name in text and "None" not in text


def test_the_committee_resolution_recalls_the_appraisal(users, tree, walk, branch_members):
    person, appraiser = under_partial_committee(users, tree, walk, branch_members)
    services.perform("partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2024, 6, 15),
                     data={"note": "Đủ điều kiện", "document_number": "3-BC/ĐUBP"})
    _who, day, data = step_of(branch_members, "grassroots_resolution")
    services.perform("grassroots_resolution", candidate=person, actor=users.office,
                     event_date=day, data=data)
    person.refresh_from_db()
    for text in both("8-knd", person):
        assert "Xét Báo cáo thẩm định số 3-BC/ĐUBP (ngày 15 tháng 6 năm 2024)" in text
        assert "Số 45-NQ/ĐU" in text


def test_the_committee_resolution_gives_its_vote(candidate, walk):
    walk(candidate, until="approve_admission")
    for text in both("8-knd", candidate):
        assert "NGHỊ QUYẾT" in text.upper() and "ĐẢNG ỦY SỞ MỘT" in text.upper()
        assert "ĐẢNG BỘ KHỐI" in text.upper() or "ĐẢNG ỦY KHỐI" in text.upper()
        assert "Số 45-NQ/ĐU" in text
        assert "Ngày 20 tháng 6 năm 2024" in text
        assert "Tổng số cấp ủy viên: 9 đồng chí; có mặt: 8 đồng chí; vắng mặt: 1" in text
        assert "tán thành việc kết nạp: 7 đồng chí (đạt 78%" in text
        assert "Xét Nghị quyết số 12-NQ/CB (ngày 10 tháng 6 năm 2024)" in text
        assert "Đề nghị Ban Thường vụ Đảng ủy Khối xem xét" in text
        assert "Báo cáo thẩm định" not in text  # no partial committee above Chi bộ Một
        assert candidate.full_name in text and "None" not in text
