"""Separation of duties: the same person does not take two successive decisions on one dossier,
not even a superuser; the pages do not offer a step that would be refused for it."""
from datetime import date

import pytest
from django.urls import reverse

from members.models import Role
from recruitment import services
from recruitment.models import Stage
from recruitment.workflow import ACTIONS_BY_CODE
from tests.factories import UserFactory, grant

from .conftest import make_candidate, step_of

REFUSAL = "(tách bạch nhiệm vụ)"


@pytest.fixture
def everyone(tree):
    """One person who is branch secretary, grassroots office and organisation department."""
    user = UserFactory(username="kiemnhiem", first_name="Người Kiêm Nhiệm")
    grant(user, Role.BRANCH_SECRETARY, tree.b1)
    grant(user, Role.GRASSROOTS_OFFICE, tree.gc1)
    grant(user, Role.ORG_DEPARTMENT, tree.root)
    return user


def take(action, candidate, actor, branch_members):
    _, day, data = step_of(branch_members, action)
    services.perform(action, candidate=candidate, actor=actor, event_date=day, data=data)
    candidate.refresh_from_db()


def test_one_person_holding_every_role_is_refused_the_resolution_on_what_they_sent_up(
    candidate, walk, everyone, branch_members
):
    walk(candidate, until="send_up")
    take("send_up", candidate, everyone, branch_members)
    events = candidate.events.count()

    with pytest.raises(services.WorkflowError) as err:
        take("grassroots_resolution", candidate, everyone, branch_members)

    assert err.value.message == (
        "Người đã thực hiện “Gửi hồ sơ lên đảng ủy cơ sở” trên hồ sơ này không được thực hiện "
        "tiếp “Ghi nghị quyết đảng ủy cơ sở, gửi cấp trên” (tách bạch nhiệm vụ).")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.AT_GRASSROOTS
    assert candidate.events.count() == events
    assert not candidate.votes.filter(kind="grassroots").exists()


def test_one_person_is_refused_the_admission_after_their_own_resolution(
    candidate, walk, users, everyone, branch_members
):
    walk(candidate, until="grassroots_resolution")
    take("grassroots_resolution", candidate, everyone, branch_members)
    for action in ("approve_admission", "refuse_admission", "return_to_grassroots"):
        with pytest.raises(services.WorkflowError, match=r"\(tách bạch nhiệm vụ\)"):
            services.perform(action, candidate=candidate, actor=everyone,
                             event_date=date(2024, 7, 15),
                             data={"document_number": "123-QĐ/ĐU", "note": "Lý do"})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.AT_UPPER
    assert not candidate.decisions.exists()


def test_successive_steps_by_different_people_pass(candidate, walk, users, everyone,
                                                   branch_members):
    walk(candidate, until="send_up")
    take("send_up", candidate, everyone, branch_members)
    take("grassroots_resolution", candidate, users.office, branch_members)
    # The three-role person may decide on what someone else resolved.
    take("approve_admission", candidate, everyone, branch_members)
    assert candidate.stage == Stage.ADMISSION_DECIDED
    assert list(candidate.events.values_list("actor__username", flat=True))[-3:] == [
        "kiemnhiem", "vanphong", "kiemnhiem"]


def test_a_superuser_is_held_to_it_too(candidate, walk, users, branch_members):
    walk(candidate, until="send_up")
    take("send_up", candidate, users.admin, branch_members)
    with pytest.raises(services.WorkflowError, match=r"\(tách bạch nhiệm vụ\)"):
        take("grassroots_resolution", candidate, users.admin, branch_members)
    assert candidate.stage == Stage.AT_GRASSROOTS


