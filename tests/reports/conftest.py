"""A small province with known answers for every figure of the 2024 report (see `known`).

Rows are written directly (not through the pipeline services) so that each date sits exactly
where a figure's boundary is; tests/reports/test_pipeline_walk.py checks that what the real
services write is counted the same way.
"""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from members.models import (
    FROM_THE_START,
    Education,
    MemberStatus,
    Movement,
    MovementKind,
    Occupation,
    Qualification,
    StaffHeadcount,
)
from recruitment.models import (
    Candidate,
    ClassKind,
    Decision,
    DecisionKind,
    Enrolment,
    Introduction,
    IntroductionKind,
    TrainingClass,
)
from reports.models import Target, Term
from tests.factories import MemberFactory, OrganisationFactory

TODAY = date(2025, 6, 1)
UPPER, LOWER = Education.UPPER_SECONDARY, Education.LOWER_SECONDARY
# The statistics forms' occupation of what the dossiers say.
OCCUPATIONS = {"Giáo viên": Occupation.CIVIL_SERVANT, "Kế toán": Occupation.EMPLOYEE}


def candidate(organisation, name, *, stage="source_pool", birth=date(1998, 1, 1), **fields):
    return Candidate.objects.create(
        full_name=name, birth_date=birth, sex=fields.pop("sex", "male"),
        education=fields.pop("education", UPPER), organisation=organisation,
        added_date=fields.pop("added_date", date(2022, 1, 10)), plan_year=2024, stage=stage,
        stage_date=fields.pop("stage_date", date(2023, 1, 1)), **fields)


def admitted(branch, name, admitted_on, *, admitted_at=None, birth=date(1995, 1, 1),
             occupation="", youth=False, status=MemberStatus.PROBATIONARY, official=None,
             candidate_stage="probationary", **fields):
    """A member admitted on `admitted_on`, with a candidate row at `admitted_at` (the branch
    that admitted them) unless `admitted_at` is False (history imported without one: their
    "present since" row). A member admitted elsewhere moved to `branch` a month later."""
    decision = fields.pop("decision_date", None)
    member = MemberFactory(full_name=name, organisation=branch, admitted_date=admitted_on,
                           birth_date=birth, status=status, official_date=official,
                           movements=False, **fields)
    origin = branch if admitted_at in (None, False) else admitted_at
    Movement.objects.create(
        member=member, kind=MovementKind.PRESENT if admitted_at is False else MovementKind.ADMITTED,
        date=admitted_on, decision_date=decision, to_organisation=origin)
    if origin != branch:
        Movement.objects.create(member=member, kind=MovementKind.TRANSFER_WITHIN,
                                date=admitted_on + timedelta(days=30),
                                from_organisation=origin, to_organisation=branch)
    if admitted_at is not False:
        candidate(admitted_at or branch, name, stage=candidate_stage, birth=birth,
                  sex=member.sex, ethnicity=member.ethnicity, religion=member.religion,
                  youth_union_member=youth, occupation=occupation, member=member,
                  occupation_group=OCCUPATIONS.get(occupation, ""),
                  ceremony_date=admitted_on, added_date=date(admitted_on.year - 1, 1, 1))
    return member


def training_class(organiser, kind, ends, learners):
    c = TrainingClass.objects.create(
        kind=kind, organiser=organiser, course_number=str(TrainingClass.objects.count() + 1),
        year=ends.year, start_date=ends.replace(day=1), end_date=ends, place="Hội trường")
    for person in learners:
        field = "member" if kind == ClassKind.NEW_MEMBER else "candidate"
        Enrolment.objects.create(training_class=c, **{field: person})
    return c


