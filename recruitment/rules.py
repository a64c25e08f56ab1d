"""The rules of admission, each a named check with its code, citation and message.

Hard rules refuse the step; soft rules warn and the warning stays on the event for the
approver to see. Numeric limits come from `RuleParameter`, taken as in force on the date of
the event being checked, so history is judged by the rules of its own time.
"""
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import MemberStatus

from .calendar import WorkingCalendar
from .models import IntroductionKind, RuleParameter

# Used when the parameter table has no row in force yet (a fresh database); the data
# migration writes the same values with their sources.
DEFAULT_PARAMETERS = {
    "AGE_MIN_YEARS": 18,
    "AGE_MAX_YEARS": 60,
    "YOUTH_AGE_MAX_YEARS": 30,
    "CERT_VALID_MONTHS": 60,
    "BRANCH_MIN_OFFICIAL": 3,
    "DECISION_DEADLINE_WD": 60,
    "RECOGNITION_DEADLINE_WD": 30,
    "CEREMONY_DEADLINE_WD": 30,
    "PROBATION_MONTHS": 12,
    "RECOGNITION_WINDOW_WD": 30,
    "INTRODUCER_TENURE_MONTHS": 12,
    "DOC_AGE_MONTHS": 12,
}


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    hard: bool
    citation: str


RULES = {r.code: r for r in [
    Rule("AGE_MIN", "Đủ 18 tuổi (tính theo tháng) vào ngày chi bộ xét", True,
         "Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW, điểm 1.1.1"),
    Rule("AGE_MAX", "Trên 60 tuổi phải có văn bản đồng ý của cấp ủy trực thuộc Trung ương", True,
         "Quy định 294-QĐ/TW, điểm 1.1.2; Hướng dẫn 06-HD/TW, điểm 1.1"),
    Rule("EDUCATION", "Tốt nghiệp trung học cơ sở trở lên, trừ trường hợp được miễn", True,
         "Quy định 294-QĐ/TW, điểm 1.2.1; Hướng dẫn 06-HD/TW, điểm 1.2"),
    Rule("CERT_VALID", "Giấy chứng nhận bồi dưỡng nhận thức về Đảng còn giá trị (60 tháng)", True,
         "Hướng dẫn 06-HD/TW, điểm 5.4"),
    Rule("HELPER_OFFICIAL", "Người giúp đỡ, người giới thiệu là đảng viên chính thức", True,
         "Điều lệ Đảng, Điều 4, khoản 2"),
    Rule("INTRODUCERS", "Đủ người giới thiệu: hai đảng viên chính thức, hoặc nghị quyết Đoàn "
         "(Công đoàn) và một đảng viên chính thức", True,
         "Điều lệ Đảng, Điều 4, khoản 1–2; Quy định 294-QĐ/TW, điểm 3.2"),
    Rule("INTRODUCER_TENURE", "Người giới thiệu cùng công tác, học tập, sinh sống với người vào "
         "Đảng ít nhất 12 tháng", False, "Quy định 294-QĐ/TW, điểm 3.2.1"),
    Rule("VERIFIED", "Mọi yêu cầu thẩm tra lý lịch đã có trả lời trước khi chi bộ xét", True,
         "Hướng dẫn 06-HD/TW, điểm 3.4"),
    Rule("BRANCH_SIZE", "Chi bộ có ít nhất 3 đảng viên chính thức mới biểu quyết hợp lệ", True,
         "Điều lệ Đảng, Điều 4, khoản 3"),
    Rule("BRANCH_VOTE", "Ít nhất 2/3 tổng số đảng viên chính thức của chi bộ tán thành", True,
         "Điều lệ Đảng, Điều 4, khoản 3; Quy định 294-QĐ/TW, điểm 9.3.2"),
    Rule("BRANCH_REGISTER", "Số đảng viên chính thức khai trong biên bản khớp với danh sách "
         "đảng viên của chi bộ", False, "Điều lệ Đảng, Điều 4, khoản 3"),
    Rule("COMMITTEE_VOTE", "Ít nhất 2/3 tổng số cấp ủy viên tán thành", True,
         "Điều lệ Đảng, Điều 4, khoản 3"),
    Rule("PARTIAL_APPRAISAL", "Nơi có đảng bộ bộ phận, đảng ủy bộ phận thẩm định trước khi "
         "đảng ủy cơ sở xét", True, "Hướng dẫn 38-HD/BTCTW, mẫu 7-KNĐ"),
    Rule("CEREMONY_AFTER_DECISION", "Lễ kết nạp tổ chức sau khi có quyết định kết nạp", True,
         "Quy định 294-QĐ/TW, điểm 4.1"),
    Rule("CEREMONY_DEADLINE", "Lễ kết nạp trong 30 ngày làm việc kể từ khi nhận quyết định; "
         "quá hạn phải được cấp ủy cấp trên đồng ý", True, "Quy định 294-QĐ/TW, điểm 4.1"),
    Rule("RECOGNITION_WINDOW", "Chỉ xét công nhận chính thức khi đã hết 12 tháng dự bị", True,
         "Quy định 294-QĐ/TW, điểm 4.2; Điều lệ Đảng, Điều 5"),
    Rule("RECOGNITION_LATE", "Chi bộ xét công nhận chính thức trong 30 ngày làm việc sau khi "
         "hết thời hạn dự bị", False, "Quy định 294-QĐ/TW, điểm 4.2"),
    Rule("NEW_MEMBER_CLASS", "Có giấy chứng nhận lớp bồi dưỡng lý luận chính trị cho đảng "
         "viên mới", True, "Hướng dẫn 06-HD/TW, điểm 8.3"),
    Rule("DOC_AGE", "Giấy giới thiệu, ý kiến đoàn thể, nghị quyết Đoàn không quá cũ khi chi bộ "
         "xét", False, "Hướng dẫn nghiệp vụ của cấp ủy"),
    Rule("DATE_NOT_FUTURE", "Ngày của văn bản không được sau ngày hôm nay", True,
         "Nguyên tắc ghi hồ sơ"),
    Rule("DATE_ORDER", "Các bước theo đúng trình tự thời gian", True,
         "Hướng dẫn 38-HD/BTCTW, trình tự kết nạp"),
]}


