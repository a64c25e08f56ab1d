"""Charts drawn on the server as SVG, so the page and the PDF show the same picture and
nothing is loaded from outside. Each function takes the report's figures and returns markup.
The SVG names the PDF's serif font; the page's stylesheet overrides it with its own, and sizes
the picture (no width or height here, only the viewBox, so it scales)."""
import math
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .figures import ReportFigures
from .templatetags.documents import vn_number

WIDTH = 640
ADMITTED, TARGET, OVERDUE, GRID, INK = "#b71c1c", "#9e9e9e", "#e65100", "#d9d9d9", "#222"
MONTHS = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12"]
_ids = count(1)


def _nice_max(value: float) -> tuple[int, int]:
    """An axis top above `value` and a tick step, both round numbers."""
    if value <= 0:
        return 4, 1
    raw = value / 4
    magnitude = 10 ** int(math.floor(math.log10(raw)))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(math.ceil(step)))
    return step * int(math.ceil(value / step)), step


def _svg(height: int, title: str, desc: str, body: list[str]) -> SafeString:
    ident = f"chart-{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" class="chart" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="Tinos, serif" font-size="13" fill="{INK}">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def _text(x, y, text, anchor="middle", size=None, weight=None, fill=None) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{size}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if fill:
        attrs += f' fill="{fill}"'
    return f"<text {attrs}>{escape(text)}</text>"


def _legend(items: list[tuple[str, str, bool]], y: int = 14) -> list[str]:
    parts, x = [], 60
    for label, colour, dashed in items:
        if dashed:
            parts.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" '
                         f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 3"/>')
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 24, y, label, anchor="start"))
        x += 36 + 8 * len(label)
    return parts


def _axis(top: int, step: int, x0: int, x1: int, y0: int, y1: int) -> list[str]:
    """Horizontal grid lines with their values, from y0 (zero) up to y1 (top)."""
    parts = []
    for value in range(0, top + 1, step):
        y = y0 - (y0 - y1) * value / top
        parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x0 - 6, y + 4, vn_number(value), anchor="end", size=11))
    return parts


def admissions(f: ReportFigures) -> SafeString:
    """Admissions per year against the target (a term), or month by month, added up, against
    the year's target (a year)."""
    if f.period.is_term:
        return _admissions_by_year(f)
    return _admissions_by_month(f)


def _admissions_by_year(f: ReportFigures) -> SafeString:
    height, x0, x1, y0, y1 = 260, 50, WIDTH - 10, 226, 36
    rows = f.by_year
    top, step = _nice_max(max([r.admitted for r in rows] + [r.target or 0 for r in rows]) * 1.1)
    has_target = any(r.target is not None for r in rows)
    body = _legend([("Kết nạp", ADMITTED, False)] + ([("Chỉ tiêu", TARGET, False)]
                                                      if has_target else []))
    body += _axis(top, step, x0, x1, y0, y1)
    slot = (x1 - x0) / max(len(rows), 1)
    bar = min(48, slot / (3 if has_target else 2))
    for i, r in enumerate(rows):
        centre = x0 + slot * (i + 0.5)
        # A year still to come has a target but nothing admitted yet: no bar, not a zero.
        future = r.start > f.as_of
        bars = [(None if future else r.admitted, ADMITTED)] + (
            [(r.target, TARGET)] if has_target else [])
        left = centre - bar * len(bars) / 2
        for j, (value, colour) in enumerate(bars):
            if value is None:
                continue
            h = (y0 - y1) * value / top
            x = left + j * bar
            body.append(f'<rect x="{x:.1f}" y="{y0 - h:.1f}" width="{bar - 2:.1f}" '
                        f'height="{h:.1f}" fill="{colour}"/>')
            body.append(_text(x + bar / 2 - 1, y0 - h - 4, vn_number(value), size=11))
        body.append(_text(centre, y0 + 18, str(r.year)))
    desc = "; ".join(f"năm {r.year}: kết nạp {r.admitted}"
                     + (f", chỉ tiêu {r.target}" if r.target is not None else "") for r in rows)
    return _svg(height, "Kết nạp đảng viên từng năm so với chỉ tiêu", desc, body)


