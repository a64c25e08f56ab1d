"""Rules on the admission ceremony: after the decision, and within its deadline."""
from django.utils.translation import gettext as _

from .base import fail, fmt, rule


@rule("CEREMONY_AFTER_DECISION", "Lễ kết nạp tổ chức sau khi có quyết định kết nạp", hard=True,
      citation="Quy định 294-QĐ/TW, điểm 4.1")
def check_ceremony_after_decision(ctx):
    decided = ctx.candidate.decision_date
    if decided and ctx.event_date < decided:
        return [fail("CEREMONY_AFTER_DECISION", _(
            "Ngày kết nạp %(day)s trước ngày quyết định kết nạp %(decided)s."
        ) % {"day": fmt(ctx.event_date), "decided": fmt(decided)})]
    return []


@rule("CEREMONY_DEADLINE", "Lễ kết nạp trong 30 ngày làm việc kể từ khi nhận quyết định; "
      "quá hạn phải được cấp ủy cấp trên đồng ý", hard=True,
      citation="Quy định 294-QĐ/TW, điểm 4.1")
def check_ceremony_deadline(ctx):
    decided = ctx.candidate.decision_date
    if not decided:
        return []
    days = ctx.param("CEREMONY_DEADLINE_WD", decided)
    deadline = ctx.calendar.add_working_days(decided, days)
    if ctx.event_date > deadline and not (ctx.data.get("late_approval_ref") or "").strip():
        return [fail("CEREMONY_DEADLINE", _(
            "Lễ kết nạp ngày %(day)s quá hạn %(n)s ngày làm việc (hạn %(deadline)s): cần ghi văn "
            "bản đồng ý của cấp ủy cấp trên."
        ) % {"day": fmt(ctx.event_date), "n": days, "deadline": fmt(deadline)})]
    return []
