"""What each step of the workflow table writes besides the stage: one applier per action code,
checked against the table when the module loads so that a step cannot exist without a way to
apply it, nor an applier without its step."""
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from members.models import Member, MovementKind, Role
from members.movements import MovementError, record_movement
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
from .numbering import register_paper


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
        counts = [d.get(k) for k in ("eligible", "present", "votes_for")]
        if any(n is None for n in counts):  # the vote rules refuse this before, on pages
            raise WorkflowError(_("Cần ghi tổng số, số có mặt và số tán thành của cuộc biểu "
                                  "quyết."))
        vote = Vote.objects.create(
            candidate=c, kind=kind, vote_date=ctx.event_date,
            resolution_number=(d.get("document_number") or "").strip(), eligible=counts[0],
            present=counts[1], votes_for=counts[2], votes_against=d.get("votes_against") or 0,
        )
        register_paper(ctx, vote=vote)
        return [vote]
    return apply


def _decision(kind, number_field="", date_field="", role=Role.ORG_DEPARTMENT):
    def apply(c, ctx, actor):
        number = (ctx.data.get("document_number") or "").strip()
        decision = Decision.objects.create(
            candidate=c, kind=kind, number=number, decision_date=ctx.event_date,
            decided_by=_deciding_organisation(actor, c, role),
            is_list=bool(ctx.data.get("is_list")),
        )
        register_paper(ctx, decision=decision)
        if number_field:
            setattr(c, number_field, number)
            setattr(c, date_field, ctx.event_date)
        return [decision]
    return apply


def _move(member, kind, ctx, actor, **kwargs):
    """A movement of the dossier's member, refused in the step's words when it cannot be."""
    try:
        return record_movement(member, kind, ctx.event_date, actor=actor,
                               document_number=(ctx.data.get("document_number") or "").strip(),
                               note=ctx.data.get("note") or "", from_pipeline=True, **kwargs)
    except MovementError as err:
        raise WorkflowError(err.message) from err


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
        candidate=c, relation=d.get("relation") or "", person_name=d.get("person_name") or "",
        requested_of=d.get("requested_of") or "", sent_date=ctx.event_date,
        answered_date=d.get("answered_date"), conclusion=d.get("conclusion") or "",
    )
    try:
        record.full_clean(exclude=["candidate", "event"])
    except ValidationError as err:
        raise WorkflowError("; ".join(err.messages)) from err
    record.save()
    return [record]


def _apply_answer_verification(c, ctx, actor):
    record = ctx.data["record"]
    if record.candidate_id != c.pk:
        raise WorkflowError(_("Phiếu thẩm tra không thuộc hồ sơ này."))
    if ctx.event_date < record.sent_date:
        raise WorkflowError(_("Ngày trả lời không thể trước ngày gửi (%(day)s).") % {
            "day": record.sent_date.strftime("%d/%m/%Y")})
    record.answered_date = ctx.event_date
    record.conclusion = ctx.data.get("conclusion") or ""
    record.save(update_fields=["answered_date", "conclusion"])
    ctx.payload["record"] = record.pk


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
    made = introductions_from(c, ctx.data, ctx.event_date)
    for introduction in made:
        introduction.save()
    return made


def _apply_ceremony(c, ctx, actor):
    c.ceremony_date = ctx.event_date
    c.probation_end = R.add_months(ctx.event_date, ctx.param("PROBATION_MONTHS"))
    c.helper = ctx.data.get("helper") or c.helper
    if c.former_member_id:  # readmission: the same member record comes back, on probation
        _move(c.former_member, MovementKind.READMITTED, ctx, actor, to_organisation=c.organisation,
              decision_date=c.decision_date)
        return
    member = Member(
        full_name=c.full_name, birth_date=c.birth_date, sex=c.sex, ethnicity=c.ethnicity,
        religion=c.religion, citizen_id=c.citizen_id, organisation=c.organisation,
        admitted_date=ctx.event_date, education=c.education, qualification=c.qualification,
        profession=c.profession,
    )
    try:
        member.full_clean()
    except ValidationError as err:
        raise WorkflowError(_("Không tạo được đảng viên dự bị: %(err)s") % {
            "err": "; ".join(err.messages)}) from err
    _move(member, MovementKind.ADMITTED, ctx, actor, to_organisation=c.organisation,
          decision_date=c.decision_date)
    c.member = member


def _member_of(c):
    member = c.membership
    return Member.objects.select_for_update().get(pk=member.pk) if member else None


def _recognition(role):
    def apply(c, ctx, actor):
        made = _decision(DecisionKind.RECOGNITION, "recognition_decision_number",
                         "recognition_decision_date", role)(c, ctx, actor)
        member = _member_of(c)
        member.status = "official"
        member.official_date = c.probation_end  # official from the end of the 12 months
        member.save(update_fields=["status", "official_date", "updated_at"])
        return made
    return apply


