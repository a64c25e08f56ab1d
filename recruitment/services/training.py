"""Training classes: open a class, enrol learners, record the whole class's results; a pass
is written into the learner's pipeline record through the same workflow services."""
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member, MemberStatus, Role
from members.selectors import can_see, roles_over

from ..models import Candidate, ClassKind, Enrolment, Nomination, Result, Stage, TrainingClass
from ..rules import today
from .pipeline import WorkflowError, perform

# Candidates a branch can send to the awareness class: a helper is assigned (stage 2, as the
# spec orders it) and the branch has not voted yet; later stages may re-take an expired class.
AWARENESS_STAGES = (Stage.HELPER_ASSIGNED, Stage.SYMPATHISER, Stage.APPLIED,
                    Stage.HISTORY_VERIFIED, Stage.INTRODUCED, Stage.OPINIONS_COLLECTED)


class TrainingError(WorkflowError):
    """A refused class operation; `errors` lists every problem (one per learner or row)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


@dataclass
class EnrolmentOutcome:
    enrolled: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _org_department_over(actor, organisation) -> bool:
    return Role.ORG_DEPARTMENT in roles_over(actor, organisation)


@transaction.atomic
def open_class(*, actor, training_class: TrainingClass) -> TrainingClass:
    if not _org_department_over(actor, training_class.organiser):
        raise TrainingError([_("Chỉ cán bộ Ban Tổ chức của cấp ủy này hoặc cấp trên được mở lớp.")])
    training_class.created_by = actor
    training_class.fill_code()
    training_class.full_clean()
    training_class.save()
    return training_class


def eligibility_problem(training_class, *, candidate=None, member=None) -> str | None:
    """Why this person cannot sit this class, or None."""
    person = candidate or member
    if not training_class.organiser.contains(person.organisation):
        return _("%(name)s (%(branch)s) không thuộc %(organiser)s, nơi tổ chức lớp.") % {
            "name": person.full_name, "branch": person.organisation.name,
            "organiser": training_class.organiser.name}
    if training_class.kind == ClassKind.AWARENESS:
        if member is not None:
            return _("%(name)s đã là đảng viên: lớp nhận thức về Đảng dành cho quần chúng.") % {
                "name": member.full_name}
        if candidate.stage not in AWARENESS_STAGES:
            return _("%(name)s đang ở giai đoạn “%(stage)s”: chỉ cử đi học lớp nhận thức khi đã "
                     "phân công đảng viên giúp đỡ và chi bộ chưa xét kết nạp.") % {
                "name": candidate.full_name, "stage": candidate.get_stage_display()}
        return None
    if candidate is not None:
        return _("Lớp đảng viên mới dành cho đảng viên dự bị; %(name)s chưa được kết nạp.") % {
            "name": candidate.full_name}
    if member.status != MemberStatus.PROBATIONARY:
        return _("%(name)s không phải đảng viên dự bị (%(status)s).") % {
            "name": member.full_name, "status": member.get_status_display().lower()}
    return None


@transaction.atomic
def enrol(*, training_class: TrainingClass, actor, candidates=(), members=()) -> EnrolmentOutcome:
    """Enrol many learners at once: all of them, or none when any one is refused."""
    if not _org_department_over(actor, training_class.organiser):
        raise TrainingError([_("Bạn không quản lý lớp này.")])
    outcome = EnrolmentOutcome()
    errors = []
    already_c = set(training_class.enrolments.values_list("candidate_id", flat=True))
    already_m = set(training_class.enrolments.values_list("member_id", flat=True))
    people = [(c, None) for c in candidates] + [(None, m) for m in members]
    for candidate, member in people:
        person = candidate or member
        if not can_see(actor, person.organisation):
            errors.append(_("%(name)s nằm ngoài phạm vi bạn được phân quyền.") % {
                "name": person.full_name})
            continue
        problem = eligibility_problem(training_class, candidate=candidate, member=member)
        if problem:
            errors.append(problem)
            continue
        if (candidate and candidate.pk in already_c) or (member and member.pk in already_m):
            errors.append(_("%(name)s đã có trong danh sách lớp.") % {"name": person.full_name})
            continue
        if candidate and candidate.awareness_cert_expires and (
                candidate.awareness_cert_expires > training_class.start_date):
            outcome.warnings.append(_(
                "%(name)s đang có giấy chứng nhận nhận thức về Đảng còn giá trị đến %(day)s."
            ) % {"name": candidate.full_name,
                 "day": candidate.awareness_cert_expires.strftime("%d/%m/%Y")})
        outcome.enrolled.append(Enrolment(training_class=training_class, candidate=candidate,
                                          member=member, enrolled_by=actor))
    if errors:
        raise TrainingError(errors)
    for enrolment in outcome.enrolled:
        enrolment.save()
        lookup = {"candidate": enrolment.candidate} if enrolment.candidate else {
            "member": enrolment.member}
        Nomination.objects.filter(kind=training_class.kind, enrolment__isnull=True,
                                  **lookup).update(enrolment=enrolment)
    return outcome


@dataclass
class ResultRow:
    enrolment_id: object
    result: str
    certificate_number: str = ""
    certificate_date: date | None = None
    label: str = ""  # how the form names the row in messages ("dòng 3")


@transaction.atomic
def record_results(*, training_class: TrainingClass, actor, rows: list[ResultRow]) -> int:
    """Record a whole class's results at once; a pass goes into the learner's pipeline record.

    Every row is checked before anything is written; one bad row refuses the whole grid."""
    if not _org_department_over(actor, training_class.organiser):
        raise TrainingError([_("Bạn không quản lý lớp này.")])
    enrolments = {str(e.pk): e for e in training_class.enrolments.select_for_update(of=("self",))
                  .select_related("candidate__organisation", "member__organisation")}
    errors, seen_numbers = [], {}
    for row in rows:
        where = row.label or str(row.enrolment_id)
        enrolment = enrolments.get(str(row.enrolment_id))
        if enrolment is None:
            errors.append(_("%(row)s: người này không có trong danh sách lớp.") % {"row": where})
            continue
        name = enrolment.person.full_name
        if row.result not in Result.values:
            errors.append(_("%(row)s (%(name)s): kết quả không hợp lệ.") % {"row": where,
                                                                          "name": name})
            continue
        if enrolment.recorded_in_pipeline and (
                row.result != Result.PASSED
                or row.certificate_number.strip() != enrolment.certificate_number
                or row.certificate_date != enrolment.certificate_date):
            errors.append(_("%(row)s (%(name)s): kết quả hoàn thành đã ghi vào hồ sơ, không "
                            "sửa được.") % {"row": where, "name": name})
        if row.result == Result.PASSED:
            number = row.certificate_number.strip()
            if not number or row.certificate_date is None:
                errors.append(_("%(row)s (%(name)s): hoàn thành thì cần số và ngày cấp giấy "
                                "chứng nhận.") % {"row": where, "name": name})
            elif number in seen_numbers:
                errors.append(_("%(row)s (%(name)s): số giấy chứng nhận %(no)s trùng với "
                                "%(other)s.") % {"row": where, "name": name, "no": number,
                                                 "other": seen_numbers[number]})
            else:
                seen_numbers[number] = name
            day = row.certificate_date
            if day and (day < training_class.start_date or day > today()):
                errors.append(_("%(row)s (%(name)s): ngày cấp %(day)s phải từ ngày khai giảng "
                                "%(start)s đến hôm nay.") % {
                    "row": where, "name": name, "day": day.strftime("%d/%m/%Y"),
                    "start": training_class.start_date.strftime("%d/%m/%Y")})
    if errors:
        raise TrainingError(errors)

    changed = 0
    for row in rows:
        enrolment = enrolments[str(row.enrolment_id)]
        passed = row.result == Result.PASSED
        enrolment.result = row.result
        enrolment.certificate_number = row.certificate_number.strip() if passed else ""
        enrolment.certificate_date = row.certificate_date if passed else None
        if passed and not enrolment.recorded_in_pipeline:
            try:
                _record_pass(enrolment, actor)
            except WorkflowError as err:
                errors.append(_("%(row)s (%(name)s): %(err)s") % {
                    "row": row.label or row.enrolment_id, "name": enrolment.person.full_name,
                    "err": err.message})
                continue
        enrolment.save()
        changed += 1
    if errors:
        raise TrainingError(errors)  # rolls back every row already written
    return changed


def _record_pass(enrolment: Enrolment, actor):
    """Write a pass into the pipeline: the awareness certificate (stage 3, or a renewal) or
    the new-member class certificate that the recognition file needs."""
    data = {"document_number": enrolment.certificate_number.strip()}
    day = enrolment.certificate_date
    if enrolment.candidate is not None:
        c = enrolment.candidate
        action = ("record_awareness_certificate" if c.stage == Stage.HELPER_ASSIGNED
                  else "renew_awareness_certificate")
        perform(action, candidate=c, actor=actor, event_date=day, data=data)
        enrolment.recorded_in_pipeline = True
        return
    candidate = Candidate.objects.filter(member=enrolment.member,
                                         stage=Stage.PROBATIONARY).first()
    if candidate is not None:
        perform("record_new_member_certificate", candidate=candidate, actor=actor,
                event_date=day, data=data)
    enrolment.recorded_in_pipeline = True


@transaction.atomic
def nominate(*, actor, kind: str, candidate: Candidate | None = None,
             member: Member | None = None, on: date | None = None) -> Nomination:
    # Judge the stored state, not whatever copy the caller holds.
    if candidate is not None:
        candidate = Candidate.objects.select_related("organisation").get(pk=candidate.pk)
    else:
        member = Member.objects.select_related("organisation").get(pk=member.pk)
    person = candidate or member
    branch = person.organisation
    if Role.BRANCH_SECRETARY not in roles_over(actor, branch):
        raise TrainingError([_("Chỉ bí thư chi bộ của %(branch)s được đề nghị cử đi học.")
                             % {"branch": branch.name}])
    probe = TrainingClass(kind=kind, organiser=branch)
    problem = eligibility_problem(probe, candidate=candidate, member=member)
    if problem:
        raise TrainingError([problem])
    lookup = {"candidate": candidate} if candidate else {"member": member}
    if Nomination.objects.filter(kind=kind, enrolment__isnull=True, **lookup).exists():
        raise TrainingError([_("%(name)s đã được đề nghị và đang chờ xếp lớp.") % {
            "name": person.full_name}])
    return Nomination.objects.create(kind=kind, branch=branch, nominated_by=actor,
                                     nominated_on=on or today(), **lookup)
