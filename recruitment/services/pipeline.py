"""Every write that moves a candidate: one transaction, the candidate row locked, the stage
re-checked, the rules checked, the change and an immutable StageEvent written together. What
each step writes besides the stage is its applier, in appliers.py."""
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member, MemberStatus
from members.selectors import roles_over

from .. import rules as R
from ..calendar import WorkingCalendar
from ..models import Candidate, StageEvent
from ..workflow import (
    DEADLINES,
    END,
    RETURN,
    Action,
    actions_from,
    get_action,
    route_facts,
)
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
    facts = route_facts(candidate.organisation)
    return [(a, duty_conflict(user, candidate, a))
            for a in actions_from(candidate.stage, facts=facts)
            if roles & set(a.roles_at(candidate.stage))]


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
    ("send_up", "send_to_upper", "partial_appraisal", "grassroots_resolution", "grassroots_admit",
     "return_to_branch", "grassroots_refuse", "approve_admission", "return_to_grassroots",
     "return_to_grassroots_branch", "refuse_admission"),
    ("recognition_vote", "recognition_vote_to_upper", "escalate_recognition",
     "escalate_recognition_to_upper", "recognition_partial_appraisal", "recognition_resolution",
     "grassroots_recognise", "return_recognition_to_branch", "approve_recognition",
     "return_recognition", "return_recognition_to_grassroots_branch", "propose_removal",
     "propose_removal_to_upper", "removal_resolution", "grassroots_remove",
     "return_removal_to_branch", "remove_probationary", "return_removal",
     "return_removal_to_grassroots_branch"),
)


def duty_conflict(user, candidate, action: Action) -> str:
    """Why separation of duties keeps `user` from taking `action` now ("" when it does not).

    Superusers are held to it too. An imported step does not count: its actor is whoever keyed
    in the old paper record, not whoever decided; nor does a step taken back by an undo
    (`undo_step`, whose payload names the event it undoes): the hand-over did not happen.
    """
    if not settings.SEPARATION_OF_DUTIES or user is None:
        return ""
    chain = next((c for c in HANDOVER_CHAINS if action.code in c), None)
    if chain is None:
        return ""
    previous, undone = None, set()
    for event in (StageEvent.objects.filter(candidate_id=candidate.pk,
                                            action__in=(*chain, "undo_step"))
                  .order_by("-recorded_at", "-pk")
                  .only("action", "actor_id", "imported", "payload")):
        if event.action == "undo_step":  # newer than the step it undoes: seen first
            undone.add(event.payload.get("undoes"))
        elif event.pk not in undone:
            previous = event
            break
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
NUMBER_REQUIRED = {"approve_admission", "grassroots_admit", "approve_recognition",
                   "grassroots_recognise", "remove_probationary", "grassroots_remove",
                   "revoke_admission"}
# Steps whose vote counts the branch's official members on the register.
BRANCH_VOTES = {"branch_vote", "record_failed_vote", "recognition_vote",
                "recognition_vote_to_upper", "record_failed_recognition_vote", "propose_removal",
                "propose_removal_to_upper"}


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

    if action.targets and len(action.targets) == 1:
        data.setdefault("return_to", action.targets[0])
    if action.targets and data.get("return_to") not in action.targets:
        raise WorkflowError(_("Cần chọn bước hồ sơ được trả về."))

    with transaction.atomic():
        c = (Candidate.objects.select_for_update(of=("self",))
             .select_related("organisation__parent__parent").get(pk=candidate.pk))
        if c.stage not in action.from_stages:
            raise WorkflowError(_(
                "Hồ sơ đang ở giai đoạn “%(stage)s” nên không thể “%(action)s”. Có thể người "
                "khác vừa xử lý hồ sơ này; hãy tải lại trang."
            ) % {"stage": c.get_stage_display(), "action": action.label})
        if not action.fits(route_facts(c.organisation)):
            if action.needs_partial_committee:
                raise WorkflowError(_("Chi bộ này không trực thuộc đảng bộ bộ phận nào."))
            raise WorkflowError(_("Bước “%(action)s” không áp dụng cho %(org)s.") % {
                "action": action.label, "org": c.organisation.name})
        if not imported and not (roles_for(actor, c) & set(action.roles_at(c.stage))):
            raise WorkflowError(_("Bạn không có vai trò được thực hiện “%(action)s”.") % {
                "action": action.label})
        if not imported and (conflict := duty_conflict(actor, c, action)):
            raise WorkflowError(conflict)

        if action.code in BRANCH_VOTES:
            data["registered_official"] = registered_official(c, event_date)
        ctx = R.Context(c, event_date, data)
        if action.code == "record_introductions":
            ctx.introductions = [*ctx.introductions,
                                 *introductions_from(c, data, event_date)]
        ctx.actor = actor
        ctx.action = action.code
        findings = R.evaluate(action.rules, ctx)
        _refuse_on_hard(findings, imported)
        made = APPLY[action.code](c, ctx, actor) or []

        from_stage = c.stage
        c.stage = action.leaves(c.stage, data.get("return_to"))
        if action.to_stage is not None:
            c.stage_date = event_date
        c.due_date = _due_date(c, ctx.params, ctx.calendar)
        payload = dict(ctx.payload)
        if action.targets:
            payload["return_to"] = c.stage
        event = StageEvent.objects.create(
            candidate=c, action=action.code, from_stage=from_stage, to_stage=c.stage,
            event_date=event_date,
            document_form=data.get("document_form") or str(action.document or ""),
            document_number=(data.get("document_number") or "").strip(), note=note,
            warnings=[f.as_dict() for f in findings], actor=actor, imported=imported,
            payload=payload,
        )
        # A return waits for the branch (or level) it went to; the next move clears it.
        if action.kind == RETURN:
            c.returned_by = event
        elif action.to_stage is not None:
            c.returned_by = None
        c.save()
        for record in made:  # the papers this step wrote point back to it
            record.event = event
            record.save(update_fields=["event"])
        return event


def _refuse_on_hard(findings, imported):
    hard = [f for f in findings if f.hard]
    if hard and not imported:
        raise WorkflowError(findings=hard)


# Stage 1 (a person enters the pool, with the readmission lookup) lives in entry.py.
from .entry import add_candidate  # noqa: E402,F401,I001


def working_days_left(due: date | None, calendar: WorkingCalendar, today: date) -> int | None:
    if due is None:
        return None
    return calendar.working_days_between(today, due)
