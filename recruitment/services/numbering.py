"""The numbering register (models/numbering.py): which register a step's resolution or decision
is numbered in, the next number offered on the step's form, the number a recorded step takes,
and the numbers left unused, each with its reason.

The rule NUMBER_UNIQUE judges a typed number against the papers already recorded and refuses a
clash before anything is written; the register adds what the papers cannot tell: a number
voided, and two steps taking the same number at the same moment (the sequence row is locked,
so the second one sees the first one's number)."""
import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import subtree_bounds

from ..models import (
    ABBREVIATIONS,
    Decision,
    NumberKind,
    NumberSequence,
    RegisteredNumber,
    Vote,
    VoteKind,
)
from ..papers.facts import number_suffix
from ..rules.paths import (
    BRANCH_RESOLUTIONS,
    COMMITTEE_RESOLUTIONS,
    DECISION_ROLES,
    deciding_organisation,
    grassroots_committee,
    issuer_role,
)
from .errors import WorkflowError

# The most numbers one explanation covers ("1–124: cấp trước khi dùng phần mềm").
MAX_VOID_RANGE = 1000


def numbered_paper(action_code: str, candidate, actor):
    """(issuer, kind) of the register a step numbers its paper in, or None for a step whose
    number is not a resolution's or a decision's (a certificate, a report, a letter)."""
    if action_code == "revoke_admission":
        return (deciding_organisation(actor, candidate, issuer_role(candidate)),
                NumberKind.DECISION)
    if action_code in DECISION_ROLES:
        return (deciding_organisation(actor, candidate, DECISION_ROLES[action_code]),
                NumberKind.DECISION)
    if action_code in BRANCH_RESOLUTIONS:
        return candidate.organisation, NumberKind.RESOLUTION
    if action_code in COMMITTEE_RESOLUTIONS:
        return grassroots_committee(candidate.organisation), NumberKind.RESOLUTION
    return None


def suffix_of(issuer, kind: str) -> str:
    return number_suffix(ABBREVIATIONS[kind], issuer)


def parse(text: str, suffix: str) -> int | None:
    """The number of "125-QĐ/ĐU" in the register whose suffix is "QĐ/ĐU"; None for a number
    written in any other form, which is kept as typed and not registered."""
    found = re.fullmatch(r"([1-9]\d{0,5})-" + re.escape(suffix), (text or "").strip())
    return int(found.group(1)) if found else None


BRANCH_VOTES = (VoteKind.BRANCH, VoteKind.RECOGNITION_BRANCH, VoteKind.REMOVAL_BRANCH)


def highest_on_papers(issuer, kind: str, year: int) -> int:
    """The highest number of the register's form already written on papers of that year
    (typed or imported before the register existed): a new register continues after it, so
    an office that reached 126-QĐ/ĐU in its books is offered 127."""
    suffix = suffix_of(issuer, kind)
    if kind == NumberKind.DECISION:
        texts = Decision.objects.filter(decided_by=issuer, decision_date__year=year
                                        ).values_list("number", flat=True)
    elif issuer.is_branch:
        texts = Vote.objects.filter(candidate__organisation=issuer, vote_date__year=year,
                                    kind__in=BRANCH_VOTES).values_list("resolution_number",
                                                                       flat=True)
    else:
        low, high = subtree_bounds(issuer.path)
        texts = Vote.objects.filter(
            candidate__organisation__path__gte=low, candidate__organisation__path__lt=high,
            vote_date__year=year).exclude(kind__in=BRANCH_VOTES).values_list(
            "resolution_number", flat=True)
    return max((n for n in (parse(t, suffix) for t in texts) if n), default=0)


def offer(issuer, kind: str, year: int) -> str:
    """The next number of the register, without taking it."""
    seq = NumberSequence.objects.filter(issuer=issuer, year=year, kind=kind).first()
    if seq is None:
        return f"{highest_on_papers(issuer, kind, year) + 1}-{suffix_of(issuer, kind)}"
    return seq.text(seq.last + 1)


def offer_for_step(action_code: str, candidate, actor, on: date) -> str:
    """The number a step's form offers ("" for a step that is not numbered in a register)."""
    found = numbered_paper(action_code, candidate, actor)
    return offer(*found, on.year) if found else ""


def _locked_sequence(issuer, kind: str, year: int) -> NumberSequence:
    seq, _created = NumberSequence.objects.get_or_create(
        issuer=issuer, year=year, kind=kind,
        defaults={"suffix": suffix_of(issuer, kind),
                  "last": highest_on_papers(issuer, kind, year)})
    return NumberSequence.objects.select_for_update().get(pk=seq.pk)


def _next_free(seq: NumberSequence) -> str:
    return seq.text(seq.last + 1)


