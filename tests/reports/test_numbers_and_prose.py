"""Percentages are exact and written the Vietnamese way; the sentences read like the reports
the seeds quote."""
from datetime import date
from decimal import Decimal

from reports import prose
from reports.figures import Membership, ReportFigures, Unit, YearFigures, percent
from reports.periods import Period
from reports.templatetags.documents import vn_number, vn_percent


def test_percent_divides_exactly_and_rounds_half_up_to_one_place():
    assert percent(408, 250) == Decimal("163.2")
    assert percent(50, 60) == Decimal("83.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 rounds up, not to even
    assert percent(92, 88) == Decimal("104.5")


def test_percent_of_nothing_is_not_a_number():
    assert percent(5, 0) is None and percent(5, None) is None


def test_numbers_are_written_with_dots_for_thousands_and_a_comma_for_decimals():
    assert vn_number(5100) == "5.100"
    assert vn_number(23158) == "23.158"
    assert vn_percent(percent(50, 60)) == "83,3 %"
    assert vn_percent(percent(408, 250)) == "163,2 %"


def term_figures(**fields):
    period = Period("term", "2020-2025", date(2020, 10, 15), date(2025, 10, 20), True)
    unit = Unit(1, "DBK", "Đảng bộ Khối các cơ quan tỉnh", "upper_committee", "00001")
    f = ReportFigures(organisation=unit, parent_name="", period=period,
                      as_of=date(2026, 1, 5), **fields)
    f.by_year = [YearFigures(y, *period.year_span(y)) for y in period.years]
    return f


def test_the_term_sentence_gives_the_count_the_share_of_the_target_and_the_excess():
    f = term_figures(admitted=408, target=250, membership=Membership(at_start=5100))
    text = prose.write(f).admitted[0]
    assert text == (
        "Trong nhiệm kỳ 2020-2025 (từ ngày 15/10/2020 đến ngày 20/10/2025), Đảng bộ Khối các "
        "cơ quan tỉnh đã kết nạp 408 đảng viên, đạt 163,2 % chỉ tiêu nhiệm kỳ (chỉ tiêu 250 "
        "đảng viên, vượt 158 đảng viên), bằng 8,0 % số đảng viên đầu nhiệm kỳ (5.100 đồng chí).")


def test_a_shortfall_and_a_missing_target_are_said_plainly():
    short = prose.write(term_figures(admitted=92, target=100)).admitted[0]
    assert "đạt 92,0 % chỉ tiêu nhiệm kỳ (chỉ tiêu 100 đảng viên, còn thiếu 8 đảng viên)." \
        in short
    none = prose.write(term_figures(admitted=12)).admitted[0]
    assert "đã kết nạp 12 đảng viên (chưa giao chỉ tiêu nhiệm kỳ)." in none


def test_recognition_is_written_as_a_share_of_probations_ended():
    f = term_figures(recognised=404, probation_ended=404)
    assert prose.write(f).probation[0] == (
        "Đã công nhận 404 đảng viên chính thức, bằng 100,0 % số đảng viên hết thời gian dự bị "
        "trong nhiệm kỳ (404 đồng chí).")


def test_classes_and_youth_union_figures_read_like_the_seeds():
    f = term_figures(awareness_classes=10, awareness_learners=361, new_member_classes=9,
                     new_member_learners=401, youth_introduced=23158, youth_admitted=20095,
                     sympathisers=425)
    sources = prose.write(f).sources
    assert "Trong nhiệm kỳ, 425 quần chúng được công nhận là cảm tình Đảng" in sources[0]
    assert ("Đã mở 10 lớp bồi dưỡng nhận thức về Đảng cho 361 quần chúng và 9 lớp bồi dưỡng "
            "lý luận chính trị cho đảng viên mới cho 401 đồng chí.") == sources[1]
    assert "giới thiệu 23.158 đoàn viên ưu tú" in sources[2]
    assert "trong đó 20.095 đoàn viên đã được kết nạp" in sources[2]


def test_an_empty_year_says_nobody_was_admitted():
    period = Period("year", "2024", date(2024, 1, 1), date(2024, 12, 31))
    f = ReportFigures(organisation=Unit(3, "B3", "Chi bộ Ba", "branch", "000010000200001"),
                      parent_name="Đảng bộ Sở Hai", period=period, as_of=date(2025, 1, 5))
    p = prose.write(f)
    assert p.admitted == ["Năm 2024, Chi bộ Ba chưa kết nạp được đảng viên nào."]
    assert p.structure == [] and p.units == []
    assert p.pipeline == ["Đến ngày 05/01/2025, không có hồ sơ nào đang theo dõi, xem xét."]


def test_years_still_to_come_are_left_out_of_the_year_by_year_sentence():
    f = term_figures(admitted=3)
    f.as_of = date(2022, 3, 1)
    f.by_year[0].admitted, f.by_year[2].admitted = 1, 2
    assert prose.write(f).admitted[1] == "Kết quả từng năm: năm 2020: 1; năm 2021: 0; năm 2022: 2."


def test_a_percentage_never_breaks_from_its_number():
    from reports.templatetags.documents import keep_units

    assert keep_units("đạt 75,0 % chỉ tiêu") == "đạt 75,0\u00a0% chỉ tiêu"
