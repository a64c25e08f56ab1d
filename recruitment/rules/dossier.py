"""Rules on the dossier the branch votes on: the helper and introducers, their tenure, and
the background verifications."""
from datetime import date

from django.utils.translation import gettext as _

from members.models import MemberStatus

from ..models import IntroductionKind, Relation
from .base import fail, fmt, months_between, rule


def _not_official(member, on: date) -> bool:
    return member.status != MemberStatus.OFFICIAL or (
        member.official_date is None or member.official_date > on
    )


@rule("HELPER_OFFICIAL", "Người giúp đỡ, người giới thiệu là đảng viên chính thức", hard=True,
      citation="Điều lệ Đảng, Điều 4, khoản 2; Điều 5, khoản 1")
def check_helper_official(ctx):
    findings = []
    people = [ctx.data.get(k) for k in ("helper", "introducer_1", "introducer_2")]
    for person in filter(None, people):
        if _not_official(person, ctx.event_date):
            findings.append(fail("HELPER_OFFICIAL", _(
                "Đồng chí %(name)s chưa là đảng viên chính thức vào ngày %(day)s (đang %(status)s)."
            ) % {"name": person.full_name, "day": fmt(ctx.event_date),
                 "status": person.get_status_display().lower()}))
    return findings


@rule("INTRODUCERS", "Đủ người giới thiệu: hai đảng viên chính thức, hoặc nghị quyết Đoàn "
      "(Công đoàn) và một đảng viên chính thức", hard=True,
      citation="Điều lệ Đảng, Điều 4, khoản 1; Quy định 294-QĐ/TW, điểm 3.1, 3.2")
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
            return [fail("INTRODUCERS", _(
                "Người vào Đảng trong độ tuổi thanh niên (%(age)s tuổi) phải là đoàn viên."
            ) % {"age": age_years})]
        if not (youth and members):
            return [fail("INTRODUCERS", _(
                "Người trong độ tuổi thanh niên cần nghị quyết giới thiệu của BCH Đoàn cơ sở "
                "(4-KNĐ) và một đảng viên chính thức giới thiệu."
            ))]
        return []
    if len(members) >= 2 or ((youth or trade) and members):
        return []
    return [fail("INTRODUCERS", _(
        "Cần hai đảng viên chính thức giới thiệu, hoặc nghị quyết giới thiệu của Đoàn (Công đoàn) "
        "cơ sở và một đảng viên chính thức; hiện có %(n)s đảng viên giới thiệu."
    ) % {"n": len(members)})]


@rule("INTRODUCER_TENURE", "Người giới thiệu cùng công tác, học tập, sinh sống với người vào "
      "Đảng ít nhất 12 tháng (trừ người giới thiệu thay thế)", hard=True,
      citation="Điều lệ Đảng, Điều 4, khoản 2; Quy định 294-QĐ/TW, điểm 3.2.1, 3.2.2")
def check_introducer_tenure(ctx):
    months = ctx.param("INTRODUCER_TENURE_MONTHS")
    findings = []
    for i in ctx.introductions:
        if i.kind != IntroductionKind.MEMBER or i.is_replacement or i.introducer is None:
            continue
        if i.known_since is None or months_between(i.known_since, i.document_date) < months:
            findings.append(fail("INTRODUCER_TENURE", _(
                "Đồng chí %(name)s chưa đủ %(months)s tháng cùng công tác, học tập hoặc sinh sống "
                "với người vào Đảng khi giới thiệu."
            ) % {"name": i.introducer.full_name, "months": months}))
    return findings


def missing_verifications(candidate, records) -> list[str]:
    """Who must be verified and has no request recorded: the candidate; father and mother (or
    a guardian instead of both); when married, the spouse and parents-in-law; one request per
    adult child."""
    have = {}
    for r in records:
        have[r.relation] = have.get(r.relation, 0) + 1
    missing = [Relation.SELF.label] if not have.get(Relation.SELF) else []
    if not have.get(Relation.GUARDIAN):
        parents = [rel.label for rel in (Relation.FATHER, Relation.MOTHER) if not have.get(rel)]
        if parents:
            missing.append(_("%(parents)s (hoặc người nuôi dưỡng)") % {
                "parents": ", ".join(str(p) for p in parents)})
    if candidate.married:
        missing += [rel.label for rel in (Relation.SPOUSE, Relation.FATHER_IN_LAW,
                                          Relation.MOTHER_IN_LAW) if not have.get(rel)]
    children, recorded = candidate.adult_children or 0, have.get(Relation.CHILD, 0)
    if recorded < children:
        missing.append(_("Con (cần %(need)s người, mới có %(have)s)") % {
            "need": children, "have": recorded})
    return [str(m) for m in missing]


@rule("VERIFIED", "Đã thẩm tra lý lịch người vào Đảng và người thân (cha, mẹ hoặc người nuôi "
      "dưỡng; vợ/chồng, cha mẹ vợ/chồng; con đã thành niên), mọi yêu cầu đã có kết luận",
      hard=True, citation="Hướng dẫn 06-HD/TW, điểm 3.4")
def check_verified(ctx):
    records = list(ctx.candidate.verifications.all())
    parts = []
    missing = missing_verifications(ctx.candidate, records)
    if missing:
        parts.append(_("Chưa thẩm tra: %(who)s") % {"who": ", ".join(missing)})
    waiting = [r for r in records if not r.answered or r.answered_date > ctx.event_date]
    if waiting:
        parts.append(_("còn %(n)s yêu cầu chưa có kết luận vào ngày %(day)s: %(who)s") % {
            "n": len(waiting), "day": fmt(ctx.event_date),
            "who": ", ".join(str(r) for r in waiting)})
    if not parts:
        return []
    message = "; ".join(parts) + "."
    return [fail("VERIFIED", message[0].upper() + message[1:])]
