"""Every write that moves a candidate: one transaction, the candidate row locked, the stage
re-checked, the rules checked, the change and an immutable StageEvent written together. What
each step writes besides the stage is its applier, in appliers.py."""
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.models import Member, MemberStatus, Role
from members.selectors import roles_over

from .. import rules as R
from ..calendar import WorkingCalendar
from ..models import Candidate, Stage, StageEvent
from ..workflow import DEADLINES, END, RETURN, Action, actions_from, get_action
from .appliers import APPLY, introductions_from
from .errors import WorkflowError


def roles_for(user, candidate) -> set[str]:
    """The roles the user holds over the candidate's branch (granted at it or above it)."""
    return roles_over(user, candidate.organisation)


def available_actions(user, candidate) -> list[Action]:
    """The steps the user may take on the candidate now."""
    return [a for a, refusal in action_choices(user, candidate) if not refusal]


def action_choices(user, candidate) -> list[tuple[Action, str]]:
    """The steps the user's roles reach from the candidate's stage, each with the reason it is
    withheld now ("" when it is open), so a page can show a withheld step and say why."""
    roles = roles_for(user, candidate)
    has_partial = candidate.partial_committee is not None
    return [(a, duty_conflict(user, candidate, a))
            for a in actions_from(candidate.stage, has_partial_committee=has_partial)
            if roles & set(a.roles)]


# Separation of duties: the same person does not take two successive decisions on one dossier.
# The steps below are the hand-overs between levels: a level sends the dossier up (send_up,
# recognition_vote), or the level it reached decides on what came up (appraises, resolves,
# admits, refuses, recognises, removes) or sends it back down. Each of them judges the one
# before it in its chain, so whoever took the latest of them may not take the next one, and
# every hand-over is seen by two people. Left out: the papers and votes a branch gathers before
# it sends the dossier up and the ceremony after the decision (one secretary keeps them as a
# matter of course), and withdraw (the branch drops its own candidate, judging nobody's
# proposal). The admission decision closes its chain: the recognition a year later is a new
# proposal on the probation, not a decision on the admission, so the recognition chain starts
# afresh (as does a removal straight from probation).
HANDOVER_CHAINS = (
    ("send_up", "partial_appraisal", "grassroots_resolution", "return_to_branch",
     "approve_admission", "return_to_grassroots", "refuse_admission"),
    ("recognition_vote", "recognition_resolution", "approve_recognition", "return_recognition",
     "remove_probationary"),
)


def duty_conflict(user, candidate, action: Action) -> str:
    """Why separation of duties keeps `user` from taking `action` now ("" when it does not).

    Superusers are held to it too. An imported step does not count: its actor is whoever keyed
    in the old paper record, not whoever decided.
    """
    if not settings.SEPARATION_OF_DUTIES or user is None:
        return ""
    chain = next((c for c in HANDOVER_CHAINS if action.code in c), None)
    if chain is None:
        return ""
    previous = (StageEvent.objects.filter(candidate_id=candidate.pk, action__in=chain)
                .order_by("-recorded_at", "-pk").only("action", "actor_id", "imported").first())
    if previous is None or previous.imported or previous.actor_id != user.pk:
        return ""
    done = get_action(previous.action)
    return _("Người đã thực hiện “%(previous)s” trên hồ sơ này không được thực hiện tiếp "
             "“%(action)s” (tách bạch nhiệm vụ).") % {
        "previous": done.label if done else previous.action, "action": action.label}


def _due_date(candidate, params, calendar) -> date | None:
    rule = DEADLINES.get(candidate.stage)
    if rule is None:
        return None
    field, param = rule
    start = getattr(candidate, field)
    if start is None:
        return None
    return calendar.add_working_days(start, params.get(param, start))


def registered_official(candidate, on: date) -> int:
    return Member.objects.filter(
        organisation=candidate.organisation, status=MemberStatus.OFFICIAL,
        official_date__lte=on,
    ).count()


# Steps that need a document number (a decision or resolution cannot be recorded without one).
NUMBER_REQUIRED = {"approve_admission", "approve_recognition", "remove_probationary"}