@pytest.fixture
def known(tree):
    """The 2024 figures of tree.root, each with the rows that make it (TODAY is 01/06/2025)."""
    t = tree
    StaffHeadcount.objects.create(organisation=t.gc1, valid_from=FROM_THE_START, staff=12)
    StaffHeadcount.objects.create(organisation=t.b3, valid_from=FROM_THE_START, staff=1)
    other = OrganisationFactory(code="KHAC", name="Đảng bộ Tỉnh khác")

    # Admitted in 2024: three at B1, one at B2 with no candidate row, one admitted at B3 who
    # has since moved to B1. Ages at admission: 23, 34 (birthday that day), 60 (the day
    # before turning 61), 40 and 74: average 46,2.
    a1 = admitted(t.b1, "Nguyễn Thị Ánh", date(2024, 3, 10), birth=date(2000, 6, 1),
                  sex="female", youth=True, occupation="Giáo viên", education=UPPER,
                  profession="Cử nhân Sư phạm", qualification=Qualification.UNIVERSITY,
                  candidate_stage="probationary")
    a2 = admitted(t.b1, "Lò Văn Bằng", date(2024, 3, 10), birth=date(1990, 3, 10),
                  ethnicity="Tày", youth=True, occupation="Giáo viên", education=UPPER,
                  candidate_stage="official")
    a3 = admitted(t.b1, "Trần Thị Cúc", date(2024, 4, 30), birth=date(1963, 5, 1),
                  sex="female", religion="Công giáo", occupation="Kế toán", education=LOWER,
                  candidate_stage="official")
    b2_history = admitted(t.b2, "Phạm Văn Dũng", date(2024, 7, 1), birth=date(1984, 1, 1),
                          admitted_at=False, education=UPPER)
    moved = admitted(t.b1, "Hoàng Văn Em", date(2024, 5, 5), admitted_at=t.b3,
                     birth=date(1950, 1, 1), education=LOWER, candidate_stage="official")
    admitted(t.b1, "Vũ Văn Giang", date(2025, 1, 1), candidate_stage="official")

    # Probations ending in 2024: p1 and p2 recognised, p3 (ends 31/12/2024) not yet, and rm
    # removed in January: 2 of 4. p4's ended on 31/12/2023, outside.
    admitted(t.b1, "Đỗ Văn Phúc", date(2023, 2, 1), status=MemberStatus.OFFICIAL,
             official=date(2024, 2, 1), candidate_stage="official")
    admitted(t.b3, "Bùi Thị Hạnh", date(2023, 6, 15), status=MemberStatus.OFFICIAL,
             official=date(2024, 6, 15), candidate_stage="official")
    admitted(t.b1, "Ngô Văn Khải", date(2023, 12, 31), candidate_stage="official")
    admitted(t.b2, "Đinh Văn Lâm", date(2022, 12, 31), status=MemberStatus.OFFICIAL,
             official=date(2023, 12, 31), candidate_stage="official")
    rm = admitted(t.b2, "Mai Văn Minh", date(2023, 3, 1), status=MemberStatus.REMOVED,
                  candidate_stage="removed")
    Movement.objects.create(member=rm, kind=MovementKind.REMOVED, date=date(2024, 1, 20),
                            from_organisation=t.b2)
    Decision.objects.create(candidate=rm.candidate, kind=DecisionKind.ADMISSION, number="1-QĐ",
                            decision_date=date(2023, 2, 15), decided_by=t.root)
    Decision.objects.create(candidate=rm.candidate, kind=DecisionKind.REMOVAL, number="5-QĐ",
                            decision_date=date(2024, 1, 20), decided_by=t.root)

    # Long-standing members: one leaves in June 2024, one left with no date recorded, one
    # left in 2023.
    MemberFactory(full_name="Lê Văn Cũ", organisation=t.b1)
    MemberFactory(full_name="Lê Văn Chuyển", organisation=t.b3, left_date=date(2024, 6, 1),
                  status=MemberStatus.TRANSFERRED_OUT)
    MemberFactory(full_name="Lê Văn Không Ngày", organisation=t.gb,
                  status=MemberStatus.TRANSFERRED_OUT)
    MemberFactory(full_name="Lê Văn Đã Đi", organisation=t.b1, admitted_date=date(2010, 1, 1),
                  official_date=date(2011, 1, 1), left_date=date(2023, 5, 5),
                  status=MemberStatus.REMOVED)

    # Sympathisers: two certificates in 2024 (one more in 2025, one in another province).
    s1 = candidate(t.b1, "Quần Chúng Một", stage="sympathiser",
                   awareness_cert_date=date(2024, 3, 15))
    s2 = candidate(t.b3, "Quần Chúng Hai", stage="applied",
                   awareness_cert_date=date(2024, 11, 30))
    s3 = candidate(t.b2, "Quần Chúng Ba", stage="at_upper", due_date=date(2025, 5, 1),
                   awareness_cert_date=date(2025, 1, 2))
    candidate(other, "Quần Chúng Nơi Khác", stage="sympathiser",
              awareness_cert_date=date(2024, 5, 5))
    candidate(t.b1, "Quần Chúng Đã Rút", stage="withdrawn")
    a1.candidate.due_date = date(2025, 3, 10)  # recognition overdue
    a1.candidate.save()

    # Youth Union introductions in 2024: s1 and a2 (a1's was in 2023; a member's does not
    # count).
    Introduction.objects.create(candidate=s1, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="1/NQ", document_date=date(2024, 5, 1))
    Introduction.objects.create(candidate=a2.candidate, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="2/NQ", document_date=date(2024, 1, 10))
    Introduction.objects.create(candidate=a1.candidate, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="3/NQ", document_date=date(2023, 12, 20))
    Introduction.objects.create(candidate=s2, kind=IntroductionKind.MEMBER,
                                document_date=date(2024, 6, 1))

    # Classes ending in 2024, organised inside the subtree: awareness 2 classes for 5,
    # new-member 1 class for 1.
    training_class(t.gc1, ClassKind.AWARENESS, date(2024, 4, 10), [s1, s2, s3])
    training_class(t.root, ClassKind.AWARENESS, date(2024, 12, 31),
                   [a2.candidate, a3.candidate])
    training_class(t.gc2, ClassKind.NEW_MEMBER, date(2024, 9, 1), [moved])
    training_class(t.root, ClassKind.AWARENESS, date(2025, 1, 5), [s3])
    training_class(other, ClassKind.AWARENESS, date(2024, 6, 1), [])

    Target.objects.create(organisation=t.root, year=2024, admissions=3)
    Target.objects.create(organisation=t.gc1, year=2024, admissions=6)
    Target.objects.create(organisation=t.root, term="2020-2025", admissions=250)
    Target.objects.create(organisation=t.gc1, year=2023, admissions=99)
    return SimpleNamespace(tree=t, other=other, a1=a1, a2=a2, a3=a3, moved=moved,
                           b2_history=b2_history, rm=rm, s1=s1, s2=s2, s3=s3)


@pytest.fixture
def recorded_term(tree):
    return Term.objects.create(organisation=tree.root, label="2020-2025",
                               start_date=date(2020, 10, 15), end_date=date(2025, 10, 20))


@pytest.fixture
def immediate_tasks(settings):
    """Background jobs run as soon as they are queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
