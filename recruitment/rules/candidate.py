"""Rules on the person: age, schooling and the awareness-class certificate, judged when the
branch votes and again at the admission decision."""
import re

from django.utils.translation import gettext as _

from ..models import Education, EducationExemption
from .base import add_months, fail, fmt, months_between, rule


@rule("AGE_MIN", "Đủ 18 tuổi (tính theo tháng) vào ngày chi bộ xét", hard=True,
      citation="Điều lệ Đảng, Điều 1, khoản 2; Quy định 294-QĐ/TW, điểm 1.1.1")
def check_age_min(ctx):
    years = ctx.param("AGE_MIN_YEARS")
    months = months_between(ctx.candidate.birth_date, ctx.event_date)
    if months < years * 12:
        return [fail("AGE_MIN", _(
            "Ngày %(day)s người vào Đảng mới %(y)s tuổi %(m)s tháng, chưa đủ %(min)s tuổi."
        ) % {"day": fmt(ctx.event_date), "y": months // 12, "m": months % 12, "min": years})]
    return []


@rule("AGE_MAX", "Trên 60 tuổi phải có văn bản đồng ý của cấp ủy trực thuộc Trung ương", hard=True,
      citation="Quy định 294-QĐ/TW, điểm 1.1.2; Hướng dẫn 06-HD/TW, điểm 1.1")
def check_age_max(ctx):
    years = ctx.param("AGE_MAX_YEARS")
    months = months_between(ctx.candidate.birth_date, ctx.event_date)
    if months > years * 12 and not ctx.candidate.age_consent_ref.strip():
        return [fail("AGE_MAX", _(
            "Người vào Đảng đã trên %(max)s tuổi: cần ghi số văn bản đồng ý của cấp ủy trực "
            "thuộc Trung ương."
        ) % {"max": years})]
    return []


EDUCATION_RE = re.compile(r"^\s*(\d{1,2})\s*/\s*(10|12)\s*$")  # kept for old imports' wording

# The lowest level each exemption accepts; without one, lower secondary is the floor.
EXEMPTION_FLOOR = {
    EducationExemption.HARDSHIP_AREA: Education.PRIMARY,
    EducationExemption.LITERACY: Education.LITERATE,
}
LEVELS = [Education.LITERATE, Education.PRIMARY, Education.LOWER_SECONDARY,
          Education.UPPER_SECONDARY]


@rule("EDUCATION", "Tốt nghiệp trung học cơ sở trở lên, trừ trường hợp được miễn", hard=True,
      citation="Quy định 294-QĐ/TW, điểm 1.2.1; Hướng dẫn 06-HD/TW, điểm 1.2")
def check_education(ctx):
    c = ctx.candidate
    if c.education not in LEVELS:
        return [fail("EDUCATION", _("Chưa ghi trình độ học vấn (tiểu học, trung học cơ sở, "
                                    "trung học phổ thông…)."))]
    level = LEVELS.index(c.education)
    if level >= LEVELS.index(Education.LOWER_SECONDARY):
        return []
    floor = EXEMPTION_FLOOR.get(c.education_exemption_kind)
    if floor is None:
        return [fail("EDUCATION", _(
            "Trình độ học vấn “%(value)s” chưa tốt nghiệp trung học cơ sở và không thuộc trường "
            "hợp được miễn chuẩn."
        ) % {"value": c.get_education_display()})]
    if level < LEVELS.index(floor):
        return [fail("EDUCATION", _(
            "Trường hợp “%(kind)s” cần ít nhất trình độ “%(floor)s”."
        ) % {"kind": c.get_education_exemption_kind_display(), "floor": floor.label})]
    if not c.education_exemption.strip():
        return [fail("EDUCATION", _(
            "Áp dụng miễn chuẩn học vấn cần ghi văn bản đồng ý (số, ngày)."))]
    return []


@rule("CERT_VALID", "Giấy chứng nhận bồi dưỡng nhận thức về Đảng còn giá trị (60 tháng)", hard=True,
      citation="Hướng dẫn 06-HD/TW, điểm 5.4")
def check_cert_valid(ctx):
    c = ctx.candidate
    if not c.awareness_cert_date:
        return [fail("CERT_VALID", _("Chưa có giấy chứng nhận bồi dưỡng nhận thức về Đảng."))]
    limit = ctx.param("CERT_VALID_MONTHS")
    if c.awareness_cert_date > ctx.event_date:
        return [fail("CERT_VALID", _(
            "Giấy chứng nhận cấp ngày %(cert)s, sau ngày %(day)s."
        ) % {"cert": fmt(c.awareness_cert_date), "day": fmt(ctx.event_date)})]
    if ctx.event_date > add_months(c.awareness_cert_date, limit):
        return [fail("CERT_VALID", _(
            "Giấy chứng nhận cấp ngày %(cert)s đã quá %(limit)s tháng vào ngày %(day)s; cần học "
            "lại lớp bồi dưỡng nhận thức về Đảng."
        ) % {"cert": fmt(c.awareness_cert_date), "limit": limit, "day": fmt(ctx.event_date)})]
    return []
