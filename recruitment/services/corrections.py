"""Correcting what was entered wrongly, on the dossier's own records: a typo in the person's
identity, or the last step recorded by mistake. Both write a StageEvent of their own (the
timeline shows them) and save the candidate through its history with the reason, so nothing
recorded before is lost: the undone step stays on the timeline, marked as undone.

- `correct_identity`: full name, birth date, sex, ethnicity, religion, CCCD; by the branch
  secretary of the branch or the organisation department over it (a closed dossier: the
  department only).
- `undo_last_step`: whoever recorded the dossier's latest step takes it back while nobody
  has acted after it; the stage and the fields the step wrote come back from the history row
  before the step's save, and the papers the step created are deleted. Steps that made or
  changed a party member are left to the organisation department.
"""
from datetime import date

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from members.history import Channel, give_reason, recording
from members.models import Role

from .. import rules as R
from ..models import Candidate, Decision, Introduction, StageEvent, VerificationRecord, Vote
from ..workflow import CLOSED_STAGES, get_action
from .errors import WorkflowError
from .pipeline import roles_for

CORRECT_IDENTITY, UNDO_STEP = "correct_identity", "undo_step"
CORRECTION_ACTIONS = (CORRECT_IDENTITY, UNDO_STEP)
IDENTITY_FIELDS = ("full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id")
CORRECTORS = {Role.BRANCH_SECRETARY, Role.ORG_DEPARTMENT}
# Who takes steps at all, hence may take back one of their own.
UNDOERS = {Role.BRANCH_SECRETARY, Role.GRASSROOTS_OFFICE, Role.ORG_DEPARTMENT}
# Steps that make or change a party member (a movement, the member's status): their undoing
# goes to the organisation department. A transfer or a death too, once there is a member.
MEMBER_STEPS = {"hold_ceremony", "approve_recognition", "grassroots_recognise",
                "remove_probationary", "grassroots_remove"}
MEMBER_STEPS_WITH_MEMBER = {"record_death", "transfer"}
# The papers a step creates, each pointing back to it through `event`.
PAPERS = (Vote, Decision, Introduction, VerificationRecord)
# What the step wrote on the candidate, brought back from the history row before it.
RESTORED = ("stage", "organisation", *Candidate.history_step_fields)


def _taken():
    return _("Số CCCD này đã có trong hệ thống; liên hệ Ban Tổ chức.")


# Who may correct ----------------------------------------------------------------------------

def correction_refusal(user, candidate) -> str:
    """Why `user` may not correct the candidate's identity ("" when they may)."""
    roles = roles_for(user, candidate)
    if candidate.stage in CLOSED_STAGES:
        if Role.ORG_DEPARTMENT in roles:
            return ""
        return _("Hồ sơ đã kết thúc: chỉ Ban Tổ chức được sửa thông tin của hồ sơ này.")
    if roles & CORRECTORS:
        return ""
    return _("Chỉ bí thư chi bộ hoặc cán bộ Ban Tổ chức phụ trách chi bộ được sửa thông tin "
             "của quần chúng.")


def may_undo(user, candidate) -> bool:
    """Whether the user holds a role that takes steps on this dossier (the undo page opens)."""
    return bool(roles_for(user, candidate) & UNDOERS)


def undone_ids(events) -> set[int]:
    """The pks of the events that an undo in `events` took back."""
    return {e.payload.get("undoes") for e in events
            if e.action == UNDO_STEP and isinstance(e.payload, dict)} - {None}


