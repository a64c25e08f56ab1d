"""The report as an XLSX workbook: the same tables as the PDF, with every row (the PDF
shortens long lists), numbers as numbers so they can be added up again."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .figures import ReportFigures
from .prose import dmy

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
PERCENT = '0.0" %"'


def _pct(value):
    """Percentages stay numbers (83.3), shown with one decimal and a percent sign."""
    return float(value) if value is not None else None


class _Sheet:
    def __init__(self, wb, title, headers, widths):
        self.ws = wb.create_sheet(title)
        self.ws.append(headers)
        for cell in self.ws[1]:
            cell.font = BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "A2"
        self.percent_columns = [i for i, h in enumerate(headers, start=1) if "%" in h]

    def row(self, *values):
        self.ws.append(list(values))
        for col in self.percent_columns:
            self.ws.cell(row=self.ws.max_row, column=col).number_format = PERCENT


def render_xlsx(f: ReportFigures) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "Tổng hợp"
    _summary(summary, f)
    _years(wb, f)
    _units(wb, f)
    _branches(wb, f)
    _structure(wb, f)
    _idle(wb, f)
    _headcounts(wb, f)
    _pipeline(wb, f)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary(ws, f: ReportFigures):
    ws.append([f"Báo cáo kết quả công tác phát triển đảng viên {f.period.title}"])
    ws.append([f"{f.organisation.name} ({f.organisation.code}); từ ngày {dmy(f.period.start)} "
               f"đến ngày {dmy(f.period.end)}; lập ngày {dmy(f.as_of)}"])
    ws["A1"].font = TITLE
    ws.append([])
    ws.append(["Chỉ tiêu", "Số lượng", "Tỷ lệ (%)", "So với"])
    for cell in ws[4]:
        cell.font = BOLD
    m = f.membership
    rows = [
        ("Kết nạp đảng viên", f.admitted, f.target_percent, "chỉ tiêu"),
        ("Chỉ tiêu kết nạp", f.target, None, ""),
        ("Kết nạp so với số đảng viên đầu kỳ", f.admitted, f.admitted_percent_of_start,
         "đảng viên đầu kỳ"),
        ("Quần chúng được công nhận cảm tình Đảng", f.sympathisers, None, ""),
        ("Lớp bồi dưỡng nhận thức về Đảng", f.awareness_classes, None, ""),
        ("Học viên lớp nhận thức về Đảng", f.awareness_learners, None, ""),
        ("Lớp bồi dưỡng đảng viên mới", f.new_member_classes, None, ""),
        ("Học viên lớp đảng viên mới", f.new_member_learners, None, ""),
        ("Đoàn viên được Đoàn giới thiệu", f.youth_introduced, None, ""),
        ("Đoàn viên được kết nạp", f.youth_admitted, None, ""),
        ("Công nhận đảng viên chính thức", f.recognised, f.recognised_percent,
         "số hết thời gian dự bị"),
        ("Đảng viên hết thời gian dự bị trong kỳ", f.probation_ended, None, ""),
        ("Xóa tên đảng viên dự bị", f.removed, None, ""),
        ("Đảng viên đầu kỳ", m.at_start, None, ""),
        ("Tăng do kết nạp", m.joined, None, ""),
        ("Giảm", m.left, None, ""),
        ("Đảng viên cuối kỳ", m.at_end, None, ""),
        ("Hồ sơ đang theo dõi, xem xét", f.pipeline_total, None, ""),
        ("Hồ sơ quá hạn xử lý", f.overdue_total, None, ""),
    ]
    for label, value, pct, versus in rows:
        ws.append([label, value, _pct(pct), versus if pct is not None else ""])
        ws.cell(row=ws.max_row, column=3).number_format = PERCENT
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 24


def _years(wb, f: ReportFigures):
    s = _Sheet(wb, "Theo năm", [
        "Năm", "Từ ngày", "Đến ngày", "Kết nạp", "Chỉ tiêu", "Đạt (%)", "Đoàn viên được kết nạp",
        "Cảm tình Đảng", "Công nhận chính thức", "Hết dự bị", "Xóa tên", "Lớp nhận thức",
        "Học viên lớp nhận thức", "Lớp đảng viên mới", "Học viên lớp đảng viên mới",
        "Đoàn giới thiệu"], [8, 12, 12, 10, 10, 10, 12, 12, 12, 10, 8, 10, 12, 10, 12, 10])
    for y in f.by_year:
        s.row(y.year, dmy(y.start), dmy(y.end), y.admitted, y.target, _pct(y.target_percent),
              y.youth_admitted, y.sympathisers, y.recognised, y.probation_ended, y.removed,
              y.awareness_classes, y.awareness_learners, y.new_member_classes,
              y.new_member_learners, y.youth_introduced)
    s.row("Cả kỳ", dmy(f.period.start), dmy(f.period.end), f.admitted, f.target,
          _pct(f.target_percent), f.youth_admitted, f.sympathisers, f.recognised,
          f.probation_ended, f.removed, f.awareness_classes, f.awareness_learners,
          f.new_member_classes, f.new_member_learners, f.youth_introduced)
    for cell in s.ws[s.ws.max_row]:
        cell.font = BOLD


def _units(wb, f: ReportFigures):
    s = _Sheet(wb, "Theo đơn vị", ["Mã", "Đơn vị trực thuộc", "Kết nạp", "Chỉ tiêu", "Đạt (%)",
                                   "Số chi bộ", "Chi bộ chưa kết nạp", "Đảng viên hiện nay"],
               [12, 46, 10, 10, 10, 10, 12, 12])
    for u in f.by_unit:
        s.row(u.unit.code, u.unit.name, u.admitted, u.target, _pct(u.target_percent),
              u.branches, u.branches_without_admission, u.members)


def _branches(wb, f: ReportFigures):
    s = _Sheet(wb, "Theo chi bộ", ["Mã", "Chi bộ", "Trực thuộc", "Kết nạp"], [14, 46, 46, 10])
    for b in f.by_branch:
        s.row(b.unit.code, b.unit.name, b.parent_name, b.admitted)


def _structure(wb, f: ReportFigures):
    s = _Sheet(wb, "Cơ cấu", ["Nhóm", "Giá trị", "Số đảng viên mới", "Tỷ lệ (%)"],
               [36, 40, 16, 12])
    for g in f.groups:
        s.row("Thành phần", g.label, g.count, _pct(g.percent))
    for g in f.age_bands:
        s.row("Tuổi khi kết nạp", g.label, g.count, _pct(g.percent))
    s.row("Tuổi khi kết nạp", "Tuổi bình quân",
          float(f.average_age) if f.average_age is not None else None, None)
    for title, groups in (("Trình độ học vấn", f.education), ("Trình độ chuyên môn",
                          f.profession), ("Nghề nghiệp", f.occupation)):
        for g in groups:
            s.row(title, g.label, g.count, _pct(g.percent))


def _idle(wb, f: ReportFigures):
    s = _Sheet(wb, "Chưa kết nạp", ["Loại", "Mã", "Tên", "Trực thuộc"], [22, 14, 46, 46])
    for u in f.grassroots_without_admission:
        s.row("Tổ chức cơ sở đảng", u.code, u.name, "")
    for b in f.branches_without_admission:
        s.row("Chi bộ", b.unit.code, b.unit.name, b.parent_name)


def _headcounts(wb, f: ReportFigures):
    s = _Sheet(wb, "Cán bộ là đảng viên", ["Mã", "Đơn vị", "Đảng viên", "Cán bộ, công chức",
                                           "Tỷ lệ (%)"], [14, 46, 12, 14, 12])
    shown = {h.unit.pk for h in f.headcounts}
    for h in f.headcounts + [h for h in f.units_all_members if h.unit.pk not in shown]:
        s.row(h.unit.code, h.unit.name, h.members, h.staff, _pct(h.percent))


def _pipeline(wb, f: ReportFigures):
    s = _Sheet(wb, "Hồ sơ đang xét", ["Bước", "Số hồ sơ", "Quá hạn"], [52, 12, 12])
    for st in f.pipeline:
        s.row(str(st.label), st.count, st.overdue)
    s.row("Cộng", f.pipeline_total, f.overdue_total)
