"""What each step of the workflow table writes besides the stage: one applier per action code,
checked against the table when the module loads so that a step cannot exist without a way to
apply it, nor an applier without its step."""
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from members.models import Member, MemberStatus, Role
from members.selectors import grants_of

from .. import rules as R
from ..models import (
    Decision,
    DecisionKind,
    Introduction,
    IntroductionKind,
    VerificationRecord,
    Vote,
    VoteKind,
)
from ..workflow import ACTIONS
from .errors import WorkflowError


def _deciding_organisation(actor, candidate, role):
    """The organisation in whose name the actor decides: their nearest grant above the branch."""
    path = candidate.organisation.path
    grants = [g for g in grants_of(actor)
              if g.role == role and path.startswith(g.organisation.path)]
    if not grants:
        return candidate.organisation.ancestors().first() or candidate.organisation
    return max(grants, key=lambda g: len(g.organisation.path)).organisation


def _vote(kind):
    def apply(c, ctx, actor):
        d = ctx.data
        Vote.objects.create(
            candidate=c, kind=kind, vote_date=ctx.event_date,
            resolution_number=d.get("document_number", ""), eligible=d["eligible"],
            present=d["present"], votes_for=d["votes_for"],
            votes_against=d.get("votes_against") or 0,
        )
    return apply


def _decision(kind, number_field, date_field):
    def apply(c, ctx, actor):
        number = ctx.data.get("document_number", "").strip()
        Decision.objects.create(
            candidate=c, kind=kind, number=number, decision_date=ctx.event_date,
            decided_by=_deciding_organisation(actor, c, Role.ORG_DEPARTMENT),
        )
        if number_field:
            setattr(c, number_field, number)
            setattr(c, date_field, ctx.event_date)
    return apply


def _set(**fields):
    """An applier that copies the event date or form values onto the candidate."""
    def apply(c, ctx, actor):
        for name, source in fields.items():
            setattr(c, name, ctx.event_date if source == "@date" else ctx.data.get(source))
    return apply


def _apply_awareness_certificate(c, ctx, actor):
    c.awareness_cert_number = ctx.data.get("document_number", "")
    c.awareness_cert_date = ctx.event_date
    c.awareness_cert_expires = R.add_months(
        ctx.event_date, ctx.param("CERT_VALID_MONTHS", ctx.event_date))


def _apply_add_verification(c, ctx, actor):
    d = ctx.data
    record = VerificationRecord(
        candidate=c, relation=d["relation"], person_name=d["person_name"],
        requested_of=d["requested_of"], sent_date=ctx.event_date,
        answered_date=d.get("answered_date"), conclusion=d.get("conclusion", ""),
    )
    record.full_clean()
    record.save()


def _apply_answer_verification(c, ctx, actor):
    record = ctx.data["record"]
    if record.candidate_id != c.pk:
        raise WorkflowError(_("Phiếu thẩm tra không thuộc hồ sơ này."))
    if ctx.event_date < record.sent_date:
        raise WorkflowError(_("Ngày trả lời không thể trước ngày gửi (%(day)s).") % {
            "day": record.sent_date.strftime("%d/%m/%Y")})
    record.answered_date = ctx.event_date
    record.conclusion = ctx.data["conclusion"]
    record.save(update_fields=["answered_date", "conclusion"])


def introductions_from(c, data, day) -> list[Introduction]:
    """The introductions a step records, unsaved, so the rules can judge them first."""
    made = [
        Introduction(candidate=c, kind=IntroductionKind.MEMBER, introducer=member,
                     document_date=day, known_since=data.get(f"known_since_{n}"),
                     is_replacement=bool(data.get(f"replacement_{n}")))
        for n in (1, 2) if (member := data.get(f"introducer_{n}")) is not None
    ]
    if data.get("union_kind"):
        made.append(Introduction(
            candidate=c, kind=data["union_kind"], resolution_ref=data.get("union_resolution", ""),
            document_date=data.get("union_date") or day))
    return made


def _apply_introductions(c, ctx, actor):
    Introduction.objects.bulk_create(introductions_from(c, ctx.data, ctx.event_date))