def test_the_partial_committees_appraiser_does_not_also_resolve(users, tree, walk,
                                                                branch_members):
    """Under a partial committee its appraisal is one more hand-over, judged by the resolution."""
    appraiser = UserFactory(username="vanphong.khoinoi")
    grant(appraiser, Role.GRASSROOTS_OFFICE, tree.partial)
    users.secretary = UserFactory(username="bithu.b2")
    grant(users.secretary, Role.BRANCH_SECRETARY, tree.b2)
    person = make_candidate(users, tree.b2, citizen_id=None)
    o = branch_members.partial_officials
    walk(person, until="send_up", overrides={
        "assign_helper": (date(2024, 2, 1), {"helper": o[0]}),
        "record_introductions": (date(2024, 5, 20), {
            "introducer_1": o[1], "known_since_1": date(2020, 1, 1),
            "union_kind": "youth_union", "union_resolution": "7/NQ-ĐTN",
            "union_date": date(2024, 5, 18)}),
        "branch_vote": (date(2024, 6, 10), {"eligible": 4, "present": 4, "votes_for": 3}),
    })
    take("send_up", person, users.secretary, branch_members)
    services.perform("partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2024, 6, 15), data={"note": "Đủ điều kiện"})
    with pytest.raises(services.WorkflowError, match=r"\(tách bạch nhiệm vụ\)"):
        take("grassroots_resolution", person, appraiser, branch_members)
    take("grassroots_resolution", person, users.office, branch_members)
    assert person.stage == Stage.AT_UPPER


def test_the_removal_is_a_new_chain_after_the_admission_decision(
    candidate, walk, users, branch_members
):
    """The staffer who approved the admission may later remove the probationary member, once
    the branch and the grassroots committee have proposed it."""
    walk(candidate, until="record_new_member_certificate")
    vote = {"eligible": 5, "present": 5, "votes_for": 4, "votes_against": 1}
    services.perform("propose_removal", candidate=candidate, actor=users.secretary,
                     event_date=date(2025, 2, 10),
                     data={**vote, "document_number": "5-NQ/CB", "note": "Vi phạm tư cách"})
    services.perform("removal_resolution", candidate=candidate, actor=users.office,
                     event_date=date(2025, 2, 20),
                     data={"eligible": 9, "present": 9, "votes_for": 8,
                           "document_number": "20-NQ/ĐU"})
    services.perform("remove_probationary", candidate=candidate, actor=users.department,
                     event_date=date(2025, 3, 1),
                     data={"document_number": "15-QĐ/ĐU", "note": "Vi phạm tư cách đảng viên"})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.REMOVED


def test_one_person_is_refused_the_removal_after_their_own_resolution_to_remove(
    candidate, walk, users, everyone, branch_members
):
    walk(candidate, until="record_new_member_certificate")
    services.perform("propose_removal", candidate=candidate, actor=users.secretary,
                     event_date=date(2025, 2, 10),
                     data={"eligible": 5, "present": 5, "votes_for": 4, "note": "Vi phạm"})
    services.perform("removal_resolution", candidate=candidate, actor=everyone,
                     event_date=date(2025, 2, 20),
                     data={"eligible": 9, "present": 9, "votes_for": 8})
    for action in ("remove_probationary", "return_removal"):
        with pytest.raises(services.WorkflowError, match=r"\(tách bạch nhiệm vụ\)"):
            services.perform(action, candidate=candidate, actor=everyone,
                             event_date=date(2025, 3, 1),
                             data={"document_number": "15-QĐ/ĐU", "note": "Lý do"})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.REMOVAL_AT_UPPER


def test_whoever_sent_the_dossier_up_may_not_return_it_to_a_stage_of_their_choosing(
    candidate, walk, users, everyone, branch_members
):
    walk(candidate, until="send_up")
    take("send_up", candidate, everyone, branch_members)
    with pytest.raises(services.WorkflowError, match=r"\(tách bạch nhiệm vụ\)"):
        services.perform("return_to_branch", candidate=candidate, actor=everyone,
                         event_date=date(2024, 6, 15),
                         data={"note": "Thiếu thẩm tra", "return_to": Stage.APPLIED})
    services.perform("return_to_branch", candidate=candidate, actor=users.office,
                     event_date=date(2024, 6, 15),
                     data={"note": "Thiếu thẩm tra", "return_to": Stage.APPLIED})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.APPLIED
    assert candidate.returned_by.payload["return_to"] == Stage.APPLIED


def test_with_the_setting_off_one_person_may_take_every_step(
    settings, candidate, walk, everyone, branch_members
):
    settings.SEPARATION_OF_DUTIES = False
    walk(candidate, until="send_up")
    for action in ("send_up", "grassroots_resolution", "approve_admission"):
        take(action, candidate, everyone, branch_members)
    assert candidate.stage == Stage.ADMISSION_DECIDED


def test_the_candidate_page_shows_the_withheld_step_disabled_with_the_reason(
    as_user, candidate, walk, everyone, branch_members
):
    walk(candidate, until="send_up")
    take("send_up", candidate, everyone, branch_members)
    client = as_user(everyone)
    action_url = reverse("recruitment:candidate_action",
                         args=[candidate.pk, "grassroots_resolution"])
    body = client.get(reverse("recruitment:candidate_detail", args=[candidate.pk])
                      ).content.decode()
    assert action_url not in body
    assert "disabled" in body and "Ghi nghị quyết đảng ủy cơ sở, gửi cấp trên" in body
    assert REFUSAL in body

    form = client.get(action_url)
    assert form.status_code == 409
    assert REFUSAL in form.content.decode()
    assert ">Ghi</button>" not in form.content.decode()

    posted = client.post(action_url, {
        "event_date": "20/06/2024", "eligible": 9, "present": 8, "votes_for": 7,
        "votes_against": 1, "document_number": "45-NQ/ĐU"})
    assert posted.status_code == 400
    assert REFUSAL in posted.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.AT_GRASSROOTS


def test_another_person_is_offered_the_step(as_user, candidate, walk, users, everyone,
                                            branch_members):
    walk(candidate, until="send_up")
    take("send_up", candidate, everyone, branch_members)
    body = as_user(users.office).get(
        reverse("recruitment:candidate_detail", args=[candidate.pk])).content.decode()
    assert reverse("recruitment:candidate_action",
                   args=[candidate.pk, "grassroots_resolution"]) in body
    assert REFUSAL not in body


def test_every_hand_over_step_is_in_the_workflow_table():
    assert all(code in ACTIONS_BY_CODE for chain in services.HANDOVER_CHAINS for code in chain)
