"""The sentences of a report, written from its figures the way an official report reads:
"Trong nhiệm kỳ 2020-2025, … đã kết nạp 408 đảng viên, đạt 163,2 % chỉ tiêu …".

The page and the PDF print the same sentences; only the layout around them differs.
"""
from dataclasses import dataclass, field
from datetime import date

from .figures import ReportFigures, percent
from .templatetags.documents import vn_number, vn_percent


def n(value) -> str:
    return vn_number(value)


def pct(value) -> str:
    return vn_percent(value)


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def share(count: int, whole: int, what: str) -> str:
    """'40 đồng chí nữ (37,0 %)'."""
    return f"{n(count)} {what} ({pct(percent(count, whole))})"


YOUTH_UNION_MEMBERS = "đồng chí là đoàn viên Thanh niên Cộng sản Hồ Chí Minh"


@dataclass
class Prose:
    admitted: list[str] = field(default_factory=list)
    structure: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    probation: list[str] = field(default_factory=list)
    membership: list[str] = field(default_factory=list)
    pipeline: list[str] = field(default_factory=list)
    footnote: str = ""


def write(f: ReportFigures) -> Prose:
    scope = "nhiệm kỳ" if f.period.is_term else "năm"
    p = Prose()
    p.admitted = [_admitted(f, scope)]
    if f.period.is_term and f.admitted:
        p.admitted.append(_years(f))
    if f.admitted:
        p.structure = _structure(f)
    p.units = _organisation(f) + _units(f, scope)
    p.sources = _sources(f, scope)
    p.probation = _probation(f, scope)
    p.membership = _membership(f, scope)
    p.pipeline = [_pipeline(f)]
    p.footnote = footnote(f)
    return p


def footnote(f: ReportFigures) -> str:
    """The counting basis, as the report's footnote states it."""
    if f.counted_by == "ceremony":
        basis = "ngày tổ chức lễ kết nạp"
    else:
        basis = ("ngày ký quyết định kết nạp (đảng viên nhập từ danh sách không có ngày quyết "
                 "định: ngày vào Đảng)")
    return (f"Số đảng viên kết nạp tính theo {basis}; tuổi đảng tính từ ngày quyết định kết nạp "
            f"(Điều lệ Đảng, Điều 5). Học viên của lớp là người đã học (không tính người vắng); "
            f"người được cử học lớp do cấp ủy ngoài đảng bộ tổ chức tính cho đơn vị cử. "
            f"Số đảng viên đầu kỳ, cuối kỳ, tăng, giảm và số cán bộ, "
            f"công chức tính theo các biến động và số liệu có hiệu lực vào các ngày đó, nên "
            f"không thay đổi khi có biến động sau kỳ báo cáo.")


def _organisation(f: ReportFigures) -> list[str]:
    """The structure as the department writes it, on the period's end date."""
    s = f.structure
    parts = []
    if s.grassroots:
        kinds = [f"{n(c)} {what}" for c, what in ((s.grassroots_committees, "đảng bộ cơ sở"),
                                                  (s.grassroots_branches, "chi bộ cơ sở")) if c]
        detail = f" ({', '.join(kinds)})" if len(kinds) > 1 else ""
        parts.append(f"{n(s.grassroots)} tổ chức cơ sở đảng{detail}")
    if s.branches:
        parts.append(f"{n(s.branches)} chi bộ trực thuộc")
    if s.partial_committees:
        parts.append(f"{n(s.partial_committees)} đảng bộ bộ phận")
    if not parts:
        return []
    day = min(f.period.end, f.as_of)
    return [f"Đến ngày {dmy(day)}, {f.organisation.name} có {', '.join(parts)}, với "
            f"{n(f.membership.at_end)} đảng viên."]


def _target_clause(admitted: int, target: int | None, scope: str) -> str:
    if target is None:
        return f"(chưa giao chỉ tiêu {scope})"
    if not target:
        return f"(chỉ tiêu {scope} là 0 đảng viên)"
    reached = pct(percent(admitted, target))
    if admitted > target:
        rest = f"vượt {n(admitted - target)} đảng viên"
    elif admitted < target:
        rest = f"còn thiếu {n(target - admitted)} đảng viên"
    else:
        rest = "đạt đúng chỉ tiêu"
    return f"đạt {reached} chỉ tiêu {scope} (chỉ tiêu {n(target)} đảng viên, {rest})"