def _apply_ceremony(c, ctx, actor):
    c.ceremony_date = ctx.event_date
    c.probation_end = R.add_months(ctx.event_date, ctx.param("PROBATION_MONTHS"))
    c.helper = ctx.data.get("helper") or c.helper
    member = Member(
        full_name=c.full_name, birth_date=c.birth_date, sex=c.sex, ethnicity=c.ethnicity,
        religion=c.religion, citizen_id=c.citizen_id, organisation=c.organisation,
        admitted_date=ctx.event_date, status=MemberStatus.PROBATIONARY,
        education=c.education, profession=c.profession,
    )
    try:
        member.full_clean()
    except ValidationError as err:
        raise WorkflowError(_("Không tạo được đảng viên dự bị: %(err)s") % {
            "err": "; ".join(err.messages)}) from err
    member.save()
    c.member = member


def _apply_recognition(c, ctx, actor):
    _decision(DecisionKind.RECOGNITION, "recognition_decision_number",
              "recognition_decision_date")(c, ctx, actor)
    member = Member.objects.select_for_update().get(pk=c.member_id)
    member.status = MemberStatus.OFFICIAL
    member.official_date = c.probation_end  # official from the end of the 12 months
    member.save(update_fields=["status", "official_date", "updated_at"])


def _apply_removal(c, ctx, actor):
    _decision(DecisionKind.REMOVAL, "", "")(c, ctx, actor)
    c.end_reason = ctx.data.get("note", "")
    if c.member_id:
        # Saved, not updated in place, so the member's history records the removal.
        member = Member.objects.select_for_update().get(pk=c.member_id)
        member.status = MemberStatus.REMOVED
        member.left_date = ctx.event_date
        member.save(update_fields=["status", "left_date", "updated_at"])


def _apply_end(c, ctx, actor):
    c.end_reason = ctx.data.get("note", "")


def _nothing(c, ctx, actor):
    pass


def _chain(*appliers):
    def apply(c, ctx, actor):
        for applier in appliers:
            applier(c, ctx, actor)
    return apply


APPLY = {
    "assign_helper": _set(helper="helper"),
    "record_awareness_certificate": _apply_awareness_certificate,
    "renew_awareness_certificate": _apply_awareness_certificate,
    "record_application": _set(application_date="@date"),
    "add_verification": _apply_add_verification,
    "answer_verification": _apply_answer_verification,
    "certify_history": _set(history_certified_date="@date", history_form_date="history_form_date"),
    "record_introductions": _apply_introductions,
    "record_opinions": _set(opinions_date="@date", opinions_summary="summary"),
    "branch_vote": _chain(_vote(VoteKind.BRANCH), _set(branch_vote_date="@date")),
    "send_up": _nothing,
    "partial_appraisal": _nothing,
    "grassroots_resolution": _chain(_vote(VoteKind.GRASSROOTS),
                                    _set(grassroots_resolution_date="@date")),
    "return_to_branch": _nothing,
    "approve_admission": _decision(DecisionKind.ADMISSION, "decision_number", "decision_date"),
    "return_to_grassroots": _nothing,
    "refuse_admission": _apply_end,
    "hold_ceremony": _apply_ceremony,
    "probation_review": _nothing,
    "record_new_member_certificate": _set(new_member_cert_number="document_number",
                                          new_member_cert_date="@date"),
    "recognition_vote": _chain(_vote(VoteKind.RECOGNITION_BRANCH),
                               _set(recognition_vote_date="@date")),
    "recognition_resolution": _vote(VoteKind.RECOGNITION_GRASSROOTS),
    "approve_recognition": _apply_recognition,
    "return_recognition": _nothing,
    "remove_probationary": _apply_removal,
    "withdraw": _apply_end,
}


# Taken by add_candidate, which creates the candidate instead of moving one.
NOT_APPLIED = {"add_to_pool"}


def check_appliers(actions, appliers) -> None:
    """Raise ImproperlyConfigured unless every action (but NOT_APPLIED) has an applier and
    every applier is for an action."""
    codes = {a.code for a in actions} - NOT_APPLIED
    missing, extra = sorted(codes - appliers.keys()), sorted(appliers.keys() - codes)
    if missing or extra:
        raise ImproperlyConfigured(
            f"the workflow table and its appliers differ: no applier for {missing}, "
            f"appliers for no action {extra}")


check_appliers(ACTIONS, APPLY)
