"""Rules on the paths a dossier takes besides the straight one: failed votes and their
escalation, readmission, decisions taken or revoked by the body that issued them, numbers
used once, transfers."""
from django.utils.translation import gettext as _

from members.models import LeaveReason, MovementKind, Role
from members.models.people import LEFT_STATUSES
from members.selectors import grants_of, organisations_visible_to, sees_everything

from ..models import Decision, DecisionKind, Stage, Vote, VoteKind
from ..workflow import DELEGATED, route_facts
from .base import add_months, fail, fmt, rule
from .vote import needed_for_two_thirds, reaches_two_thirds, vote_counts


@rule("VOTE_FAILED", "Biểu quyết không đạt: số phiếu hợp lệ và dưới 2/3", hard=True,
      citation="Điều lệ Đảng, Điều 4, khoản 3")
def check_vote_failed(ctx):
    counts, findings = vote_counts("VOTE_FAILED", ctx, _("đảng viên chính thức"))
    if findings:
        return findings
    eligible, _present, votes_for, _against = counts
    if reaches_two_thirds(eligible, votes_for):
        recognition = ctx.candidate.stage == Stage.PROBATIONARY
        return [fail("VOTE_FAILED", _(
            "%(f)s/%(e)s đảng viên chính thức tán thành là đã đạt 2/3 (cần %(n)s): hãy ghi nghị "
            "quyết đề nghị %(what)s, không ghi biểu quyết không đạt."
        ) % {"f": votes_for, "e": eligible, "n": needed_for_two_thirds(eligible),
             "what": _("công nhận đảng viên chính thức") if recognition else _("kết nạp")})]
    return []


def failed_recognition_votes(ctx) -> int:
    """The branch's recognition votes so far that did not reach two thirds."""
    votes = Vote.objects.filter(candidate_id=ctx.candidate.pk, kind=VoteKind.RECOGNITION_BRANCH,
                                vote_date__lte=ctx.event_date).only("eligible", "votes_for")
    return sum(1 for v in votes if not v.two_thirds_reached)


@rule("RECOGNITION_REVOTE", "Chi bộ đã qua 3 lần biểu quyết công nhận chính thức không đạt 2/3 "
      "thì báo cáo cấp ủy cấp trên xem xét, quyết định, không biểu quyết lại", hard=True,
      citation="Quy định 294-QĐ/TW, điểm 4.2.3")
def check_recognition_revote(ctx):
    limit = ctx.param("RECOGNITION_FAILED_VOTES_MAX")
    failed = failed_recognition_votes(ctx)
    if failed >= limit:
        return [fail("RECOGNITION_REVOTE", _(
            "Chi bộ đã %(n)s lần biểu quyết công nhận đảng viên chính thức không đạt 2/3: không "
            "biểu quyết lại mà báo cáo cấp ủy cấp trên xem xét, quyết định."
        ) % {"n": failed})]
    return []


@rule("RECOGNITION_ESCALATION", "Chỉ báo cáo cấp trên quyết định công nhận chính thức khi chi bộ "
      "đã qua 3 lần biểu quyết không đạt 2/3", hard=True,
      citation="Quy định 294-QĐ/TW, điểm 4.2.3")
def check_recognition_escalation(ctx):
    limit = ctx.param("RECOGNITION_FAILED_VOTES_MAX")
    failed = failed_recognition_votes(ctx)
    if failed < limit:
        return [fail("RECOGNITION_ESCALATION", _(
            "Chi bộ mới có %(n)s lần biểu quyết công nhận đảng viên chính thức không đạt 2/3; chỉ "
            "báo cáo cấp ủy cấp trên quyết định khi đã qua %(limit)s lần biểu quyết không đạt."
        ) % {"n": failed, "limit": limit})]
    return []


# Reasons that bar readmission for ever (Quy định 294-QĐ/TW, điểm 3.5.2).
NEVER_READMITTED = (LeaveReason.ABANDONED, LeaveReason.RESIGNED, LeaveReason.DISUNITY,
                    LeaveReason.CORRUPTION, LeaveReason.SERIOUS_CRIME)


