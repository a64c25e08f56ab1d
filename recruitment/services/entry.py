"""Stage 1: a person enters a branch's source pool (`add_candidate`).

Before the candidate is saved the person is looked for among the members of the whole tree,
by CCCD and then by name (folded) and birth date (`identify`, and `judge` for the import,
which fetches in bulk): someone who is a member now, or who died, is refused; someone who
left the Party (removed, expelled, resigned) comes back as a readmission (`former_member`),
judged by Quy định 294-QĐ/TW, điểm 3.5. Outside the user's scope the answer names neither
the person's branch nor anything else about them.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, MemberStatus, Role, fold
from members.models.people import LEFT_STATUSES
from members.selectors import can_see, roles_over

from .. import rules as R
from ..models import Candidate, Stage, StageEvent
from ..workflow import get_action
from .errors import WorkflowError

# Still a party member (here, or in an organisation outside the tree after a transfer).
MEMBER_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL,
                   MemberStatus.TRANSFERRED_OUT)
NEUTRAL = gettext_lazy("Người này đã có trong hệ thống; liên hệ Ban Tổ chức.")
READMISSION = gettext_lazy("hồ sơ được xét theo quy định kết nạp lại (Quy định 294-QĐ/TW, "
                           "điểm 3.5).")


@dataclass
class Identity:
    """What the members' register says about a person about to enter the pool."""

    refusal: str = ""  # why the person cannot enter ("" when they can)
    by_cid: bool = True  # the match was by CCCD (else by name and birth date)
    former: Member | None = None  # a readmission: the member record that comes back
    notice: str = ""  # a warning for the user who adds the person (readmission, namesakes)
    note: str = ""  # the same, in words anyone who sees the dossier may read

    @property
    def field(self) -> str:
        return "citizen_id" if self.by_cid else "full_name"