def _admitted(f: ReportFigures, scope: str) -> str:
    period = f.period
    when = (f"Trong nhiệm kỳ {period.label} (từ ngày {dmy(period.start)} đến ngày "
            f"{dmy(period.end)})" if period.is_term else f"Năm {period.label}")
    who = f.organisation.name
    if not f.admitted:
        target = "" if f.target is None else f" (chỉ tiêu {n(f.target)} đảng viên)"
        return f"{when}, {who} chưa kết nạp được đảng viên nào{target}."
    clause = _target_clause(f.admitted, f.target, scope)
    sentence = (f"{when}, {who} đã kết nạp {n(f.admitted)} đảng viên"
                f"{' ' if clause.startswith('(') else ', '}{clause}")
    if f.membership.at_start:
        sentence += (f", bằng {pct(f.admitted_percent_of_start)} số đảng viên đầu {scope} "
                     f"({n(f.membership.at_start)} đồng chí)")
    return sentence + "."


def _years(f: ReportFigures) -> str:
    parts = []
    for y in f.by_year:
        if y.start > f.as_of:
            break  # years still to come
        text = f"năm {y.year}: {n(y.admitted)}"
        if y.target is not None:
            text += f" ({pct(y.target_percent)} chỉ tiêu {n(y.target)})"
        parts.append(text)
    return "Kết quả từng năm: " + "; ".join(parts) + "."


def _structure(f: ReportFigures) -> list[str]:
    a = f.admitted
    first = (f"Trong số {n(a)} đảng viên mới kết nạp có {share(f.women, a, 'đồng chí nữ')}, "
             f"{share(f.ethnic_minorities, a, 'đồng chí người dân tộc thiểu số')}, "
             f"{share(f.religious, a, 'đồng chí có tôn giáo')}, "
             f"{share(f.youth_union, a, YOUTH_UNION_MEMBERS)}.")
    if not f.age_bands:
        return [first]
    young = f.age_bands[0]
    second = (f"Tuổi bình quân khi kết nạp là {vn_number(f.average_age, 1)}; "
              f"{young.label.lower()} có {share(young.count, a, 'đồng chí')}.")
    return [first, second]


def _units(f: ReportFigures, scope: str) -> list[str]:
    if f.organisation.is_branch:
        return []
    idle_b, idle_g = len(f.branches_without_admission), len(f.grassroots_without_admission)
    if not f.branch_count:
        return ["Chưa có chi bộ trực thuộc."]
    if not idle_b:
        return [f"Tất cả {n(f.branch_count)} chi bộ đều kết nạp được đảng viên trong {scope}."]
    text = f"Có {n(idle_b)}/{n(f.branch_count)} chi bộ"
    if f.grassroots_count and f.organisation.kind not in ("grassroots_committee",
                                                          "grassroots_branch"):
        text += f" và {n(idle_g)}/{n(f.grassroots_count)} tổ chức cơ sở đảng"
    return [text + f" chưa kết nạp được đảng viên trong {scope}."]


def _sources(f: ReportFigures, scope: str) -> list[str]:
    by_end = f"đến ngày {dmy(min(f.period.end, f.as_of))}"
    first = (f"Trong {scope}, {n(f.sympathisers)} quần chúng được công nhận là cảm tình Đảng "
             f"(hoàn thành lớp bồi dưỡng nhận thức về Đảng)")
    if f.sympathisers:
        first += f", trong đó {n(f.sympathisers_admitted)} đã được kết nạp {by_end}"
    texts = [first + "."]
    if f.awareness_classes or f.new_member_classes:
        texts.append(
            f"Đã mở {n(f.awareness_classes)} lớp bồi dưỡng nhận thức về Đảng cho "
            f"{n(f.awareness_learners)} quần chúng và {n(f.new_member_classes)} lớp bồi dưỡng "
            f"lý luận chính trị cho đảng viên mới cho {n(f.new_member_learners)} đồng chí.")
    else:
        texts.append(f"Trong {scope} không có lớp bồi dưỡng nào do cấp ủy trong đảng bộ tổ "
                     f"chức kết thúc.")
    if f.sent:
        texts.append("Ngoài ra, đã cử " + "; ".join(_sent(f)) + ".")
    if f.youth_introduced:
        texts.append(f"Các tổ chức Đoàn đã giới thiệu {n(f.youth_introduced)} đoàn viên ưu tú "
                     f"để Đảng xem xét, trong đó {n(f.youth_admitted)} đoàn viên đã được kết "
                     f"nạp {by_end}.")
    else:
        texts.append(f"Trong {scope}, các tổ chức Đoàn chưa giới thiệu đoàn viên ưu tú nào.")
    return texts


SENT_WHO = {"awareness": ("quần chúng", "lớp bồi dưỡng nhận thức về Đảng"),
            "new_member": ("đảng viên", "lớp bồi dưỡng lý luận chính trị cho đảng viên mới")}


