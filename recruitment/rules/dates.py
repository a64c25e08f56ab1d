"""Rules on the dates of the papers: not too old when the branch votes, never in the future,
and each step after the one before."""
from django.utils.translation import gettext as _

from .base import add_months, fail, fmt, rule, today


@rule("DOC_AGE", "Giấy giới thiệu, ý kiến đoàn thể, nghị quyết Đoàn không quá cũ khi chi bộ "
      "xét", hard=False, citation="Hướng dẫn nghiệp vụ của cấp ủy")
def check_doc_age(ctx):
    months = ctx.param("DOC_AGE_MONTHS")
    c = ctx.candidate
    papers = [(i.get_kind_display(), i.document_date) for i in ctx.introductions]
    if c.opinions_date:
        papers.append((_("Ý kiến đoàn thể, chi ủy nơi cư trú (5-KNĐ)"), c.opinions_date))
    return [
        fail("DOC_AGE", _("%(paper)s ngày %(day)s đã quá %(months)s tháng khi chi bộ xét.") % {
            "paper": name, "day": fmt(day), "months": months})
        for name, day in papers if add_months(day, months) < ctx.event_date
    ]


@rule("DATE_NOT_FUTURE", "Ngày của văn bản không được sau ngày hôm nay", hard=True,
      citation="Nguyên tắc ghi hồ sơ")
def check_date_not_future(ctx):
    if ctx.event_date > today():
        return [fail("DATE_NOT_FUTURE", _("Ngày %(day)s là ngày trong tương lai.") % {
            "day": fmt(ctx.event_date)}, field="event_date")]
    return []


@rule("DATE_ORDER", "Các bước theo đúng trình tự thời gian", hard=True,
      citation="Hướng dẫn 38-HD/BTCTW, trình tự kết nạp")
def check_date_order(ctx):
    previous = ctx.candidate.stage_date
    if previous and ctx.event_date < previous:
        return [fail("DATE_ORDER", _(
            "Ngày %(day)s trước ngày của bước trước (%(previous)s)."
        ) % {"day": fmt(ctx.event_date), "previous": fmt(previous)}, field="event_date")]
    return []
