"""Every change of a member's branch or membership goes through `record_movement`: it checks
the change against the member's current state, updates the member and writes its dated
`Movement`, in one transaction with the member row locked. Pages, the pipeline (admission,
readmission, a probationary member's death, removal or transfer) and imports all call it.

Pages call `record_for`, which first checks that the user's role may record that kind of
movement over the member and, for a move, over the branch the member goes to."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry, selectors
from .history import give_reason
from .models import Member, MemberStatus, Movement, MovementKind, Organisation, Role
from .models.movements import ADMISSION_KINDS, EXIT_STATUS, NEEDS_DESTINATION
from .signals import rows_added

ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
K = MovementKind

# The movements each role records from the member pages, within its subtree: the
# organisation department all of them, a grassroots office the moves inside its own subtree,
# temporary membership and a death. Branch secretaries follow them but record none.
RECORDERS = {
    Role.ORG_DEPARTMENT: frozenset({
        K.TRANSFER_IN, K.TRANSFER_WITHIN, K.TEMPORARY, K.TEMPORARY_END, K.TRANSFER_OUT,
        K.DIED, K.REMOVED, K.EXPELLED, K.RESIGNED}),
    Role.GRASSROOTS_OFFICE: frozenset({
        K.TRANSFER_IN, K.TRANSFER_WITHIN, K.TEMPORARY, K.TEMPORARY_END, K.DIED}),
}
# Who corrects a member's identity fields (a typo in a name, a wrong date of birth).
CORRECTORS = frozenset({Role.ORG_DEPARTMENT, Role.GRASSROOTS_OFFICE})


class MovementError(Exception):
    """A movement that cannot be recorded; the message says why, in Vietnamese. `field` names
    the form field at fault, `link` a page where it can be done instead."""

    def __init__(self, message: str, field: str | None = None, link: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        self.link = link


def recorder_roles(kind: str) -> frozenset:
    return frozenset(role for role, kinds in RECORDERS.items() if kind in kinds)


def may_record(user, member: Member, kind: str) -> bool:
    """Whether the user's roles over the member's branch take this kind of movement."""
    return bool(selectors.roles_over(user, member.organisation) & recorder_roles(kind))


def may_correct(user, member: Member) -> bool:
    return bool(selectors.roles_over(user, member.organisation) & CORRECTORS)


def destinations(user, kind: str):
    """The branches a member may be moved to by this user: in the subtree of a role that
    records this kind of movement."""
    return selectors.branches_under_roles(user, recorder_roles(kind))


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def guard_refusal(member: Member, kind: str) -> MovementError | None:
    """What an upper app says against recording this movement outside its own steps (a
    probationary member whose dossier is still open moves with the dossier)."""
    for entry in registry.movement_guards.values():
        refusal = registry.load(entry)(member, kind)
        if refusal:
            message, link = refusal if isinstance(refusal, tuple) else (refusal, "")
            return MovementError(message, link=link)
    return None


def state_refusal(member: Member, kind: str) -> MovementError | None:
    """Why this movement cannot be recorded for the member as they are now, whatever its
    date and destination; None when it can."""
    if kind in (K.READMITTED, K.TRANSFER_IN, K.ADMITTED):
        if kind == K.READMITTED and member.status in ACTIVE:
            return MovementError(_("%(name)s đang là đảng viên, không thể kết nạp lại.")
                                 % {"name": member.full_name})
        if kind == K.TRANSFER_IN and member.pk and member.status in ACTIVE:
            return MovementError(_("%(name)s đang sinh hoạt ở %(org)s.")
                                 % {"name": member.full_name, "org": member.organisation.name})
        return None
    if member.status not in ACTIVE:
        return MovementError(_("%(name)s không còn trong danh sách đảng viên (%(status)s).")
                             % {"name": member.full_name,
                                "status": member.get_status_display().lower()})
    if kind == K.TEMPORARY_END and member.temporary_organisation_id is None:
        return MovementError(_("%(name)s không sinh hoạt tạm thời ở chi bộ nào.")
                             % {"name": member.full_name})
    return None


def _check(member: Member, kind: str, day: date, to: Organisation | None):
    if kind in NEEDS_DESTINATION:
        if to is None:
            raise MovementError(_("Cần chọn chi bộ đến."), "to_organisation")
        if not to.is_branch:
            raise MovementError(_("Đảng viên sinh hoạt ở một chi bộ, không phải ở %(kind)s.")
                                % {"kind": to.get_kind_display()}, "to_organisation")
    if (refusal := state_refusal(member, kind)) is not None:
        raise refusal
    if kind == K.ADMITTED:
        return
    if kind in (K.TRANSFER_WITHIN, K.TEMPORARY) and to is not None and (
            to.pk == member.organisation_id):
        raise MovementError(_("Đảng viên đang sinh hoạt ở chi bộ này."), "to_organisation")
    if kind == K.TEMPORARY and to is not None and to.pk == member.temporary_organisation_id:
        raise MovementError(_("Đảng viên đang sinh hoạt tạm thời ở chi bộ này."),
                            "to_organisation")
    if member.admitted_date and day < member.admitted_date:
        raise MovementError(_("Ngày %(day)s trước ngày vào Đảng (%(admitted)s).")
                            % {"day": _fmt(day), "admitted": _fmt(member.admitted_date)}, "date")
    last = member.pk and (Movement.objects.filter(member=member).order_by("-date", "-pk")
                          .values_list("date", flat=True).first())
    if last and day < last:
        raise MovementError(_("Ngày %(day)s trước biến động gần nhất của đảng viên (%(last)s).")
                            % {"day": _fmt(day), "last": _fmt(last)}, "date")


def record_movement(member: Member, kind: str, day: date, *, actor=None,
                    to_organisation: Organisation | None = None, outside_place: str = "",
                    document_number: str = "", reason: str = "", note: str = "",
                    decision_date: date | None = None, imported: bool = False,
                    from_pipeline: bool = False) -> Movement:
    """Record one movement of `member` (saved first when new, for admissions and transfers in
    from outside) and bring the member's branch and status in line with it.

    Calls that do not come from a pipeline step (`from_pipeline`) are first put to the
    `movement_guards` of the upper apps: a member whose dossier is still open moves with it."""
    if day > timezone.localdate():
        raise MovementError(_("Ngày %(day)s là ngày trong tương lai.") % {"day": _fmt(day)},
                            "date")
    with transaction.atomic():
        if member.pk:
            member = Member.objects.select_for_update().select_related("organisation").get(
                pk=member.pk)
        _check(member, kind, day, to_organisation)
        if not from_pipeline and member.pk and (refusal := guard_refusal(member, kind)):
            raise refusal
        source = member.organisation if member.organisation_id else None
        fields = ["status", "organisation", "left_date", "left_document", "left_reason",
                  "temporary_organisation", "official_date", "updated_at"]
        if kind in EXIT_STATUS:
            member.status = EXIT_STATUS[kind]
            member.left_date = day
            member.left_document = document_number
            member.left_reason = reason
            member.temporary_organisation = None
        elif kind == K.TEMPORARY:
            member.temporary_organisation = to_organisation
        elif kind == K.TEMPORARY_END:
            member.temporary_organisation = None
        else:  # admitted, readmitted, transfer in or within: the member is in `to` from `day`
            member.organisation = to_organisation
            member.temporary_organisation = None
            if kind == K.READMITTED:
                member.status = MemberStatus.PROBATIONARY
                member.official_date = None
            if kind in (K.READMITTED, K.TRANSFER_IN):
                member.left_date = None
                member.left_document = ""
                member.left_reason = ""
            if kind == K.TRANSFER_IN:  # official or probationary as their papers say
                member.status = (MemberStatus.OFFICIAL if member.official_date
                                 else MemberStatus.PROBATIONARY)
        if member.pk:
            member.save(update_fields=fields)
        else:
            member.full_clean()
            member.save()
        return Movement.objects.create(
            member=member, kind=kind, date=day,
            from_organisation=None if kind in (K.ADMITTED, K.TRANSFER_IN, K.READMITTED)
            else source,
            to_organisation=(to_organisation if kind in NEEDS_DESTINATION else None),
            outside_place=outside_place, document_number=document_number, reason=reason,
            note=note, actor=actor, imported=imported,
            decision_date=decision_date if kind in ADMISSION_KINDS else None,
        )


EXIT_KIND = {status: kind for kind, status in EXIT_STATUS.items()}


def write_present_rows(members) -> int:
    """The "present since" row of each member who has no movement yet (a member imported from
    a list, or made directly): on their branch's list from the day they joined the Party, and
    off it on the day they left when that day is known. Returns the rows written."""
    members = list(members)
    recorded = set(Movement.objects.filter(member__in=[m.pk for m in members])
                   .values_list("member_id", flat=True).distinct())
    rows = []
    for m in members:
        if m.pk in recorded:
            continue
        rows.append(Movement(member=m, kind=K.PRESENT, date=m.admitted_date,
                             to_organisation_id=m.organisation_id, imported=True))
        if m.status in EXIT_KIND and m.left_date:
            rows.append(Movement(member=m, kind=EXIT_KIND[m.status], date=m.left_date,
                                 from_organisation_id=m.organisation_id,
                                 document_number=m.left_document, imported=True))
    Movement.objects.bulk_create(rows, batch_size=1000)
    rows_added.send(Movement, ids=[r.pk for r in rows])
    return len(rows)


def record_for(user, member: Member, kind: str, day: date, *,
               to_organisation: Organisation | None = None, **details) -> Movement:
    """A movement recorded from a page: the user's role must take this kind over the member's
    branch (else PermissionDenied) and over the branch the member goes to."""
    if member.pk and not may_record(user, member, kind):
        raise PermissionDenied
    if to_organisation is not None and not destinations(user, kind).filter(
            pk=to_organisation.pk).exists():
        raise MovementError(_("Chi bộ đến không thuộc phạm vi bạn được ghi biến động."),
                            "to_organisation")
    return record_movement(member, kind, day, actor=user, to_organisation=to_organisation,
                           **details)


def correct_identity(user, member: Member, changes: dict, reason: str) -> Member:
    """Correct identity fields entered wrongly (a typo in a name, a wrong CCCD): one save, its
    history row carrying `reason` as the change reason, so the member's page says why."""
    if not may_correct(user, member):
        raise PermissionDenied
    try:
        with transaction.atomic():
            member = Member.objects.select_for_update().get(pk=member.pk)
            changed = [name for name, value in changes.items() if getattr(member, name) != value]
            if not changed:
                raise ValidationError(_("Chưa có thông tin nào được sửa."))
            for name in changed:
                setattr(member, name, changes[name])
            give_reason(member, reason)
            member.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as err:  # a CCCD or card number taken since the form checked it
        raise ValidationError(_("Số CCCD hoặc số thẻ đảng viên này đã có trong hệ thống.")) \
            from err
    return member