@rule("READMISSION", "Kết nạp lại: đủ 36 tháng kể từ khi ra khỏi Đảng (60 tháng kể từ khi được "
      "xóa án tích với tội phạm ít nghiêm trọng), chỉ một lần, không thuộc trường hợp không xem "
      "xét", hard=True, citation="Quy định 294-QĐ/TW, điểm 3.5.1, 3.5.2")
def check_readmission(ctx):
    c = ctx.candidate
    former = c.former_member
    if former is None:
        return []
    name = former.full_name
    earlier = former.movements.filter(kind=MovementKind.READMITTED, date__lt=ctx.event_date)
    if earlier.exists():
        return [fail("READMISSION", _(
            "Đồng chí %(name)s đã được kết nạp lại một lần (ngày %(day)s); người ra khỏi Đảng chỉ "
            "được kết nạp lại một lần."
        ) % {"name": name, "day": fmt(earlier.order_by("date").first().date)})]
    if not c.ceremony_date and former.status not in LEFT_STATUSES:
        return [fail("READMISSION", _(
            "%(name)s đang ở tình trạng “%(status)s”, không phải người đã ra khỏi Đảng."
        ) % {"name": name, "status": former.get_status_display()})]
    if former.left_reason in NEVER_READMITTED:
        return [fail("READMISSION", _(
            "%(name)s ra khỏi Đảng vì “%(reason)s”: không xem xét kết nạp lại."
        ) % {"name": name, "reason": former.get_left_reason_display()})]
    if former.left_date is None:
        return [fail("READMISSION", _(
            "Chưa ghi ngày %(name)s ra khỏi Đảng: không tính được thời gian chờ kết nạp lại."
        ) % {"name": name})]
    crime = former.left_reason == LeaveReason.MINOR_CRIME
    months = ctx.param("READMISSION_CRIME_WAIT_MONTHS" if crime else "READMISSION_WAIT_MONTHS")
    earliest = add_months(former.left_date, months)
    if ctx.event_date < earliest:
        if crime:
            return [fail("READMISSION", _(
                "Người bị kết án về tội phạm ít nghiêm trọng chỉ được xét kết nạp lại sau %(m)s "
                "tháng kể từ ngày được xóa án tích. Hệ thống không ghi ngày xóa án tích nên tính "
                "từ ngày ra khỏi Đảng (%(left)s): chưa đến ngày %(earliest)s; ngày xóa án tích "
                "càng muộn thì hạn càng lùi."
            ) % {"m": months, "left": fmt(former.left_date), "earliest": fmt(earliest)})]
        return [fail("READMISSION", _(
            "%(name)s ra khỏi Đảng ngày %(left)s: phải đủ %(m)s tháng, tức từ ngày %(earliest)s, "
            "mới được xét kết nạp lại."
        ) % {"name": name, "left": fmt(former.left_date), "m": months,
             "earliest": fmt(earliest)})]
    return []


@rule("READMISSION_DECISION", "Kết nạp lại phải có văn bản đồng ý của ban thường vụ tỉnh ủy "
      "(tương đương)", hard=True, citation="Quy định 294-QĐ/TW, điểm 3.5.1")
def check_readmission_decision(ctx):
    c = ctx.candidate
    if c.former_member_id and not (c.readmission_consent_ref or "").strip():
        return [fail("READMISSION_DECISION", _(
            "Kết nạp lại cần văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy (hoặc tương "
            "đương): hãy ghi số, ngày văn bản vào hồ sơ trước khi quyết định."
        ))]
    return []


# --- Numbers: one document, one number, per issuing body and year -------------------------

# Stages from which the only numbered step is a decision of the level above.
UPPER_DECISION_STAGES = (Stage.AT_UPPER, Stage.RECOGNITION_AT_UPPER, Stage.REMOVAL_AT_UPPER)
BRANCH_STAGES = (Stage.OPINIONS_COLLECTED, Stage.PROBATIONARY)
BRANCH_VOTE_KINDS = (VoteKind.BRANCH, VoteKind.RECOGNITION_BRANCH, VoteKind.REMOVAL_BRANCH)
COMMITTEE_VOTE_KINDS = (VoteKind.GRASSROOTS, VoteKind.RECOGNITION_GRASSROOTS,
                        VoteKind.REMOVAL_GRASSROOTS)