def _sent(f: ReportFigures) -> list[str]:
    """'10 đảng viên học lớp … do Đảng ủy Khối tổ chức', one phrase per class kind."""
    phrases = []
    for kind, (who, what) in SENT_WHO.items():
        rows = [s for s in f.sent if s.kind == kind]
        if not rows:
            continue
        total = sum(s.count for s in rows)
        organisers = ", ".join(s.organiser for s in rows[:3]) + (" …" if len(rows) > 3 else "")
        phrases.append(f"{n(total)} {who} học {what} do {organisers} tổ chức")
    return phrases


def _probation(f: ReportFigures, scope: str) -> list[str]:
    if f.probation_ended:
        first = (f"Đã công nhận {n(f.recognised)} đảng viên chính thức, bằng "
                 f"{pct(f.recognised_percent)} số đảng viên hết thời gian dự bị trong {scope} "
                 f"({n(f.probation_ended)} đồng chí).")
    else:
        first = (f"Đã công nhận {n(f.recognised)} đảng viên chính thức; không có đảng viên "
                 f"nào hết thời gian dự bị trong {scope}.")
    second = (f"Xóa tên {n(f.removed)} đảng viên dự bị." if f.removed
              else "Không có đảng viên dự bị nào bị xóa tên.")
    return [first, second]


def _changes(rows) -> str:
    parts = [f"{c.label.lower()} {n(c.count)}" for c in rows if c.count]
    return f" ({', '.join(parts)})" if parts else ""


def _membership(f: ReportFigures, scope: str) -> list[str]:
    m = f.membership
    end = (f"cuối {scope} (ngày {dmy(f.period.end)})" if f.period.end <= f.as_of
           else f"đến ngày {dmy(f.as_of)}")
    texts = [f"Đầu {scope} (ngày {dmy(f.period.start)}) có {n(m.at_start)} đảng viên; trong "
             f"{scope} tăng {n(m.joined)}{_changes(m.increase_rows)}, giảm "
             f"{n(m.left)}{_changes(m.decrease_rows)}; {end} có {n(m.at_end)} đảng viên."]
    if m.left_undated:
        texts.append(f"Có {n(m.left_undated)} người không còn trong danh sách đảng viên nhưng "
                     f"chưa ghi biến động (chưa rõ ngày), nên vẫn được tính trong số trên.")
    own = next((h for h in f.headcounts if h.unit.pk == f.organisation.pk), None)
    if own is not None and not own.missing and not own.over:
        texts.append(f"Số cán bộ, công chức là đảng viên: {n(own.members)}/{n(own.staff)} "
                     f"cán bộ, công chức là đảng viên ({pct(own.percent)}).")
    if f.units_all_members:
        names = ", ".join(f"{h.unit.name} ({h.written})" for h in f.units_all_members[:10])
        more = f" và {n(len(f.units_all_members) - 10)} đơn vị khác" \
            if len(f.units_all_members) > 10 else ""
        texts.append(f"Có {n(len(f.units_all_members))} đơn vị có 100 % cán bộ, công chức là "
                     f"đảng viên (không còn quần chúng để tạo nguồn): {names}{more}.")
    texts += headcount_warnings(f)
    return texts


def headcount_warnings(f: ReportFigures) -> list[str]:
    """Headcounts that cannot be printed as a share: said, not turned into '100 %'."""
    texts = []
    missing = [h for h in f.headcounts if h.missing]
    over = f.units_over
    if missing:
        texts.append("Chưa có số cán bộ, công chức tại ngày cuối kỳ của: "
                     + ", ".join(h.unit.name for h in missing[:10])
                     + (" …" if len(missing) > 10 else "") + " (không tính tỷ lệ).")
    if over:
        texts.append("Số đảng viên nhiều hơn số cán bộ, công chức (cần kiểm tra lại số cán bộ, "
                     "công chức) ở: " + ", ".join(f"{h.unit.name} ({h.written})"
                                                   for h in over[:10])
                     + (" …" if len(over) > 10 else "") + ".")
    return texts


def _pipeline(f: ReportFigures) -> str:
    total = f.pipeline_total
    if not total:
        return f"Đến ngày {dmy(f.as_of)}, không có hồ sơ nào đang theo dõi, xem xét."
    parts = [f"{n(ph.count)} ở bước “{ph.label}”" for ph in f.phases if ph.count]
    text = (f"Đến ngày {dmy(f.as_of)}, đang theo dõi, xem xét {n(total)} hồ sơ: "
            + "; ".join(parts))
    if f.overdue_total:
        text += f"; trong đó {n(f.overdue_total)} hồ sơ đã quá hạn xử lý"
    return text + "."