def _removal(role):
    def apply(c, ctx, actor):
        made = _decision(DecisionKind.REMOVAL, role=role)(c, ctx, actor)
        c.end_reason = ctx.data.get("note", "")
        if (member := c.membership) is not None:
            _move(member, MovementKind.REMOVED, ctx, actor)
        return made
    return apply


def _apply_end(c, ctx, actor):
    c.end_reason = ctx.data.get("note", "")


def _apply_revocation(c, ctx, actor):
    _apply_end(c, ctx, actor)
    return _decision(DecisionKind.REVOCATION, role=_issuer_role(c))(c, ctx, actor)


def _issuer_role(c):
    admission = c.decisions.filter(kind=DecisionKind.ADMISSION).select_related(
        "decided_by").first()
    if admission is not None and admission.decided_by.kind == "grassroots_committee":
        return Role.GRASSROOTS_OFFICE
    return Role.ORG_DEPARTMENT


def _apply_death(c, ctx, actor):
    _apply_end(c, ctx, actor)
    if (member := c.membership) is not None:
        _move(member, MovementKind.DIED, ctx, actor)


def _apply_transfer(c, ctx, actor):
    target = ctx.data.get("to_organisation")
    if target is None:
        raise WorkflowError(_("Cần chọn chi bộ chuyển đến."))
    ctx.payload.update({"from_organisation": c.organisation_id, "to_organisation": target.pk,
                        "from_name": c.organisation.name, "to_name": target.name})
    if (member := c.membership) is not None:
        _move(member, MovementKind.TRANSFER_WITHIN, ctx, actor, to_organisation=target)
    c.organisation = target


def _nothing(c, ctx, actor):
    pass


def _chain(*appliers):
    def apply(c, ctx, actor):
        made = []
        for applier in appliers:
            made.extend(applier(c, ctx, actor) or [])
        return made
    return apply


def _admission_by_grassroots(c, ctx, actor):
    made = _vote(VoteKind.GRASSROOTS)(c, ctx, actor)
    c.grassroots_resolution_date = ctx.event_date
    return made + _decision(DecisionKind.ADMISSION, "decision_number", "decision_date",
                            Role.GRASSROOTS_OFFICE)(c, ctx, actor)


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
    "record_failed_vote": _vote(VoteKind.BRANCH),
    "send_up": _nothing,
    "send_to_upper": _nothing,
    "partial_appraisal": _nothing,
    "grassroots_resolution": _chain(_vote(VoteKind.GRASSROOTS),
                                    _set(grassroots_resolution_date="@date")),
    "grassroots_admit": _admission_by_grassroots,
    "return_to_branch": _nothing,
    "grassroots_refuse": _apply_end,
    "approve_admission": _decision(DecisionKind.ADMISSION, "decision_number", "decision_date"),
    "return_to_grassroots": _nothing,
    "return_to_grassroots_branch": _nothing,
    "refuse_admission": _apply_end,
    "hold_ceremony": _apply_ceremony,
    "revoke_admission": _apply_revocation,
    "no_ceremony": _apply_end,
    "probation_review": _nothing,
    "record_new_member_certificate": _set(new_member_cert_number="document_number",
                                          new_member_cert_date="@date"),
    "recognition_vote": _chain(_vote(VoteKind.RECOGNITION_BRANCH),
                               _set(recognition_vote_date="@date")),
    "recognition_vote_to_upper": _chain(_vote(VoteKind.RECOGNITION_BRANCH),
                                        _set(recognition_vote_date="@date")),
    "record_failed_recognition_vote": _vote(VoteKind.RECOGNITION_BRANCH),
    "escalate_recognition": _set(recognition_vote_date="@date"),
    "escalate_recognition_to_upper": _set(recognition_vote_date="@date"),
    "recognition_partial_appraisal": _nothing,
    "recognition_resolution": _vote(VoteKind.RECOGNITION_GRASSROOTS),
    "grassroots_recognise": _chain(_vote(VoteKind.RECOGNITION_GRASSROOTS),
                                   _recognition(Role.GRASSROOTS_OFFICE)),
    "return_recognition_to_branch": _nothing,
    "approve_recognition": _recognition(Role.ORG_DEPARTMENT),
    "return_recognition": _nothing,
    "return_recognition_to_grassroots_branch": _nothing,
    "propose_removal": _vote(VoteKind.REMOVAL_BRANCH),
    "propose_removal_to_upper": _vote(VoteKind.REMOVAL_BRANCH),
    "removal_resolution": _vote(VoteKind.REMOVAL_GRASSROOTS),
    "grassroots_remove": _chain(_vote(VoteKind.REMOVAL_GRASSROOTS),
                                _removal(Role.GRASSROOTS_OFFICE)),
    "return_removal_to_branch": _nothing,
    "remove_probationary": _removal(Role.ORG_DEPARTMENT),
    "return_removal": _nothing,
    "return_removal_to_grassroots_branch": _nothing,
    "transfer": _apply_transfer,
    "withdraw": _apply_end,
    "record_death": _apply_death,
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