def admission_issuer(candidate):
    admission = (candidate.decisions.filter(kind=DecisionKind.ADMISSION)
                 .select_related("decided_by").first())
    return admission.decided_by if admission is not None else None


def issuer_role(candidate) -> str:
    """The role that decides for the body which admitted the candidate (revocation)."""
    issuer = admission_issuer(candidate)
    if issuer is not None and issuer.kind == "grassroots_committee":
        return Role.GRASSROOTS_OFFICE
    return Role.ORG_DEPARTMENT


def deciding_organisation(actor, candidate, role):
    """In whose name the actor decides: their nearest grant of `role` above the branch (as the
    decision's applier records it)."""
    path = candidate.organisation.path
    grants = [g for g in (grants_of(actor) if actor is not None else ())
              if g.role == role and path.startswith(g.organisation.path)]
    if not grants:
        return candidate.organisation.ancestors().first() or candidate.organisation
    return max(grants, key=lambda g: len(g.organisation.path)).organisation


def grassroots_committee(branch):
    return (branch.ancestors().filter(kind="grassroots_committee").order_by("-path").first()
            or branch.parent or branch)


# What each numbered step records: the role deciding in the name of the issuing body (a
# decision), and whether it is a branch's or a grassroots committee's resolution (a vote).
DECISION_ROLES = {
    "approve_admission": Role.ORG_DEPARTMENT, "approve_recognition": Role.ORG_DEPARTMENT,
    "remove_probationary": Role.ORG_DEPARTMENT, "grassroots_admit": Role.GRASSROOTS_OFFICE,
    "grassroots_recognise": Role.GRASSROOTS_OFFICE, "grassroots_remove": Role.GRASSROOTS_OFFICE,
}
BRANCH_RESOLUTIONS = {"branch_vote", "record_failed_vote", "recognition_vote",
                      "recognition_vote_to_upper", "record_failed_recognition_vote",
                      "propose_removal", "propose_removal_to_upper"}
COMMITTEE_RESOLUTIONS = {"grassroots_resolution", "grassroots_admit", "recognition_resolution",
                         "grassroots_recognise", "removal_resolution", "grassroots_remove"}


def _numbered_by_action(ctx):
    c, action = ctx.candidate, ctx.action
    role = issuer_role(c) if action == "revoke_admission" else DECISION_ROLES.get(action)
    if action in BRANCH_RESOLUTIONS:
        return role, c.organisation
    if action in COMMITTEE_RESOLUTIONS:
        return role, grassroots_committee(c.organisation)
    return role, None


def _numbered_documents(ctx):
    """What the step records under its number: (decision role or None, resolution issuer or
    None). Told by the step's code when the context has it; otherwise from the stage and the
    step's data: a vote step carries its counts, and a grassroots committee with delegated
    power decides with the same number it resolves."""
    if ctx.action:
        return _numbered_by_action(ctx)
    c, d = ctx.candidate, ctx.data
    has_vote = any(d.get(k) is not None for k in ("eligible", "present", "votes_for"))
    if c.stage in UPPER_DECISION_STAGES:
        return Role.ORG_DEPARTMENT, None
    if c.stage == Stage.ADMISSION_DECIDED:
        return issuer_role(c), None
    if not has_vote:
        return None, None
    if c.stage in BRANCH_STAGES:
        return None, c.organisation
    delegated = DELEGATED in route_facts(c.organisation)
    return (Role.GRASSROOTS_OFFICE if delegated else None), grassroots_committee(c.organisation)


def _decision_clash(ctx, number, role):
    issuer = deciding_organisation(ctx.actor, ctx.candidate, role)
    clashes = Decision.objects.filter(decided_by=issuer, number=number,
                                      decision_date__year=ctx.event_date.year)
    if ctx.data.get("is_list"):
        clashes = clashes.exclude(is_list=True)
    clash = clashes.order_by("decision_date", "pk").first()
    if clash is None:
        return []
    return [fail("NUMBER_UNIQUE", _(
        "Số quyết định %(n)s đã được %(issuer)s dùng ngày %(day)s (%(kind)s); trong một năm mỗi "
        "số chỉ dùng một lần (trừ quyết định theo danh sách)."
    ) % {"n": number, "issuer": issuer.name, "kind": clash.get_kind_display(),
         "day": fmt(clash.decision_date)})]


