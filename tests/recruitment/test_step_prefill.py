"""A step form starts from what the dossier already knows: the register's count for a vote,
the helper as first introducer, the next relative to verify, the single request waiting for
its answer, the application's date for the history form, the class's certificate."""
from datetime import date

import pytest
from django.urls import reverse

from recruitment.models import Enrolment, Relation, Result

from .test_training import open_class

pytestmark = pytest.mark.django_db


def step_page(client, candidate, action):
    response = client.get(reverse("recruitment:candidate_action", args=[candidate.pk, action]))
    assert response.status_code == 200
    return response.context["form"]


def test_the_branch_vote_offers_the_registers_count_of_official_members(
        as_user, users, candidate, walk):
    walk(candidate, until="branch_vote")
    form = step_page(as_user(users.secretary), candidate, "branch_vote")
    assert form["eligible"].value() == 5  # five official members, the probationary not counted


def test_the_introductions_offer_the_helper_as_first_introducer(as_user, users, candidate, walk,
                                                                branch_members):
    walk(candidate, until="record_introductions")
    form = step_page(as_user(users.secretary), candidate, "record_introductions")
    assert form["introducer_1"].value() == branch_members.officials[0].pk
    assert not form["introducer_2"].value()


def test_each_verification_offers_the_next_person_to_verify(as_user, users, candidate, walk):
    walk(candidate, until="add_verification")
    client = as_user(users.secretary)
    form = step_page(client, candidate, "add_verification")
    assert form["relation"].value() == Relation.SELF
    assert form["person_name"].value() == candidate.full_name
    candidate.verifications.create(relation=Relation.SELF, person_name=candidate.full_name,
                                   requested_of="Đảng ủy phường", sent_date=date(2024, 4, 5))
    form = step_page(client, candidate, "add_verification")
    assert form["relation"].value() == Relation.FATHER
    assert not form["person_name"].value()


def test_a_married_persons_in_laws_are_offered_after_the_parents(as_user, users, candidate,
                                                                  walk):
    candidate.married = True
    candidate.save()
    walk(candidate, until="add_verification")
    for relation in (Relation.SELF, Relation.FATHER, Relation.MOTHER):
        candidate.verifications.create(relation=relation, person_name="X", requested_of="Y",
                                       sent_date=date(2024, 4, 5))
    form = step_page(as_user(users.secretary), candidate, "add_verification")
    assert form["relation"].value() == Relation.SPOUSE


def test_the_answer_form_picks_the_only_request_waiting(as_user, users, candidate, walk):
    walk(candidate, until="add_verification")
    record = candidate.verifications.create(relation=Relation.SELF, person_name="X",
                                            requested_of="Y", sent_date=date(2024, 4, 5))
    form = step_page(as_user(users.secretary), candidate, "answer_verification")
    assert form["record"].value() == record.pk
    candidate.verifications.create(relation=Relation.FATHER, person_name="Z",
                                   requested_of="Y", sent_date=date(2024, 4, 5))
    form = step_page(as_user(users.secretary), candidate, "answer_verification")
    assert not form["record"].value()  # two waiting: the user chooses


def test_the_history_form_date_starts_from_the_application(as_user, users, candidate, walk):
    walk(candidate, until="certify_history")
    form = step_page(as_user(users.secretary), candidate, "certify_history")
    assert form["history_form_date"].value() == date(2024, 4, 1)


def test_the_certificate_form_starts_from_the_class_passed(as_user, users, candidate, walk,
                                                           tree):
    walk(candidate, until="record_awareness_certificate")
    klass = open_class(users, tree.root)
    Enrolment.objects.create(training_class=klass, candidate=candidate, result=Result.PASSED,
                             certificate_number="77/GCN", certificate_date=date(2024, 3, 12))
    form = step_page(as_user(users.secretary), candidate, "record_awareness_certificate")
    assert form["document_number"].value() == "77/GCN"
    assert form["event_date"].value() == date(2024, 3, 12)


def test_an_offered_value_is_only_offered(as_user, users, candidate, walk, branch_members):
    walk(candidate, until="record_introductions")
    client = as_user(users.secretary)
    response = client.post(
        reverse("recruitment:candidate_action", args=[candidate.pk, "record_introductions"]),
        {"event_date": "20/05/2024", "introducer_1": branch_members.officials[2].pk,
         "known_since_1": "01/01/2020", "union_kind": "youth_union",
         "union_resolution": "05/NQ-ĐTN", "union_date": "18/05/2024"})
    assert response.status_code == 302
    assert list(candidate.introductions.exclude(introducer=None).values_list(
        "introducer_id", flat=True)) == [branch_members.officials[2].pk]
