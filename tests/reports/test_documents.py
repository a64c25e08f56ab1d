"""The PDF reads back with the figures and every Vietnamese diacritic; the XLSX holds the same
tables as numbers; the charts are well-formed SVG shared by the page and the PDF."""
from io import BytesIO
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import charts, documents, periods
from reports.selectors import compute_figures

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def figures(org, label="2024"):
    return compute_figures(org, periods.resolve(org, label), today=TODAY)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def root_figures(known):
    return figures(known.tree.root)


def test_the_pdf_has_the_official_header_title_and_signature(known):
    known.tree.root.document_place = "Vĩnh Yên"
    known.tree.root.signer_title = "PHÓ BÍ THƯ"
    known.tree.root.signer_name = "Nguyễn Văn Ký"
    known.tree.root.save()
    text = pdf_text(documents.render_report_pdf(figures(known.tree.root)))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG ỦY KHỐI" in text  # the issuing body, from "Đảng bộ Khối"
    assert "Vĩnh Yên, ngày 01 tháng 6 năm 2025" in text and "Hà Nội" not in text
    assert "PHÓ BÍ THƯ" in text and "Nguyễn Văn Ký" in text
    assert "BÁO CÁO" in text
    assert "Kết quả công tác phát triển đảng viên năm 2024" in text
    assert "-BC/ĐU" in text
    assert "T/M BAN THƯỜNG VỤ" in text and "Nơi nhận:" in text


def test_the_pdf_says_the_figures_in_sentences_with_vietnamese_numbers(root_figures):
    text = pdf_text(documents.render_report_pdf(root_figures))
    assert ("Năm 2024, Đảng bộ Khối đã kết nạp 5 đảng viên, đạt 166,7 % chỉ tiêu năm "
            "(chỉ tiêu 3 đảng viên, vượt 2 đảng viên), bằng 62,5 % số đảng viên đầu năm "
            "(8 đồng chí).") in text
    assert "2 đồng chí nữ (40,0 %)" in text
    assert "Tuổi bình quân khi kết nạp là 46,2" in text
    assert "Có 1/4 chi bộ và 1/3 tổ chức cơ sở đảng chưa kết nạp được đảng viên" in text
    assert "Đã công nhận 2 đảng viên chính thức, bằng 50,0 % số đảng viên hết thời gian dự bị" \
        in text
    assert "Đã mở 2 lớp bồi dưỡng nhận thức về Đảng cho 5 quần chúng" in text
    assert "Số cán bộ, công chức là đảng viên" not in text  # the root records no headcount
    assert "9/12" in text and "75,0 %" in text  # Sở Một: 9 of 12 staff on 31/12/2024
    assert "trong đó 2 hồ sơ đã quá hạn xử lý" in text


def test_the_pdf_keeps_every_diacritic(root_figures):
    text = pdf_text(documents.render_report_pdf(root_figures))
    for word in ("Đảng bộ Sở Một", "Chi bộ cơ sở Tỉnh đoàn", "Quần chúng ưu tú",
                 "Cảm tình Đảng", "dân tộc thiểu số", "Đoàn viên Thanh niên Cộng sản Hồ Chí Minh",
                 "Xóa tên", "Biểu đồ"):
        assert word in text, word


def test_the_pdf_shortens_long_lists_and_points_to_the_spreadsheet(known, monkeypatch):
    monkeypatch.setattr(documents, "PDF_LIST_LIMIT", 0)
    text = pdf_text(documents.render_report_pdf(figures(known.tree.root)))
    assert "… và 1 chi bộ khác (danh sách đầy đủ trong tệp XLSX)." in text


def test_an_organisation_with_no_data_gives_a_clean_pdf(tree):
    text = pdf_text(documents.render_report_pdf(figures(tree.b3)))
    assert "Năm 2024, Chi bộ Ba chưa kết nạp được đảng viên nào." in text
    assert "T/M CHI BỘ" in text and "-BC/CB" in text
    assert "Không có đảng viên mới kết nạp trong kỳ." in text