def _resolution_clash(ctx, number, issuer):
    if issuer.is_branch:
        votes = Vote.objects.filter(kind__in=BRANCH_VOTE_KINDS,
                                    candidate__organisation=issuer)
    else:
        votes = Vote.objects.filter(kind__in=COMMITTEE_VOTE_KINDS,
                                    candidate__organisation__path__startswith=issuer.path)
    clash = (votes.filter(resolution_number=number, vote_date__year=ctx.event_date.year)
             .exclude(candidate_id=ctx.candidate.pk).order_by("vote_date", "pk").first())
    if clash is None:
        return []
    return [fail("NUMBER_UNIQUE", _(
        "Số nghị quyết %(n)s đã được %(issuer)s dùng cho người khác ngày %(day)s (%(kind)s); mỗi "
        "nghị quyết chỉ về một người."
    ) % {"n": number, "issuer": issuer.name, "kind": clash.get_kind_display(),
         "day": fmt(clash.vote_date)})]


@rule("NUMBER_UNIQUE", "Số nghị quyết, quyết định không trùng trong cùng cấp ban hành và năm",
      hard=True, citation="Hướng dẫn 36-HD/VPTW, mục II, điểm 1.3.1")
def check_number_unique(ctx):
    number = (ctx.data.get("document_number") or "").strip()
    if not number:
        return []
    role, resolution_issuer = _numbered_documents(ctx)
    findings = []
    if role is not None:
        findings += _decision_clash(ctx, number, role)
    if resolution_issuer is not None:
        findings += _resolution_clash(ctx, number, resolution_issuer)
    return findings


@rule("ISSUER_DECIDES", "Cấp ủy đã ra quyết định kết nạp mới được hủy bỏ quyết định đó hoặc "
      "xác nhận không tổ chức lễ kết nạp", hard=True,
      citation="Quy định 294-QĐ/TW, điểm 4.1, 4.4")
def check_issuer_decides(ctx):
    actor = ctx.actor
    issuer = admission_issuer(ctx.candidate)
    if actor is None or issuer is None or sees_everything(actor):
        return []
    deciding = (Role.ORG_DEPARTMENT, Role.GRASSROOTS_OFFICE)
    if any(g.role in deciding and issuer.path.startswith(g.organisation.path)
           for g in grants_of(actor)):
        return []
    return [fail("ISSUER_DECIDES", _(
        "Quyết định kết nạp do %(issuer)s ban hành: chỉ cấp ủy đó (hoặc cấp trên của nó) mới được "
        "hủy bỏ quyết định hoặc xác nhận không tổ chức lễ kết nạp."
    ) % {"issuer": issuer.name})]


@rule("TRANSFER_TARGET", "Chuyển hồ sơ đến một chi bộ khác trong phạm vi quản lý", hard=True,
      citation="Hướng dẫn 06-HD/TW, điểm 9 (chuyển sinh hoạt đảng)")
def check_transfer_target(ctx):
    target = ctx.data.get("to_organisation")
    if target is None:
        return [fail("TRANSFER_TARGET", _("Cần chọn chi bộ chuyển đến."))]
    if not target.is_branch:
        return [fail("TRANSFER_TARGET", _(
            "%(org)s là %(kind)s, không phải chi bộ: hồ sơ chỉ chuyển đến một chi bộ."
        ) % {"org": target.name, "kind": target.get_kind_display().lower()})]
    if target.pk == ctx.candidate.organisation_id:
        return [fail("TRANSFER_TARGET", _(
            "Hồ sơ đang ở %(org)s: hãy chọn một chi bộ khác.") % {"org": target.name})]
    if ctx.actor is not None and not organisations_visible_to(ctx.actor).filter(
            pk=target.pk).exists():
        return [fail("TRANSFER_TARGET", _(
            "%(org)s nằm ngoài phạm vi bạn quản lý.") % {"org": target.name})]
    return []