class Parameters:
    """Rule parameters loaded once; `get(code, on)` gives the value in force on a date."""

    def __init__(self, rows=None):
        rows = list(RuleParameter.objects.all()) if rows is None else rows
        self._rows: dict[str, list[tuple[date, int]]] = {}
        for row in sorted(rows, key=lambda r: r.effective_from):
            self._rows.setdefault(row.code, []).append((row.effective_from, row.value))

    def get(self, code: str, on: date) -> int:
        rows = self._rows.get(code)
        if not rows:
            return DEFAULT_PARAMETERS[code]
        value = rows[0][1]  # before the first recorded row, the earliest known value applies
        for effective_from, v in rows:
            if effective_from <= on:
                value = v
        return value


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (birthday arithmetic: 17/05 → 16/05 is 11)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 29th–31st fall back to the month's last day."""
    import calendar

    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today() -> date:
    return timezone.localdate()


@dataclass
class Context:
    """What a check looks at: the candidate as stored, and the step being recorded."""

    candidate: object
    event_date: date
    data: dict = field(default_factory=dict)
    params: Parameters | None = None

    def __post_init__(self):
        if self.params is None:
            self.params = Parameters()

    def param(self, code: str, on: date | None = None) -> int:
        return self.params.get(code, on or self.event_date)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.load()

    @cached_property
    def introductions(self):
        return list(self.candidate.introductions.select_related("introducer"))


@dataclass(frozen=True)
class Finding:
    code: str
    hard: bool
    message: str
    citation: str

    def as_dict(self):
        return {"code": self.code, "hard": self.hard, "message": self.message,
                "citation": self.citation}

    def __str__(self):
        return f"[{self.code}] {self.message} ({self.citation})"


def _fail(code: str, message: str) -> Finding:
    rule = RULES[code]
    return Finding(code, rule.hard, message, rule.citation)


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# Each check returns a list of findings (empty when the rule is met).