@transaction.atomic
def take(*, issuer, kind: str, day: date, candidate, text: str = "", decision=None,
         vote=None, is_list: bool = False) -> RegisteredNumber | None:
    """Take a number of the issuer's register for `day`'s year, for `candidate`'s paper: the
    typed `text` when it is of the register's form ("125-QĐ/ĐU") and free, the next number
    when `text` is blank.

    A number typed in another form (another issuer's, an old style) is kept as typed: nothing
    is registered and None is returned. Raises WorkflowError when the number was voided, or is
    used for another person's paper (a list decision shares its number with the others of the
    list). A typed number above the last one leaves the numbers between as gaps to explain.
    """
    seq = _locked_sequence(issuer, kind, day.year)
    text = (text or "").strip()
    number = parse(text, seq.suffix) if text else seq.last + 1
    if number is None:
        return None
    row = (RegisteredNumber.objects.select_related("decision", "vote", "sequence")
           .filter(sequence=seq, number=number).first())
    if row is None:
        row = RegisteredNumber(sequence=seq, number=number, text=seq.text(number))
    elif row.is_void:
        raise WorkflowError(_(
            "Số %(n)s đã được ghi là không dùng (%(reason)s): số đã bỏ không được dùng lại. Số "
            "tiếp theo còn trống: %(next)s.") % {
            "n": row.text, "reason": row.void_reason, "next": _next_free(seq)})
    elif row.paper() is not None:
        shared = (kind == NumberKind.DECISION and row.is_list and is_list)
        if shared or row.candidate_id == candidate.pk:
            return row
        raise WorkflowError(_(
            "Số %(n)s đã được dùng cho người khác ngày %(day)s; trong một năm mỗi số chỉ dùng "
            "một lần (trừ quyết định theo danh sách). Số tiếp theo còn trống: %(next)s.") % {
            "n": row.text, "day": row.used_on.strftime("%d/%m/%Y") if row.used_on else "…",
            "next": _next_free(seq)})
    # A new number, or one whose paper is gone (its step undone): it is this paper's now.
    row.candidate, row.decision, row.vote = candidate, decision, vote
    row.is_list, row.used_on = is_list, day
    row.save()
    if number > seq.last:
        seq.last = number
        seq.save(update_fields=["last"])
    return row


def register_paper(ctx, *, decision=None, vote=None) -> RegisteredNumber | None:
    """Register the number a step's decision or resolution was recorded with (the appliers call
    it). A vote recorded by a step that also decides is numbered by its decision."""
    if decision is not None:
        if not decision.number.strip():
            return None
        return take(issuer=decision.decided_by, kind=NumberKind.DECISION,
                    day=decision.decision_date, text=decision.number,
                    candidate=ctx.candidate, decision=decision, is_list=decision.is_list)
    found = numbered_paper(ctx.action, ctx.candidate, ctx.actor)
    if vote is None or found is None or found[1] != NumberKind.RESOLUTION:
        return None
    if not vote.resolution_number.strip():
        return None
    return take(issuer=found[0], kind=NumberKind.RESOLUTION, day=vote.vote_date,
                text=vote.resolution_number, candidate=ctx.candidate, vote=vote)


@transaction.atomic
def void_numbers(*, sequence: NumberSequence, first: int, last: int | None = None,
                 reason: str, actor) -> list[RegisteredNumber]:
    """Record why the numbers first…last of a register are not used (a gap, a number whose
    step was undone, numbers given to papers kept outside this register). A number voided is
    never taken again; one still borne by a paper is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Cần ghi rõ lý do không dùng số."))
    last = first if last is None else last
    if first < 1 or last < first:
        raise WorkflowError(_("Khoảng số không hợp lệ: “đến số” phải không nhỏ hơn “từ số”."))
    if last - first >= MAX_VOID_RANGE:
        raise WorkflowError(_("Mỗi lần chỉ ghi lý do cho tối đa %(n)s số.") % {
            "n": MAX_VOID_RANGE})
    seq = NumberSequence.objects.select_for_update().get(pk=sequence.pk)
    rows = {r.number: r for r in seq.numbers.select_related("decision", "vote", "sequence")
            .filter(number__range=(first, last))}
    written = []
    for number in range(first, last + 1):
        row = rows.get(number) or RegisteredNumber(sequence=seq, number=number,
                                                   text=seq.text(number))
        if row.is_void:
            raise WorkflowError(_("Số %(n)s đã có lý do không dùng: %(reason)s.") % {
                "n": row.text, "reason": row.void_reason})
        if row.pk and row.paper() is not None:
            raise WorkflowError(_(
                "Số %(n)s đang được dùng cho một hồ sơ: muốn bỏ số này, hãy hủy bước đã ghi "
                "số đó trước.") % {"n": row.text})
        row.void_reason, row.voided_by = reason, actor
        row.save()
        written.append(row)
    if last > seq.last:
        seq.last = last
        seq.save(update_fields=["last"])
    return written
