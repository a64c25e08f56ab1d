"""Rules on recognising a probationary member as official: the twelve months served, the
branch's timeliness and the new-member class."""
from django.utils.translation import gettext as _

from .base import fail, fmt, rule


@rule("RECOGNITION_WINDOW", "Chỉ xét công nhận chính thức khi đã hết 12 tháng dự bị", hard=True,
      citation="Điều lệ Đảng, Điều 5, khoản 1; Quy định 294-QĐ/TW, điểm 4.2.1")
def check_recognition_window(ctx):
    end = ctx.candidate.probation_end
    if end and ctx.event_date < end:
        return [fail("RECOGNITION_WINDOW", _(
            "Thời hạn dự bị đến %(end)s mới kết thúc; chưa được xét công nhận chính thức ngày "
            "%(day)s."
        ) % {"end": fmt(end), "day": fmt(ctx.event_date)})]
    return []


@rule("RECOGNITION_LATE", "Chi bộ xét công nhận chính thức trong 30 ngày làm việc sau khi "
      "hết thời hạn dự bị", hard=False, citation="Quy định 294-QĐ/TW, điểm 4.2.1")
def check_recognition_late(ctx):
    end = ctx.candidate.probation_end
    if not end:
        return []
    days = ctx.param("RECOGNITION_WINDOW_WD", end)
    deadline = ctx.calendar.add_working_days(end, days)
    if ctx.event_date > deadline:
        return [fail("RECOGNITION_LATE", _(
            "Chi bộ xét muộn: hạn là %(deadline)s (%(n)s ngày làm việc sau khi hết dự bị)."
        ) % {"deadline": fmt(deadline), "n": days})]
    return []


@rule("NEW_MEMBER_CLASS", "Có giấy chứng nhận lớp bồi dưỡng lý luận chính trị cho đảng "
      "viên mới", hard=True,
      citation="Hướng dẫn 06-HD/TW, điểm 4 (hồ sơ, thủ tục xét công nhận đảng viên chính thức)")
def check_new_member_class(ctx):
    c = ctx.candidate
    if not c.new_member_cert_date or c.new_member_cert_date > ctx.event_date:
        return [fail("NEW_MEMBER_CLASS", _(
            "Chưa có giấy chứng nhận lớp bồi dưỡng lý luận chính trị cho đảng viên mới trong hồ sơ."
        ))]
    return []