def undoable(user, candidate, *, expected: int | None = None) -> tuple[StageEvent | None, str]:
    """The step `user` may undo now on the candidate, or None and why not.

    `expected` is the event the user saw on the page: when another one came after it, the
    undo is refused rather than taking back something they did not see.
    """
    latest = (StageEvent.objects.filter(candidate_id=candidate.pk).select_related("actor")
              .order_by("-recorded_at", "-pk").first())
    if latest is None or latest.action == "add_to_pool":
        return None, _("Hồ sơ chưa có bước nào để hủy.")
    if expected is not None and latest.pk != expected:
        return None, _("Hồ sơ đã có thao tác mới sau bước bạn định hủy; hãy tải lại trang.")
    if latest.action == UNDO_STEP:
        return None, _("Thao tác gần nhất của hồ sơ là một lần hủy bước: chỉ hủy được bước vừa "
                       "ghi, mỗi lần một bước, khi chưa ai làm gì sau đó.")
    if latest.action == CORRECT_IDENTITY:
        return None, _("Sau bước gần nhất đã có lần sửa thông tin của hồ sơ, nên không hủy "
                       "được bước đó nữa.")
    action = get_action(latest.action)
    label = action.label if action else latest.action
    if latest.imported:
        return None, _("Bước “%(action)s” được nhập từ dữ liệu cũ, không hủy được trên trang "
                       "này; liên hệ Ban Tổ chức.") % {"action": label}
    if latest.actor_id != user.pk:
        return None, _("Chỉ người đã ghi bước “%(action)s” được hủy bước đó.") % {
            "action": label}
    if action is None:
        return None, _("Bước “%(action)s” không còn trong quy trình.") % {"action": label}
    if latest.action in MEMBER_STEPS or (latest.action in MEMBER_STEPS_WITH_MEMBER
                                         and candidate.membership is not None):
        return None, _("Bước “%(action)s” đã tạo hoặc thay đổi hồ sơ đảng viên: việc hủy bước "
                       "này do Ban Tổ chức thực hiện.") % {"action": label}
    if not roles_for(user, candidate) & set(action.roles_at(latest.from_stage)):
        return None, _("Bạn không còn vai trò thực hiện “%(action)s” trên hồ sơ này.") % {
            "action": label}
    if candidate.history.filter(history_date__gte=latest.recorded_at).count() > 1:
        return None, _("Hồ sơ đã được sửa sau bước “%(action)s”, nên không hủy được bước "
                       "đó.") % {"action": label}
    return latest, ""