def _admissions_by_month(f: ReportFigures) -> SafeString:
    height, x0, x1, y0, y1 = 260, 50, WIDTH - 10, 226, 36
    year = int(f.period.label)
    per_month = {m: c for y, m, c in f.by_month if y == year}
    last = 12 if (year, 12) <= (f.as_of.year, f.as_of.month) else (
        f.as_of.month if year == f.as_of.year else 0)
    running, cumulative = 0, []
    for m in range(1, 13):
        running += per_month.get(m, 0)
        cumulative.append(running if m <= last else None)
    top, step = _nice_max(max([c or 0 for c in cumulative] + [f.target or 0]) * 1.1)
    body = _legend([("Lũy kế kết nạp", ADMITTED, False)]
                   + ([("Chỉ tiêu năm", TARGET, True)] if f.target is not None else []))
    body += _axis(top, step, x0, x1, y0, y1)
    slot = (x1 - x0) / 12
    for i, value in enumerate(cumulative):
        centre = x0 + slot * (i + 0.5)
        if value is not None:
            h = (y0 - y1) * value / top
            body.append(f'<rect x="{centre - slot * 0.3:.1f}" y="{y0 - h:.1f}" '
                        f'width="{slot * 0.6:.1f}" height="{h:.1f}" fill="{ADMITTED}"/>')
            body.append(_text(centre, y0 - h - 4, vn_number(value), size=11))
        body.append(_text(centre, y0 + 18, MONTHS[i]))
    if f.target is not None:
        y = y0 - (y0 - y1) * f.target / top
        body.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{TARGET}" '
                    f'stroke-width="2" stroke-dasharray="6 4"/>')
        body.append(_text(x1 - 4, y - 6, f"Chỉ tiêu: {vn_number(f.target)}", anchor="end",
                          size=11))
    desc = (f"Đến hết tháng {last}: {running if last == 12 else cumulative[last - 1] or 0} "
            f"đảng viên" if last else "Chưa có số liệu") + (
        f"; chỉ tiêu năm {f.target}" if f.target is not None else "")
    return _svg(height, f"Kết nạp đảng viên lũy kế từng tháng năm {year}", desc, body)


def funnel(f: ReportFigures) -> SafeString:
    """The pipeline as it stands: how many are at each step, the overdue ones in words."""
    phases = f.phases
    row, label_w = 34, 215
    height = 16 + row * len(phases)
    widest = max([p.count for p in phases] + [1])
    room = WIDTH - label_w - 90
    centre = label_w + room / 2
    body = []
    for i, p in enumerate(phases):
        y = 8 + i * row
        w = max(room * p.count / widest, 3 if p.count else 0)
        body.append(_text(label_w - 10, y + row / 2 + 4, p.label, anchor="end"))
        if w:
            body.append(f'<rect x="{centre - w / 2:.1f}" y="{y + 3}" width="{w:.1f}" '
                        f'height="{row - 6}" fill="{ADMITTED}" fill-opacity="'
                        f'{1 - i * 0.11:.2f}"/>')
        note = vn_number(p.count)
        if p.overdue:
            note += f" ({vn_number(p.overdue)} quá hạn)"
        body.append(_text(centre + max(w, 0) / 2 + 8, y + row / 2 + 4, note, anchor="start",
                          fill=OVERDUE if p.overdue else None,
                          weight="700" if p.overdue else None))
    desc = "; ".join(f"{p.label}: {p.count}" + (f", {p.overdue} quá hạn" if p.overdue else "")
                     for p in phases)
    return _svg(height, "Quần chúng và đảng viên dự bị ở từng bước", desc, body)


def _short(name: str, limit: int = 36) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def units(f: ReportFigures, limit: int = 20) -> SafeString:
    """Admissions by the units directly under the organisation, largest first (the first
    `limit`; the rest are named in a line below, not added into one bar that would dwarf
    the others)."""
    rows = sorted(f.by_unit, key=lambda u: (-u.admitted, u.unit.path))
    if not rows:
        return mark_safe("")
    shown = [(_short(u.unit.name), u.admitted, u.target) for u in rows[:limit]]
    rest = rows[limit:]
    row, label_w = 24, 275
    height = 30 + row * len(shown) + (20 if rest else 0)
    top = max([a for _n, a, _t in shown] + [t or 0 for _n, _a, t in shown] + [1])
    room = WIDTH - label_w - 60
    has_target = any(t is not None for _n, _a, t in shown)
    body = _legend([("Kết nạp", ADMITTED, False)]
                   + ([("Chỉ tiêu", TARGET, True)] if has_target else []))
    for i, (name, admitted, target) in enumerate(shown):
        y = 24 + i * row
        w = room * admitted / top
        body.append(_text(label_w - 8, y + row / 2 + 4, name, anchor="end", size=12))
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                    f'fill="{ADMITTED}"/>')
        if target is not None:
            x = label_w + room * target / top
            body.append(f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + row - 1}" '
                        f'stroke="{TARGET}" stroke-width="3" stroke-dasharray="3 2"/>')
        body.append(_text(label_w + w + 6, y + row / 2 + 4, vn_number(admitted),
                          anchor="start"))
    if rest:
        body.append(_text(label_w, height - 6, f"… và {vn_number(len(rest))} đơn vị khác, "
                          f"kết nạp {vn_number(sum(u.admitted for u in rest))} đảng viên",
                          anchor="start", size=12))
    desc = "; ".join(f"{name}: {admitted}" for name, admitted, _t in shown)
    return _svg(height, "Kết nạp đảng viên theo đơn vị trực thuộc", desc, body)
