"""Two secretaries add the same person (one CCCD) at the same moment: one is added, the other
sees the form error "Số CCCD này đã có trong hệ thống.", never a server error, and nothing of
the second is kept."""
import threading

import pytest
from django.db import connection
from django.urls import reverse

from recruitment.models import Candidate, StageEvent

from .conftest import post_at_once

TAKEN = "Số CCCD này đã có trong hệ thống."
CCCD = "001200001234"


def form_data(tree, name):
    return {"full_name": name, "birth_date": "03/02/2000", "sex": "male", "ethnicity": "Kinh",
            "religion": "Không", "citizen_id": CCCD, "education": "upper_secondary",
            "source": "youth_union", "organisation": tree.b1.pk, "added_date": "05/01/2026",
            "plan_year": "2026", "youth_union_member": "on"}


def test_a_cccd_taken_after_the_form_checked_it_is_a_form_error(
    as_user, users, tree, monkeypatch
):
    # The race, without threads: the check that would have seen the first row ran before it
    # was saved, so only the database's unique index is left to notice.
    monkeypatch.setattr(Candidate, "validate_unique", lambda self, exclude=None: None)
    client = as_user(users.secretary)
    first = client.post(reverse("recruitment:candidate_create"), form_data(tree, "Đỗ Minh Khôi"))
    assert first.status_code == 302

    second = client.post(reverse("recruitment:candidate_create"),
                         form_data(tree, "Đỗ Minh Khôi Hai"))

    assert second.status_code == 200
    assert second.context["form"].errors["citizen_id"] == [TAKEN]
    assert TAKEN in second.content.decode()
    assert list(Candidate.objects.values_list("full_name", flat=True)) == ["Đỗ Minh Khôi"]
    assert StageEvent.objects.count() == 1


def test_a_former_member_added_twice_in_a_race_is_one_readmission_and_a_form_error(
    as_user, users, tree, monkeypatch
):
    # The readmission look-up runs in the service, before the save: the second request finds
    # the same former member, and the unique index still turns the race into a form error.
    from datetime import date

    from members.models import MemberStatus
    from tests.factories import MemberFactory

    member = MemberFactory(organisation=tree.b1, citizen_id=CCCD, status=MemberStatus.REMOVED,
                           left_date=date(2019, 2, 1))
    monkeypatch.setattr(Candidate, "validate_unique", lambda self, exclude=None: None)
    client = as_user(users.secretary)
    first = client.post(reverse("recruitment:candidate_create"), form_data(tree, "Đỗ Minh Khôi"))
    assert first.status_code == 302
    second = client.post(reverse("recruitment:candidate_create"),
                         form_data(tree, "Đỗ Minh Khôi"))
    assert second.status_code == 200
    assert second.context["form"].errors["citizen_id"] == [TAKEN]
    assert Candidate.objects.get().former_member == member
    assert StageEvent.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_two_secretaries_adding_one_cccd_at_once_get_one_candidate_and_one_form_error(
    tree, two_secretaries, monkeypatch
):
    # Both requests check the CCCD before either saves: the race, made certain.
    barrier = threading.Barrier(2)
    check = Candidate.validate_unique

    def check_then_wait(self, exclude=None):
        check(self, exclude=exclude)
        barrier.wait(timeout=10)

    monkeypatch.setattr(Candidate, "validate_unique", check_then_wait)
    outcomes = post_at_once(two_secretaries, reverse("recruitment:candidate_create"),
                            lambda n: form_data(tree, f"Người Thứ {n + 1}"))

    codes = sorted(code for code, _ in outcomes.values())
    assert codes == [200, 302], outcomes
    refused = next(body for code, body in outcomes.values() if code == 200)
    assert TAKEN in refused
    assert Candidate.objects.filter(citizen_id=CCCD).count() == 1
    assert StageEvent.objects.count() == 1
