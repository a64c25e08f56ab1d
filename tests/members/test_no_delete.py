"""Nothing is deleted outright: a member or a candidate leaves through a stage (removed,
transferred, withdrawn), so their record and its history stay."""
import pytest
from django.core.exceptions import ValidationError

from members.history import purging
from members.models import Member, Movement
from recruitment.models import Candidate
from tests.factories import MemberFactory
from tests.recruitment.conftest import make_candidate

REFUSED = ("Không được xóa hẳn hồ sơ {kind}: người rời danh sách được ghi bằng một bước "
           "(rút khỏi danh sách, xóa tên, chuyển đi) và lịch sử được giữ lại.")


def test_deleting_a_member_is_refused_with_the_reason(members):
    with pytest.raises(ValidationError) as refused:
        members.m1.delete()
    assert refused.value.messages == [REFUSED.format(kind="đảng viên")]
    assert Member.objects.filter(pk=members.m1.pk).exists()
    assert not members.m1.history.filter(history_type="-").exists()


def test_deleting_members_in_bulk_is_refused(members):
    with pytest.raises(ValidationError):
        Member.objects.filter(organisation=members.m1.organisation).delete()
    with pytest.raises(ValidationError):
        Member.objects.all().delete()
    assert Member.objects.count() == 4


def test_deleting_a_candidate_is_refused_one_by_one_and_in_bulk(users, tree):
    candidate = make_candidate(users, tree.b1)
    with pytest.raises(ValidationError) as refused:
        candidate.delete()
    assert refused.value.messages == [REFUSED.format(kind="quần chúng")]
    with pytest.raises(ValidationError):
        Candidate.objects.filter(pk=candidate.pk).delete()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_an_explicit_purge_may_empty_the_tables(tree):
    member = MemberFactory(organisation=tree.b1)
    with purging():
        Movement.objects.filter(member=member).delete()  # its "present since" row
        member.delete()
        Member.objects.all().delete()
    assert not Member.objects.exists()
    with pytest.raises(ValidationError):  # the permission ends with the block
        MemberFactory(organisation=tree.b1).delete()
