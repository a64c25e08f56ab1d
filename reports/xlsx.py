"""The report as an XLSX workbook: the same tables as the PDF, with every row (the PDF
shortens long lists), numbers as numbers so they can be added up again. Names come from the
data, so the workbook is written through members/xlsx.py like every other spreadsheet."""
from io import BytesIO

from openpyxl.styles import Alignment, Font

from members.xlsx import Workbook

from .figures import ReportFigures
from .prose import dmy, footnote

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
PERCENT = '0.0" %"'


def _pct(value):
    """Percentages stay numbers (83.3), shown with one decimal and a percent sign."""
    return float(value) if value is not None else None


class _Sheet:
    def __init__(self, book, title, headers, widths):
        self.sheet = book.sheet(title, widths=widths, freeze="A2")
        self.sheet.append(headers, font=BOLD, alignment=Alignment(wrap_text=True,
                                                                   vertical="top"))
        self.formats = {i: PERCENT for i, h in enumerate(headers) if "%" in h}

    def row(self, *values, font=None):
        self.sheet.append(values, font=font, number_formats=self.formats)


def render_xlsx(f: ReportFigures) -> bytes:
    book = Workbook()
    _summary(book, f)
    _years(book, f)
    _units(book, f)
    _branches(book, f)
    _structure(book, f)
    _idle(book, f)
    _headcounts(book, f)
    _pipeline(book, f)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _summary(book, f: ReportFigures):
    ws = book.sheet("Tổng hợp", widths=[44, 12, 12, 24])
    ws.append([f"Báo cáo kết quả công tác phát triển đảng viên {f.period.title}"], font=TITLE)
    ws.append([f"{f.organisation.name} ({f.organisation.code}); từ ngày {dmy(f.period.start)} "
               f"đến ngày {dmy(f.period.end)}; lập ngày {dmy(f.as_of)}"])
    ws.append([])
    ws.append(["Chỉ tiêu", "Số lượng", "Tỷ lệ (%)", "So với"], font=BOLD)
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
        ("Trong đó đã được kết nạp đến cuối kỳ", f.sympathisers_admitted,
         f.sympathisers_admitted_percent, "số cảm tình Đảng"),
        ("Đoàn viên được Đoàn giới thiệu", f.youth_introduced, None, ""),
        ("Trong đó đã được kết nạp đến cuối kỳ", f.youth_admitted, f.youth_admitted_percent,
         "số được giới thiệu"),
        ("Đoàn viên trong số đảng viên mới kết nạp", f.youth_union, f.share(f.youth_union),
         "số kết nạp"),
        ("Công nhận đảng viên chính thức", f.recognised, f.recognised_percent,
         "số hết thời gian dự bị"),
        ("Đảng viên hết thời gian dự bị trong kỳ", f.probation_ended, None, ""),
        ("Xóa tên đảng viên dự bị", f.removed, None, ""),
        ("Lượt chi bộ biểu quyết đề nghị kết nạp không đạt 2/3", f.failed_votes, None, ""),
        ("Đảng viên đầu kỳ", m.at_start, None, ""),
        ("Tăng trong kỳ", m.joined, None, ""),
        *[(f"   Tăng: {c.label.lower()}", c.count, None, "") for c in m.increase_rows],
        ("Giảm trong kỳ", m.left, None, ""),
        *[(f"   Giảm: {c.label.lower()}", c.count, None, "") for c in m.decrease_rows],
        ("Đảng viên cuối kỳ", m.at_end, None, ""),
        ("Tổ chức cơ sở đảng (cuối kỳ)", f.structure.grassroots, None, ""),
        ("   Đảng bộ cơ sở", f.structure.grassroots_committees, None, ""),
        ("   Chi bộ cơ sở", f.structure.grassroots_branches, None, ""),
        ("Chi bộ trực thuộc (cuối kỳ)", f.structure.branches, None, ""),
        ("Đảng bộ bộ phận (cuối kỳ)", f.structure.partial_committees, None, ""),
        ("Hồ sơ đang theo dõi, xem xét", f.pipeline_total, None, ""),
        ("Hồ sơ quá hạn xử lý", f.overdue_total, None, ""),
    ]
    for label, value, pct, versus in rows:
        ws.append([label, value, _pct(pct), versus if pct is not None else ""],
                  number_formats={2: PERCENT})
    for sent in f.sent:
        who = "Quần chúng" if sent.kind == "awareness" else "Đảng viên"
        ws.append([f"{who} được cử học lớp do {sent.organiser} tổ chức", sent.count])
    ws.append([])
    ws.append([f"Ghi chú: {footnote(f)}"])