def summary(event, events=()) -> str:
    """What a correction did, in words, for the timeline: "Họ và tên “…” → “…”" for an
    identity correction, the step and its date for an undo (looked up in `events`); "" for
    any other event."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    if event.action == CORRECT_IDENTITY:
        parts = []
        for name, (old, new) in (payload.get("changes") or {}).items():
            try:
                label = capfirst(Candidate._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # a field since renamed: its stored name
                label = name
            parts.append(f"{label} “{old or _('(trống)')}” → “{new or _('(trống)')}”")
        return "; ".join(parts)
    if event.action == UNDO_STEP:
        undone = next((e for e in events if e.pk == payload.get("undoes")), None)
        if undone is None:
            return ""
        action = get_action(undone.action)
        return _("Bước được hủy: “%(action)s”, ngày %(day)s") % {
            "action": action.label if action else undone.action,
            "day": undone.event_date.strftime("%d/%m/%Y")}
    return ""


# Identity ----------------------------------------------------------------------------------

def _as_text(field_name, value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    model_field = Candidate._meta.get_field(field_name)
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def correct_identity(*, actor, candidate: Candidate, values: dict, reason: str,
                     channel: str = Channel.PAGE) -> StageEvent:
    """Correct the identity fields given in `values`, with `reason`.

    Raises WorkflowError (not allowed, nothing changed, no reason) or ValidationError with the
    field at fault (a CCCD taken, also when another request took it at the same moment: the
    database's unique index decides and the neutral message answers).
    """
    try:
        return _correct_identity(actor=actor, candidate=candidate, values=values,
                                 reason=reason, channel=channel)
    except IntegrityError:
        cid = values.get("citizen_id")
        if cid and Candidate.objects.filter(citizen_id=cid).exclude(pk=candidate.pk).exists():
            raise ValidationError({"citizen_id": _taken()}) from None
        raise


@transaction.atomic
def _correct_identity(*, actor, candidate, values, reason, channel):
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Cần ghi rõ lý do sửa."))
    c = (Candidate.objects.select_for_update(of=("self",)).select_related("organisation")
         .get(pk=candidate.pk))
    if refusal := correction_refusal(actor, c):
        raise WorkflowError(refusal)
    changes = {}
    for name in IDENTITY_FIELDS:
        if name not in values:
            continue
        new = values[name]
        if isinstance(new, str):
            new = new.strip()
        if name == "citizen_id":
            new = new or None
        old = getattr(c, name)
        if new != old:
            changes[name] = [_as_text(name, old), _as_text(name, new)]
            setattr(c, name, new)
    if not changes:
        raise WorkflowError(_("Không có gì thay đổi."))
    _validate_identity(c)
    give_reason(c, reason)  # the event keeps the whole reason
    with recording(channel):
        c.save()
    return StageEvent.objects.create(
        candidate=c, action=CORRECT_IDENTITY, from_stage=c.stage, to_stage=c.stage,
        event_date=R.today(), note=reason, actor=actor, payload={"changes": changes})


def _validate_identity(c):
    others = [f.name for f in Candidate._meta.fields if f.name not in IDENTITY_FIELDS]
    errors = {}
    try:
        c.clean_fields(exclude=others)
    except ValidationError as err:
        errors.update(err.message_dict)
    if c.birth_date and c.added_date and c.birth_date >= c.added_date:
        errors.setdefault("birth_date", []).append(
            _("Ngày sinh phải trước ngày vào danh sách dự nguồn (%(day)s).")
            % {"day": c.added_date.strftime("%d/%m/%Y")})
    if c.citizen_id and "citizen_id" not in errors:
        try:
            c.validate_unique(exclude=[f.name for f in Candidate._meta.fields
                                       if f.name != "citizen_id"])
        except ValidationError:
            errors["citizen_id"] = [_taken()]
    if errors:
        raise ValidationError(errors)


# Undo --------------------------------------------------------------------------------------

@transaction.atomic
def undo_last_step(*, actor, candidate: Candidate, reason: str, expected: int | None = None,
                   channel: str = Channel.PAGE) -> StageEvent:
    """Take back the latest step of the dossier, recorded by `actor`, with `reason`.

    One transaction with the candidate row locked: a second undo at the same moment waits,
    then finds the first one's event as the latest and is refused.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Cần ghi rõ lý do hủy."))
    c = (Candidate.objects.select_for_update(of=("self",))
         .select_related("organisation__parent__parent").get(pk=candidate.pk))
    event, refusal = undoable(actor, c, expected=expected)
    if event is None:
        raise WorkflowError(refusal)
    before = (c.history.filter(history_date__lt=event.recorded_at)
              .order_by("-history_date", "-history_id").first())
    if before is None or before.stage != event.from_stage:
        raise WorkflowError(_("Không tìm thấy bản ghi của hồ sơ trước bước này để khôi phục; "
                              "liên hệ Ban Tổ chức."))
    current = c.stage
    certificate = c.awareness_cert_date
    for name in RESTORED:
        attname = Candidate._meta.get_field(name).attname
        setattr(c, attname, getattr(before, attname))
    if c.awareness_cert_date != certificate:
        c.awareness_cert_expires = (R.add_months(c.awareness_cert_date, R.Context(
            c, c.awareness_cert_date).param("CERT_VALID_MONTHS"))
            if c.awareness_cert_date else None)
    for paper in PAPERS:
        paper.objects.filter(candidate=c, event=event).delete()
    if event.action == "answer_verification" and (record := event.payload.get("record")):
        VerificationRecord.objects.filter(pk=record, candidate=c).update(
            answered_date=None, conclusion="")
    give_reason(c, reason)  # the event keeps the whole reason
    with recording(channel):
        c.save()
    return StageEvent.objects.create(
        candidate=c, action=UNDO_STEP, from_stage=current, to_stage=c.stage,
        event_date=R.today(), note=reason, actor=actor, payload={"undoes": event.pk})