def _fmt(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _left(member: Member) -> str:
    """“Chi bộ Một, ra khỏi Đảng ngày 01/02/2020, lý do: Tự bỏ sinh hoạt đảng”."""
    when = (_("ra khỏi Đảng ngày %(day)s") % {"day": _fmt(member.left_date)}
            if member.left_date else _("ra khỏi Đảng (chưa ghi ngày)"))
    reason = (member.get_left_reason_display() if member.left_reason
              else member.get_status_display().lower())
    return _("%(org)s, %(when)s, lý do: %(reason)s") % {
        "org": member.organisation.name, "when": when, "reason": reason}


def readmission_notice(member: Member, inside: bool, *, by_name: bool = False,
                       neutral: bool = True) -> str:
    """The warning for a readmission: inside the user's scope it says where and why the person
    left; outside it (or, with `neutral` False, for the dossier's timeline, which others may
    read) only that the person is known and that this is a readmission."""
    if inside:
        text = _("Người này từng là đảng viên (%(left)s): %(rule)s") % {
            "left": _left(member), "rule": READMISSION}
    else:
        text = _("Người này từng là đảng viên: %(rule)s") % {"rule": READMISSION}
        if neutral:
            text = f"{NEUTRAL} {text}"
    if by_name:
        text = _("Tìm thấy theo họ tên và ngày sinh (không có số CCCD để đối chiếu). %(text)s") % {
            "text": text}
    return text


def _refusal(member: Member, inside: bool, by_cid: bool, branch_id: int | None = None) -> str:
    if not inside:
        return str(NEUTRAL)
    if member.status == MemberStatus.DIED:
        return _("Số CCCD này là của đảng viên đã từ trần (%(org)s, ngày %(day)s); hãy kiểm tra "
                 "lại số CCCD.") % {"org": member.organisation.name,
                                    "day": _fmt(member.left_date) or "?"}
    card = _(", số thẻ %(card)s") % {"card": member.card_number} if member.card_number else ""
    text = _("Người này đã là đảng viên (%(org)s, %(status)s%(card)s); không đưa vào danh sách "
             "quần chúng ưu tú được.") % {"org": member.organisation.name,
                                          "status": member.get_status_display().lower(),
                                          "card": card}
    if member.status == MemberStatus.TRANSFERRED_OUT:
        text += " " + _("Nếu đồng chí này nay về đơn vị, chi bộ làm thủ tục nhận chuyển sinh "
                        "hoạt đảng, không kết nạp.")
    elif branch_id and member.organisation_id != branch_id:
        text += " " + _("Nếu đồng chí này nay công tác ở đơn vị của chi bộ, làm thủ tục chuyển "
                        "sinh hoạt đảng, không kết nạp.")
    if not by_cid:
        text += " " + _("Nếu là hai người khác nhau trùng họ tên và ngày sinh, hãy đề nghị Ban "
                        "Tổ chức ghi số CCCD của đảng viên rồi thêm lại.")
    return text


def judge(*, citizen_id: str | None, by_cid: Member | None, by_name: list[Member],
          covers: Callable, branch_id: int | None = None) -> Identity:
    """The answer for one person from the members already fetched: `by_cid` holds the CCCD,
    `by_name` share the folded name and birth date; `covers(organisation)` says whether the
    user may see a member's branch; `branch_id`, the branch the person is entered in, decides
    whether a member found elsewhere is pointed to a transfer (chuyển sinh hoạt)."""
    if by_cid is not None:
        inside = covers(by_cid.organisation)
        if by_cid.status in MEMBER_STATUSES or by_cid.status == MemberStatus.DIED:
            return Identity(refusal=_refusal(by_cid, inside, True, branch_id))
        if by_cid.status in LEFT_STATUSES:
            return Identity(former=by_cid, notice=readmission_notice(by_cid, inside),
                            note=readmission_notice(by_cid, False, neutral=False))
        return Identity()
    # Two different CCCDs are two different people, whatever their names.
    same = [m for m in by_name if not (citizen_id and m.citizen_id)]
    active = [m for m in same if m.status in MEMBER_STATUSES]
    if active:
        return Identity(refusal=_refusal(active[0], covers(active[0].organisation), False,
                                         branch_id), by_cid=False)
    former = [m for m in same if m.status in LEFT_STATUSES]
    if len(former) == 1:
        member = former[0]
        return Identity(
            former=member, by_cid=False,
            notice=readmission_notice(member, covers(member.organisation), by_name=True),
            note=readmission_notice(member, False, by_name=True, neutral=False))
    if former:
        inside = all(covers(m.organisation) for m in former)
        return Identity(by_cid=False, notice=_(
            "Có %(n)s người từng là đảng viên cùng họ tên và ngày sinh này, không có số CCCD để "
            "đối chiếu: hồ sơ chưa được gắn với ai. Nếu là kết nạp lại, hãy ghi số CCCD hoặc "
            "liên hệ Ban Tổ chức.") % {"n": len(former)} if inside else str(NEUTRAL))
    return Identity()


def identify(actor, candidate: Candidate) -> Identity:
    """Look the candidate's person up among the members of the whole tree (two queries at
    most)."""
    members = Member.objects.select_related("organisation")
    cid = candidate.citizen_id or None
    by_cid = members.filter(citizen_id=cid).first() if cid else None
    by_name = [] if by_cid is not None else list(members.filter(
        search_name=fold(candidate.full_name or ""), birth_date=candidate.birth_date))
    return judge(citizen_id=cid, by_cid=by_cid, by_name=by_name,
                 covers=lambda org: actor is None or can_see(actor, org),
                 branch_id=candidate.organisation_id)


def add_candidate(*, actor, candidate: Candidate, imported: bool = False) -> Candidate:
    """Put a person on the source pool of a branch (stage 1).

    Raises ValidationError (on `citizen_id`, or on `full_name` for a match by name) when the
    person is a member already or died, and when the CCCD is already taken, also when another
    request took it between the form's check and this save: the database's unique index
    decides, and nothing of this candidate is kept. A former member is kept as a readmission
    (`former_member`); `candidate.entry_notice` then holds the warning to show.
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
    if not imported and Role.BRANCH_SECRETARY not in roles_over(actor, candidate.organisation):
        raise WorkflowError(_("Chỉ bí thư chi bộ được đưa quần chúng vào danh sách của chi bộ."))
    identity = identify(actor, candidate)
    if identity.refusal:
        raise ValidationError({identity.field: identity.refusal})
    candidate.former_member = identity.former
    if identity.former is None:
        candidate.readmission_consent_ref = ""
    candidate.stage = Stage.SOURCE_POOL
    candidate.stage_date = candidate.added_date
    ctx = R.Context(candidate, candidate.added_date)
    findings = R.evaluate_only(("DATE_NOT_FUTURE",), ctx)
    if not imported and any(f.hard for f in findings):
        raise WorkflowError(findings=[f for f in findings if f.hard])
    candidate.full_clean()
    candidate.save()
    StageEvent.objects.create(
        candidate=candidate, action="add_to_pool", from_stage=Stage.SOURCE_POOL,
        to_stage=Stage.SOURCE_POOL, event_date=candidate.added_date,
        document_form=str(get_action("add_to_pool").document), actor=actor,
        imported=imported, warnings=[f.as_dict() for f in findings], note=identity.note,
    )
    candidate.entry_notice = identity.notice
    return candidate
