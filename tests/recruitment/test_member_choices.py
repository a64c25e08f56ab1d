"""The helper and introducer lists offer only members the user may see: a branch secretary
picks among their own branch, never a name from a branch whose pages are closed to them, and
a posted id outside the list is refused."""
import pytest
from django.urls import reverse

from recruitment.models import Stage
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def url(candidate, action):
    return reverse("recruitment:candidate_action", args=[candidate.pk, action])


def offered(response, field):
    return set(response.context["form"].fields[field].queryset)


@pytest.fixture
def elsewhere(tree):
    """An official member of a branch of another grassroots committee."""
    return MemberFactory(full_name="Ngoài Chi Bộ Khác", organisation=tree.b3)


def test_a_branch_secretary_is_offered_only_their_branchs_members(
        as_user, users, candidate, branch_members, elsewhere):
    client = as_user(users.secretary)
    own_branch = {*branch_members.officials, branch_members.probationary}

    helper_form = client.get(url(candidate, "assign_helper"))
    assert offered(helper_form, "helper") == own_branch
    body = helper_form.content.decode()
    assert branch_members.officials[0].full_name in body
    assert branch_members.partial_officials[0].full_name not in body
    assert elsewhere.full_name not in body

    introductions = client.get(url(candidate, "record_introductions"))
    assert offered(introductions, "introducer_1") == own_branch
    assert offered(introductions, "introducer_2") == own_branch


def test_the_grassroots_office_is_offered_the_members_of_its_whole_subtree(
        as_user, users, candidate, branch_members, elsewhere):
    response = as_user(users.office).get(url(candidate, "assign_helper"))
    choices = offered(response, "helper")
    assert set(branch_members.partial_officials) <= choices
    assert set(branch_members.officials) <= choices
    assert elsewhere not in choices


def test_posting_another_branchs_member_as_helper_is_refused(
        as_user, users, candidate, branch_members):
    outsider = branch_members.partial_officials[0]
    response = as_user(users.secretary).post(url(candidate, "assign_helper"), {
        "event_date": "01/02/2024", "helper": outsider.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["helper"] == [
        "Hãy chọn một đảng viên trong danh sách."]
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SOURCE_POOL
    assert candidate.helper_id is None


def test_posting_another_branchs_member_as_introducer_is_refused(
        as_user, users, candidate, branch_members, walk):
    walk(candidate, until="record_introductions")
    response = as_user(users.secretary).post(url(candidate, "record_introductions"), {
        "event_date": "20/05/2024", "introducer_1": branch_members.officials[1].pk,
        "introducer_2": branch_members.partial_officials[0].pk, "known_since_1": "01/01/2020",
        "known_since_2": "01/01/2020"})
    assert response.status_code == 400
    assert "introducer_2" in response.context["form"].errors
    assert not candidate.introductions.exists()


def test_the_ceremony_helper_list_is_scoped_too(as_user, users, candidate, branch_members,
                                                walk, elsewhere):
    walk(candidate, until="hold_ceremony")
    stage = candidate.stage
    client = as_user(users.secretary)
    response = client.get(url(candidate, "hold_ceremony"))
    assert offered(response, "helper") == {*branch_members.officials,
                                            branch_members.probationary}
    refused = client.post(url(candidate, "hold_ceremony"), {
        "event_date": "01/08/2024", "helper": elsewhere.pk})
    assert refused.status_code == 400
    assert "helper" in refused.context["form"].errors
    candidate.refresh_from_db()
    assert candidate.stage == stage