def perform(action_code: str, *, candidate: Candidate, actor, event_date: date,
            data: dict | None = None, imported: bool = False) -> StageEvent:
    """Take one step of the workflow table for one candidate.

    Raises WorkflowError when the step is not open from the candidate's current stage, the
    actor does not hold a role for it, or a hard rule refuses it (imported history records
    the refusal as a warning instead, so old paper records are kept as they were).
    """
    action = get_action(action_code)
    if action is None or action.code == "add_to_pool":
        raise WorkflowError(_("Thao tác không tồn tại."))
    data = dict(data or {})
    note = (data.get("note") or "").strip()
    if (data.get("late_approval_ref") or "").strip():
        note = "\n".join(filter(None, [note, _("Văn bản đồng ý tổ chức lễ kết nạp muộn: %(ref)s")
                                        % {"ref": data["late_approval_ref"].strip()}]))
    if action.kind in (RETURN, END) and not note:
        raise WorkflowError(_("Cần ghi rõ lý do."))
    if action.code in NUMBER_REQUIRED and not (data.get("document_number") or "").strip():
        raise WorkflowError(_("Cần ghi số quyết định."))

    with transaction.atomic():
        c = (Candidate.objects.select_for_update(of=("self",))
             .select_related("organisation__parent").get(pk=candidate.pk))
        if c.stage not in action.from_stages:
            raise WorkflowError(_(
                "Hồ sơ đang ở giai đoạn “%(stage)s” nên không thể “%(action)s”. Có thể người "
                "khác vừa xử lý hồ sơ này; hãy tải lại trang."
            ) % {"stage": c.get_stage_display(), "action": action.label})
        if action.needs_partial_committee and c.partial_committee is None:
            raise WorkflowError(_("Chi bộ này không trực thuộc đảng bộ bộ phận nào."))
        if not imported and not (roles_for(actor, c) & set(action.roles)):
            raise WorkflowError(_("Bạn không có vai trò được thực hiện “%(action)s”.") % {
                "action": action.label})
        if not imported and (conflict := duty_conflict(actor, c, action)):
            raise WorkflowError(conflict)

        if action.code in ("branch_vote", "recognition_vote"):
            data["registered_official"] = registered_official(c, event_date)
        ctx = R.Context(c, event_date, data)
        if action.code == "record_introductions":
            ctx.introductions = [*ctx.introductions,
                                 *introductions_from(c, data, event_date)]
        findings = R.evaluate(action.rules, ctx)
        _refuse_on_hard(findings, imported)
        APPLY[action.code](c, ctx, actor)

        from_stage = c.stage
        c.stage = action.leaves(c.stage)
        if action.to_stage is not None:
            c.stage_date = event_date
        c.due_date = _due_date(c, ctx.params, ctx.calendar)
        c.save()
        return StageEvent.objects.create(
            candidate=c, action=action.code, from_stage=from_stage, to_stage=c.stage,
            event_date=event_date,
            document_form=data.get("document_form") or str(action.document or ""),
            document_number=(data.get("document_number") or "").strip(), note=note,
            warnings=[f.as_dict() for f in findings], actor=actor, imported=imported,
        )


def _refuse_on_hard(findings, imported):
    hard = [f for f in findings if f.hard]
    if hard and not imported:
        raise WorkflowError(findings=hard)


def add_candidate(*, actor, candidate: Candidate, imported: bool = False) -> Candidate:
    """Put a person on the source pool of a branch (stage 1).

    Raises ValidationError (on `citizen_id`) when the CCCD is already taken, also when another
    request took it between the form's check and this save: the database's unique index
    decides, and nothing of this candidate is kept.
    """
    try:
        return _add_candidate(actor=actor, candidate=candidate, imported=imported)
    except IntegrityError:
        cid = candidate.citizen_id
        if cid and Candidate.objects.filter(citizen_id=cid).exists():
            raise ValidationError({"citizen_id": Candidate._meta.get_field("citizen_id")
                                   .error_messages["unique"]}) from None
        raise


@transaction.atomic
def _add_candidate(*, actor, candidate: Candidate, imported: bool) -> Candidate:
    if not imported and Role.BRANCH_SECRETARY not in roles_for(actor, candidate):
        raise WorkflowError(_("Chỉ bí thư chi bộ được đưa quần chúng vào danh sách của chi bộ."))
    candidate.stage = Stage.SOURCE_POOL
    candidate.stage_date = candidate.added_date
    ctx = R.Context(candidate, candidate.added_date)
    findings = R.evaluate_only(("DATE_NOT_FUTURE",), ctx)
    _refuse_on_hard(findings, imported)
    candidate.full_clean()
    candidate.save()
    StageEvent.objects.create(
        candidate=candidate, action="add_to_pool", from_stage=Stage.SOURCE_POOL,
        to_stage=Stage.SOURCE_POOL, event_date=candidate.added_date,
        document_form=str(get_action("add_to_pool").document), actor=actor,
        imported=imported, warnings=[f.as_dict() for f in findings],
    )
    return candidate


def working_days_left(due: date | None, calendar: WorkingCalendar, today: date) -> int | None:
    if due is None:
        return None
    return calendar.working_days_between(today, due)