def check_age_min(ctx):
    years = ctx.param("AGE_MIN_YEARS")
    months = months_between(ctx.candidate.birth_date, ctx.event_date)
    if months < years * 12:
        return [_fail("AGE_MIN", _(
            "Ngày %(day)s người vào Đảng mới %(y)s tuổi %(m)s tháng, chưa đủ %(min)s tuổi."
        ) % {"day": _fmt(ctx.event_date), "y": months // 12, "m": months % 12, "min": years})]
    return []


def check_age_max(ctx):
    years = ctx.param("AGE_MAX_YEARS")
    months = months_between(ctx.candidate.birth_date, ctx.event_date)
    if months > years * 12 and not ctx.candidate.age_consent_ref.strip():
        return [_fail("AGE_MAX", _(
            "Người vào Đảng đã trên %(max)s tuổi: cần ghi số văn bản đồng ý của cấp ủy trực "
            "thuộc Trung ương."
        ) % {"max": years})]
    return []


EDUCATION_RE = re.compile(r"^\s*(\d{1,2})\s*/\s*(10|12)\s*$")


def check_education(ctx):
    c = ctx.candidate
    match = EDUCATION_RE.match(c.education or "")
    if not match:
        return [_fail("EDUCATION", _(
            "Trình độ học vấn “%(value)s” không đọc được; ghi theo dạng lớp/hệ, ví dụ 12/12, "
            "9/12 hoặc 7/10."
        ) % {"value": c.education})]
    grade, system = int(match[1]), int(match[2])
    lower_secondary = 9 if system == 12 else 7
    if grade >= lower_secondary:
        return []
    primary = 5 if system == 12 else 4
    if grade >= primary and c.education_exemption.strip():
        return []
    return [_fail("EDUCATION", _(
        "Trình độ học vấn %(value)s chưa tốt nghiệp trung học cơ sở và không có căn cứ miễn chuẩn "
        "được ghi nhận."
    ) % {"value": c.education})]


def check_cert_valid(ctx):
    c = ctx.candidate
    if not c.awareness_cert_date:
        return [_fail("CERT_VALID", _("Chưa có giấy chứng nhận bồi dưỡng nhận thức về Đảng."))]
    limit = ctx.param("CERT_VALID_MONTHS")
    if c.awareness_cert_date > ctx.event_date:
        return [_fail("CERT_VALID", _(
            "Giấy chứng nhận cấp ngày %(cert)s, sau ngày %(day)s."
        ) % {"cert": _fmt(c.awareness_cert_date), "day": _fmt(ctx.event_date)})]
    if ctx.event_date > add_months(c.awareness_cert_date, limit):
        return [_fail("CERT_VALID", _(
            "Giấy chứng nhận cấp ngày %(cert)s đã quá %(limit)s tháng vào ngày %(day)s; cần học "
            "lại lớp bồi dưỡng nhận thức về Đảng."
        ) % {"cert": _fmt(c.awareness_cert_date), "limit": limit, "day": _fmt(ctx.event_date)})]
    return []


def _not_official(member, on: date) -> bool:
    return member.status != MemberStatus.OFFICIAL or (
        member.official_date is None or member.official_date > on
    )


def check_helper_official(ctx):
    findings = []
    people = [ctx.data.get(k) for k in ("helper", "introducer_1", "introducer_2")]
    for person in filter(None, people):
        if _not_official(person, ctx.event_date):
            findings.append(_fail("HELPER_OFFICIAL", _(
                "Đồng chí %(name)s chưa là đảng viên chính thức vào ngày %(day)s (đang %(status)s)."
            ) % {"name": person.full_name, "day": _fmt(ctx.event_date),
                 "status": person.get_status_display().lower()}))
    return findings


def check_introducers(ctx):
    c = ctx.candidate
    intros = ctx.introductions
    members = [i for i in intros if i.kind == IntroductionKind.MEMBER]
    youth = [i for i in intros if i.kind == IntroductionKind.YOUTH_UNION]
    trade = [i for i in intros if i.kind == IntroductionKind.TRADE_UNION]
    age_years = months_between(c.birth_date, ctx.event_date) // 12
    youth_age = age_years <= ctx.param("YOUTH_AGE_MAX_YEARS")
    if youth_age and not c.no_youth_union_at_unit:
        if not c.youth_union_member:
            return [_fail("INTRODUCERS", _(
                "Người vào Đảng trong độ tuổi thanh niên (%(age)s tuổi) phải là đoàn viên."
            ) % {"age": age_years})]
        if not (youth and members):
            return [_fail("INTRODUCERS", _(
                "Người trong độ tuổi thanh niên cần nghị quyết giới thiệu của BCH Đoàn cơ sở "
                "(4-KNĐ) và một đảng viên chính thức giới thiệu."
            ))]
        return []
    if len(members) >= 2 or ((youth or trade) and members):
        return []
    return [_fail("INTRODUCERS", _(
        "Cần hai đảng viên chính thức giới thiệu, hoặc nghị quyết giới thiệu của Đoàn (Công đoàn) "
        "cơ sở và một đảng viên chính thức; hiện có %(n)s đảng viên giới thiệu."
    ) % {"n": len(members)})]


def check_introducer_tenure(ctx):
    months = ctx.param("INTRODUCER_TENURE_MONTHS")
    findings = []
    for i in ctx.introductions:
        if i.kind != IntroductionKind.MEMBER or i.is_replacement or i.introducer is None:
            continue
        if i.known_since is None or months_between(i.known_since, i.document_date) < months:
            findings.append(_fail("INTRODUCER_TENURE", _(
                "Đồng chí %(name)s chưa đủ %(months)s tháng cùng công tác, học tập hoặc sinh sống "
                "với người vào Đảng khi giới thiệu."
            ) % {"name": i.introducer.full_name, "months": months}))
    return findings


def check_verified(ctx):
    records = list(ctx.candidate.verifications.all())
    if not records:
        return [_fail("VERIFIED", _("Chưa có phiếu thẩm tra lý lịch nào được ghi."))]
    waiting = [r for r in records if not r.answered or r.answered_date > ctx.event_date]
    if waiting:
        return [_fail("VERIFIED", _("Còn %(n)s yêu cầu thẩm tra chưa có kết luận: %(who)s.") % {
            "n": len(waiting), "who": ", ".join(str(r) for r in waiting)})]
    return []


def _vote_counts(ctx):
    d = ctx.data
    return d.get("eligible"), d.get("present"), d.get("votes_for"), d.get("votes_against") or 0


def check_branch_size(ctx):
    eligible = ctx.data.get("eligible")
    minimum = ctx.param("BRANCH_MIN_OFFICIAL")
    if eligible is not None and eligible < minimum:
        return [_fail("BRANCH_SIZE", _(
            "Chi bộ chỉ có %(n)s đảng viên chính thức, cần ít nhất %(min)s để biểu quyết hợp lệ."
        ) % {"n": eligible, "min": minimum})]
    return []


def _two_thirds(code, ctx, denominator_label):
    eligible, present, votes_for, votes_against = _vote_counts(ctx)
    if eligible is None or votes_for is None:
        return []
    if present is not None and present > eligible:
        return [_fail(code, _("Số có mặt (%(p)s) lớn hơn tổng số %(label)s (%(e)s).") % {
            "p": present, "e": eligible, "label": denominator_label})]
    if votes_for > eligible or (present is not None and votes_for + votes_against > present):
        return [_fail(code, _(
            "Số phiếu không hợp lệ: %(f)s tán thành, %(a)s không tán thành, %(p)s có mặt, tổng số "
            "%(label)s %(e)s."
        ) % {"f": votes_for, "a": votes_against, "p": present, "e": eligible,
             "label": denominator_label})]
    if 3 * votes_for < 2 * eligible:
        needed = -(-2 * eligible // 3)
        return [_fail(code, _(
            "Chỉ %(f)s/%(e)s %(label)s tán thành, chưa đạt 2/3 (cần ít nhất %(n)s)."
        ) % {"f": votes_for, "e": eligible, "n": needed, "label": denominator_label})]
    return []


def check_branch_vote(ctx):
    return _two_thirds("BRANCH_VOTE", ctx, _("đảng viên chính thức"))


def check_committee_vote(ctx):
    return _two_thirds("COMMITTEE_VOTE", ctx, _("cấp ủy viên"))


def check_branch_register(ctx):
    eligible = ctx.data.get("eligible")
    registered = ctx.data.get("registered_official")
    if eligible is not None and registered is not None and eligible != registered:
        return [_fail("BRANCH_REGISTER", _(
            "Biên bản ghi %(e)s đảng viên chính thức, danh sách đảng viên của chi bộ có %(r)s."
        ) % {"e": eligible, "r": registered})]
    return []


def check_partial_appraisal(ctx):
    c = ctx.candidate
    if c.partial_committee is not None and c.stage != "partial_appraised":
        return [_fail("PARTIAL_APPRAISAL", _(
            "Chi bộ thuộc %(partial)s: cần ghi ý kiến thẩm định của đảng ủy bộ phận (7-KNĐ) trước."
        ) % {"partial": c.partial_committee.name})]
    return []


def check_ceremony_after_decision(ctx):
    decided = ctx.candidate.decision_date
    if decided and ctx.event_date < decided:
        return [_fail("CEREMONY_AFTER_DECISION", _(
            "Ngày kết nạp %(day)s trước ngày quyết định kết nạp %(decided)s."
        ) % {"day": _fmt(ctx.event_date), "decided": _fmt(decided)})]
    return []


def check_ceremony_deadline(ctx):
    decided = ctx.candidate.decision_date
    if not decided:
        return []
    days = ctx.param("CEREMONY_DEADLINE_WD", decided)
    deadline = ctx.calendar.add_working_days(decided, days)
    if ctx.event_date > deadline and not (ctx.data.get("late_approval_ref") or "").strip():
        return [_fail("CEREMONY_DEADLINE", _(
            "Lễ kết nạp ngày %(day)s quá hạn %(n)s ngày làm việc (hạn %(deadline)s): cần ghi văn "
            "bản đồng ý của cấp ủy cấp trên."
        ) % {"day": _fmt(ctx.event_date), "n": days, "deadline": _fmt(deadline)})]
    return []


def check_recognition_window(ctx):
    end = ctx.candidate.probation_end
    if end and ctx.event_date < end:
        return [_fail("RECOGNITION_WINDOW", _(
            "Thời hạn dự bị đến %(end)s mới kết thúc; chưa được xét công nhận chính thức ngày "
            "%(day)s."
        ) % {"end": _fmt(end), "day": _fmt(ctx.event_date)})]
    return []


def check_recognition_late(ctx):
    end = ctx.candidate.probation_end
    if not end:
        return []
    days = ctx.param("RECOGNITION_WINDOW_WD", end)
    deadline = ctx.calendar.add_working_days(end, days)
    if ctx.event_date > deadline:
        return [_fail("RECOGNITION_LATE", _(
            "Chi bộ xét muộn: hạn là %(deadline)s (%(n)s ngày làm việc sau khi hết dự bị)."
        ) % {"deadline": _fmt(deadline), "n": days})]
    return []


def check_new_member_class(ctx):
    c = ctx.candidate
    if not c.new_member_cert_date or c.new_member_cert_date > ctx.event_date:
        return [_fail("NEW_MEMBER_CLASS", _(
            "Chưa có giấy chứng nhận lớp bồi dưỡng lý luận chính trị cho đảng viên mới trong hồ sơ."
        ))]
    return []


def check_doc_age(ctx):
    months = ctx.param("DOC_AGE_MONTHS")
    c = ctx.candidate
    papers = [(i.get_kind_display(), i.document_date) for i in ctx.introductions]
    if c.opinions_date:
        papers.append((_("Ý kiến đoàn thể, chi ủy nơi cư trú (5-KNĐ)"), c.opinions_date))
    return [
        _fail("DOC_AGE", _("%(paper)s ngày %(day)s đã quá %(months)s tháng khi chi bộ xét.") % {
            "paper": name, "day": _fmt(day), "months": months})
        for name, day in papers if add_months(day, months) < ctx.event_date
    ]


def check_date_not_future(ctx):
    if ctx.event_date > today():
        return [_fail("DATE_NOT_FUTURE", _("Ngày %(day)s là ngày trong tương lai.") % {
            "day": _fmt(ctx.event_date)})]
    return []


def check_date_order(ctx):
    previous = ctx.candidate.stage_date
    if previous and ctx.event_date < previous:
        return [_fail("DATE_ORDER", _(
            "Ngày %(day)s trước ngày của bước trước (%(previous)s)."
        ) % {"day": _fmt(ctx.event_date), "previous": _fmt(previous)})]
    return []


CHECKS = {
    "AGE_MIN": check_age_min,
    "AGE_MAX": check_age_max,
    "EDUCATION": check_education,
    "CERT_VALID": check_cert_valid,
    "HELPER_OFFICIAL": check_helper_official,
    "INTRODUCERS": check_introducers,
    "INTRODUCER_TENURE": check_introducer_tenure,
    "VERIFIED": check_verified,
    "BRANCH_SIZE": check_branch_size,
    "BRANCH_VOTE": check_branch_vote,
    "BRANCH_REGISTER": check_branch_register,
    "COMMITTEE_VOTE": check_committee_vote,
    "PARTIAL_APPRAISAL": check_partial_appraisal,
    "CEREMONY_AFTER_DECISION": check_ceremony_after_decision,
    "CEREMONY_DEADLINE": check_ceremony_deadline,
    "RECOGNITION_WINDOW": check_recognition_window,
    "RECOGNITION_LATE": check_recognition_late,
    "NEW_MEMBER_CLASS": check_new_member_class,
    "DOC_AGE": check_doc_age,
    "DATE_NOT_FUTURE": check_date_not_future,
    "DATE_ORDER": check_date_order,
}
assert set(CHECKS) == set(RULES)

# Checked on every dated step, before the step's own rules.
ALWAYS = ("DATE_NOT_FUTURE", "DATE_ORDER")


def evaluate_only(codes, ctx: Context) -> list[Finding]:
    findings = []
    for code in codes:
        findings.extend(CHECKS[code](ctx))
    return findings


def evaluate(codes, ctx: Context) -> list[Finding]:
    """The checks every dated step runs, then the step's own rules."""
    return evaluate_only((*ALWAYS, *codes), ctx)
