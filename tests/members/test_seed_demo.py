from io import StringIO

from django.core.management import call_command

from members import selectors
from members.models import Member, Organisation, OrganisationKind, Role, RoleGrant


def test_seed_demo_builds_a_province_with_a_user_per_role(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Organisation.objects.filter(kind=OrganisationKind.UPPER_COMMITTEE).count() == 1
    assert Organisation.objects.filter(kind=OrganisationKind.GRASSROOTS_COMMITTEE).count() >= 3
    assert Organisation.objects.filter(kind=OrganisationKind.PARTIAL_COMMITTEE).exists()
    assert 18 <= Organisation.objects.branches().count() <= 25
    assert 200 <= Member.objects.count() <= 600
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert "Demo@2026" in out.getvalue() and "bithu.tm" in out.getvalue()
    secretary = RoleGrant.objects.get(user__username="bithu.tm").user
    branches = {m.organisation.code for m in selectors.members_visible_to(secretary)}
    assert branches == {"BVT-NOI-TM"}


def test_seed_demo_if_empty_leaves_existing_data_alone(db):
    call_command("seed_demo", stdout=StringIO())
    count = Member.objects.count()
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert Member.objects.count() == count


def test_seed_demo_puts_candidates_in_every_part_of_the_pipeline(db):
    from recruitment.models import Candidate, Stage

    call_command("seed_demo", stdout=StringIO())
    stages = set(Candidate.objects.values_list("stage", flat=True))
    assert {Stage.SOURCE_POOL, Stage.AT_UPPER, Stage.ADMISSION_DECIDED, Stage.PROBATIONARY,
            Stage.RECOGNITION_AT_UPPER, Stage.OFFICIAL} <= stages
    assert len(stages) >= 12