def test_a_term_pdf_has_a_row_per_year(known, recorded_term):
    text = pdf_text(documents.render_report_pdf(figures(known.tree.root, "2020-2025")))
    assert "(Từ ngày 15/10/2020 đến ngày 20/10/2025)" in text
    assert "2020 (từ 15/10)" in text and "2025 (đến 20/10)" in text
    assert "Cả nhiệm kỳ" in text
    assert "đạt 4,4 % chỉ tiêu nhiệm kỳ (chỉ tiêu 250 đảng viên, còn thiếu 239 đảng viên)" \
        in text


def test_the_workbook_has_the_same_tables_with_numbers(root_figures):
    wb = load_workbook(BytesIO(documents.render(root_figures, "xlsx").content))
    assert wb.sheetnames == ["Tổng hợp", "Theo năm", "Theo đơn vị", "Theo chi bộ", "Cơ cấu",
                             "Chưa kết nạp", "Cán bộ là đảng viên", "Hồ sơ đang xét"]
    summary = {row[0]: row[1:] for row in wb["Tổng hợp"].iter_rows(min_row=5, values_only=True)}
    assert summary["Kết nạp đảng viên"][:2] == (5, 166.7)
    assert summary["Công nhận đảng viên chính thức"][:2] == (2, 50.0)
    branches = list(wb["Theo chi bộ"].iter_rows(min_row=2, values_only=True))
    assert ("B3", "Chi bộ Ba", "Đảng bộ Sở Hai", 1) in branches
    headcounts = list(wb["Cán bộ là đảng viên"].iter_rows(min_row=2, values_only=True))
    assert ("GC1", "Đảng bộ Sở Một", 9, 12, 75.0, None) in headcounts
    assert ("B3", "Chi bộ Ba", 1, 1, 100.0, "100 %") in headcounts
    assert wb["Cán bộ là đảng viên"]["E2"].number_format == '0.0" %"'


def test_the_file_names_say_what_the_report_is(root_figures):
    assert documents.render(root_figures, "pdf").filename == \
        "bao-cao-phat-trien-dang-vien-DBK-nam-2024.pdf"


def parse(svg) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))


SVG = "{http://www.w3.org/2000/svg}"


def test_the_charts_are_well_formed_svg_with_a_title_for_screen_readers(root_figures):
    for svg in (charts.admissions(root_figures), charts.funnel(root_figures),
                charts.units(root_figures)):
        root = parse(svg)
        assert root.get("role") == "img" and root.find(f"{SVG}title").text
        assert root.get("viewBox").startswith("0 0 640 ")


def test_the_units_chart_has_a_bar_per_unit_and_the_funnel_a_step_per_phase(root_figures):
    bars = parse(charts.units(root_figures)).findall(f"{SVG}rect")
    assert len(bars) == 1 + 3  # the legend's swatch and one per unit
    steps = [t.text for t in parse(charts.funnel(root_figures)).iter(f"{SVG}text")]
    assert "1 (1 quá hạn)" in steps and "Đảng viên dự bị" in steps


def test_a_term_chart_draws_no_bar_for_years_still_to_come(known):
    f = figures(known.tree.root, "2025-2030")
    texts = [t.text for t in parse(charts.admissions(f)).iter(f"{SVG}text")]
    assert "2030" in texts
    rects = parse(charts.admissions(f)).findall(f"{SVG}rect")
    assert len(rects) == 1 + 1  # the legend and 2025 only


def test_a_year_chart_adds_up_month_by_month_against_the_target(root_figures):
    desc = parse(charts.admissions(root_figures)).find(f"{SVG}desc").text
    assert desc == "Đến hết tháng 12: 5 đảng viên; chỉ tiêu năm 3"


def test_units_beyond_the_chart_limit_are_named_in_a_line_not_a_bar(root_figures):
    svg = parse(charts.units(root_figures, limit=2))
    assert len(svg.findall(f"{SVG}rect")) == 1 + 2
    assert "… và 1 đơn vị khác, kết nạp 0 đảng viên" in [t.text for t in svg.iter(f"{SVG}text")]