def _years(book, f: ReportFigures):
    s = _Sheet(book, "Theo năm", [
        "Năm", "Từ ngày", "Đến ngày", "Kết nạp", "Chỉ tiêu", "Đạt (%)", "Trong đó đoàn viên",
        "Cảm tình Đảng", "Công nhận chính thức", "Hết dự bị", "Xóa tên", "Lớp nhận thức",
        "Học viên lớp nhận thức", "Lớp đảng viên mới", "Học viên lớp đảng viên mới",
        "Đoàn giới thiệu", "Trong đó được kết nạp"],
        [8, 12, 12, 10, 10, 10, 12, 12, 12, 10, 8, 10, 12, 10, 12, 10, 12])
    for y in f.by_year:
        s.row(y.year, dmy(y.start), dmy(y.end), y.admitted, y.target, _pct(y.target_percent),
              y.youth_union, y.sympathisers, y.recognised, y.probation_ended, y.removed,
              y.awareness_classes, y.awareness_learners, y.new_member_classes,
              y.new_member_learners, y.youth_introduced, y.youth_admitted)
    s.row("Cả kỳ", dmy(f.period.start), dmy(f.period.end), f.admitted, f.target,
          _pct(f.target_percent), f.youth_union, f.sympathisers, f.recognised,
          f.probation_ended, f.removed, f.awareness_classes, f.awareness_learners,
          f.new_member_classes, f.new_member_learners, f.youth_introduced, f.youth_admitted,
          font=BOLD)


def _units(book, f: ReportFigures):
    s = _Sheet(book, "Theo đơn vị", ["Mã", "Đơn vị trực thuộc", "Kết nạp", "Chỉ tiêu", "Đạt (%)",
                                   "Số chi bộ", "Chi bộ chưa kết nạp", "Đảng viên cuối kỳ"],
               [12, 46, 10, 10, 10, 10, 12, 12])
    for u in f.by_unit:
        s.row(u.unit.code, u.unit.name, u.admitted, u.target, _pct(u.target_percent),
              u.branches, u.branches_without_admission, u.members)


def _branches(book, f: ReportFigures):
    s = _Sheet(book, "Theo chi bộ", ["Mã", "Chi bộ", "Trực thuộc", "Kết nạp"], [14, 46, 46, 10])
    for b in f.by_branch:
        s.row(b.unit.code, b.unit.name, b.parent_name, b.admitted)


def _structure(book, f: ReportFigures):
    s = _Sheet(book, "Cơ cấu", ["Nhóm", "Giá trị", "Số đảng viên mới", "Tỷ lệ (%)"],
               [36, 40, 16, 12])
    for g in f.groups:
        s.row("Thành phần", g.label, g.count, _pct(g.percent))
    for g in f.age_bands:
        s.row("Tuổi khi kết nạp", g.label, g.count, _pct(g.percent))
    s.row("Tuổi khi kết nạp", "Tuổi bình quân",
          float(f.average_age) if f.average_age is not None else None, None)
    for title, groups in (("Trình độ học vấn", f.education), ("Trình độ chuyên môn",
                          f.qualification), ("Nghề nghiệp", f.occupation)):
        for g in groups:
            s.row(title, g.label, g.count, _pct(g.percent))


def _idle(book, f: ReportFigures):
    s = _Sheet(book, "Chưa kết nạp", ["Loại", "Mã", "Tên", "Trực thuộc"], [22, 14, 46, 46])
    for u in f.grassroots_without_admission:
        s.row("Tổ chức cơ sở đảng", u.code, u.name, "")
    for b in f.branches_without_admission:
        s.row("Chi bộ", b.unit.code, b.unit.name, b.parent_name)


def _headcounts(book, f: ReportFigures):
    s = _Sheet(book, "Cán bộ là đảng viên", ["Mã", "Đơn vị", "Đảng viên", "Cán bộ, công chức",
                                           "Tỷ lệ (%)", "Ghi chú"], [14, 46, 12, 14, 12, 40])
    shown = {h.unit.pk for h in f.headcounts}
    extra = [h for h in f.units_all_members + f.units_over if h.unit.pk not in shown]
    for h in f.headcounts + extra:
        note = ("chưa có số cán bộ, công chức" if h.missing
                else "số đảng viên nhiều hơn số cán bộ, công chức: cần kiểm tra" if h.over
                else "100 %" if h.all_members else "")
        s.row(h.unit.code, h.unit.name, h.members, h.staff,
              None if h.missing or h.over else _pct(h.percent), note)


def _pipeline(book, f: ReportFigures):
    s = _Sheet(book, "Hồ sơ đang xét", ["Bước", "Số hồ sơ", "Quá hạn"], [52, 12, 12])
    for st in f.pipeline:
        s.row(str(st.label), st.count, st.overdue)
    s.row("Cộng", f.pipeline_total, f.overdue_total)
