"""The paths besides the straight one, taken from the candidate's page: returns (seen at once
on the page, the worklist and the home page), failed votes, withdrawal and death, transfers,
a grassroots branch's dossier, and what each new form says to a bad input."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import registry
from members.models import Role
from recruitment.models import Candidate, StageEvent
from tests.factories import MemberFactory, UserFactory, grant

from .conftest import Stage, make_candidate

REASON = "Biên bản họp chi bộ chưa ghi số đảng viên có mặt"


def url(name, *args):
    return reverse(f"recruitment:{name}", args=args)


def act(client, candidate, action, data):
    return client.post(url("candidate_action", candidate.pk, action), data)


@pytest.fixture
def home_panel(monkeypatch):
    """The returned-dossiers panel on the home page, as RecruitmentConfig registers it."""
    monkeypatch.setitem(registry.home_panels._entries, "returned",
                        "recruitment.views.pipeline.returned_panel")


@pytest.fixture
def sent_up(candidate, walk, users):
    """A dossier the branch voted on and sent up to the grassroots committee."""
    walk(candidate, until="grassroots_resolution")
    return candidate


def test_a_return_to_vote_again_lands_at_opinions_collected_and_the_branch_sees_it_everywhere(
    as_user, client, users, sent_up, home_panel
):
    response = act(as_user(users.office), sent_up, "return_to_branch", {
        "event_date": "15/06/2024", "return_to": Stage.OPINIONS_COLLECTED, "note": REASON})

    assert response.status_code == 302
    sent_up.refresh_from_db()
    assert sent_up.stage == Stage.OPINIONS_COLLECTED
    assert sent_up.returned_by.note == REASON

    client = as_user(users.secretary)
    page = client.get(url("candidate_detail", sent_up.pk)).content.decode()
    assert "Hồ sơ bị trả lại ngày 15/06/2024 bởi vanphong" in page
    assert "Văn phòng đảng ủy cơ sở, Đảng bộ Sở Một" in page
    assert REASON in page
    assert "Trả về bước" in page and "Đã lấy ý kiến đoàn thể, nơi cư trú" in page
    assert url("candidate_action", sent_up.pk, "branch_vote") in page

    worklist = client.get(url("worklist"))
    returned = worklist.context["sections"][0]
    assert returned["key"] == "returned" and returned["title"] == "Hồ sơ bị trả lại"
    assert [c.pk for c, _ in returned["rows"]] == [sent_up.pk]
    assert REASON in worklist.content.decode() and "vanphong" in worklist.content.decode()

    home = client.get("/").content.decode()
    assert "Hồ sơ bị trả lại, chờ bạn xử lý" in home
    assert REASON in home and "vanphong" in home and sent_up.full_name in home


def test_the_returned_dossier_waits_for_the_branch_not_for_the_office_that_returned_it(
    as_user, users, sent_up, home_panel
):
    act(as_user(users.office), sent_up, "return_to_branch", {
        "event_date": "15/06/2024", "return_to": Stage.OPINIONS_COLLECTED, "note": REASON})
    assert "Hồ sơ bị trả lại, chờ bạn xử lý" not in as_user(users.office).get("/").content.decode()
    assert "Hồ sơ bị trả lại, chờ bạn xử lý" not in as_user(
        users.leader).get("/").content.decode()


def test_after_the_branch_votes_again_the_return_is_no_longer_shown(
    as_user, users, sent_up, home_panel
):
    act(as_user(users.office), sent_up, "return_to_branch", {
        "event_date": "15/06/2024", "return_to": Stage.OPINIONS_COLLECTED, "note": REASON})
    client = as_user(users.secretary)
    response = act(client, sent_up, "branch_vote", {
        "event_date": "20/06/2024", "eligible": 5, "present": 5, "votes_for": 5,
        "votes_against": 0, "document_number": "14-NQ/CB"})

    assert response.status_code == 302
    sent_up.refresh_from_db()
    assert sent_up.stage == Stage.BRANCH_VOTED and sent_up.returned_by is None
    assert "Hồ sơ bị trả lại" not in client.get(url("candidate_detail", sent_up.pk)
                                                  ).content.decode()
    assert "Hồ sơ bị trả lại, chờ bạn xử lý" not in client.get("/").content.decode()
    timeline = client.get(url("candidate_detail", sent_up.pk)).content.decode()
    assert f"Lý do trả lại: {REASON}" in timeline


def test_a_return_for_verification_lands_at_applied_and_the_branch_verifies_certifies_and_goes_on(
    as_user, users, sent_up
):
    act(as_user(users.office), sent_up, "return_to_branch", {
        "event_date": "15/06/2024", "return_to": Stage.APPLIED,
        "note": "Chưa thẩm tra lý lịch cha của người xin vào Đảng"})
    sent_up.refresh_from_db()
    assert sent_up.stage == Stage.APPLIED

    client = as_user(users.secretary)
    page = client.get(url("candidate_detail", sent_up.pk)).content.decode()
    assert "Trả về bước" in page and "Đã có đơn xin vào Đảng" in page
    assert act(client, sent_up, "add_verification", {
        "event_date": "17/06/2024", "relation": "father", "person_name": "Hoàng Văn Phúc",
        "requested_of": "Đảng ủy xã Yên Sở", "document_number": "12/CV"}).status_code == 302
    record = sent_up.verifications.get(person_name="Hoàng Văn Phúc")
    assert act(client, sent_up, "answer_verification", {
        "record": record.pk, "event_date": "24/06/2024",
        "conclusion": "Chấp hành tốt chủ trương, chính sách"}).status_code == 302
    response = act(client, sent_up, "certify_history", {
        "event_date": "26/06/2024", "history_form_date": "02/04/2024"})

    assert response.status_code == 302
    sent_up.refresh_from_db()
    assert sent_up.stage == Stage.HISTORY_VERIFIED and sent_up.returned_by is None
    page = client.get(url("candidate_detail", sent_up.pk)).content.decode()
    assert url("candidate_action", sent_up.pk, "record_introductions") in page
    assert "Hồ sơ bị trả lại ngày" not in page


def test_a_failed_vote_from_the_page_keeps_the_candidate_waiting_with_the_vote_on_the_timeline(
    as_user, users, candidate, walk
):
    walk(candidate, until="branch_vote")
    client = as_user(users.secretary)
    response = act(client, candidate, "record_failed_vote", {
        "event_date": "10/06/2024", "eligible": 5, "present": 5, "votes_for": 3,
        "votes_against": 2, "document_number": "12-BB/CB"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.OPINIONS_COLLECTED
    vote = candidate.votes.get()
    assert (vote.votes_for, vote.eligible, vote.two_thirds_reached) == (3, 5, False)
    page = client.get(url("candidate_detail", candidate.pk)).content.decode()
    assert "Biểu quyết: 3/5 tán thành (5 có mặt) — không đạt" in page
    assert url("candidate_action", candidate.pk, "branch_vote") in page


def test_a_withdrawal_from_the_page_closes_the_dossier_and_offers_no_step(
    as_user, users, candidate, walk
):
    walk(candidate, until="certify_history")
    client = as_user(users.secretary)
    response = act(client, candidate, "withdraw", {
        "event_date": "20/05/2024", "note": "Chuyển công tác ra nước ngoài",
        "document_number": "01/ĐXR"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.WITHDRAWN
    assert candidate.end_reason == "Chuyển công tác ra nước ngoài"
    detail = client.get(url("candidate_detail", candidate.pk))
    assert detail.context["actions"] == [] and detail.context["withheld"] == []
    page = detail.content.decode()
    assert "Bước tiếp theo" not in page
    assert "Hồ sơ đã kết thúc: Rút khỏi danh sách" in page
    assert "Lý do: Chuyển công tác ra nước ngoài" in page


def test_a_death_from_the_page_closes_the_dossier_with_its_date_as_the_reason(
    as_user, users, candidate, walk
):
    walk(candidate, until="record_application")
    client = as_user(users.secretary)
    response = act(client, candidate, "record_death", {
        "event_date": "20/03/2024", "document_number": "15/GBT"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.DIED
    assert candidate.end_reason == "Từ trần ngày 20/03/2024"
    detail = client.get(url("candidate_detail", candidate.pk))
    assert detail.context["actions"] == []
    assert "Hồ sơ đã kết thúc: Từ trần" in detail.content.decode()


def test_a_transfer_by_the_office_moves_the_dossier_to_the_new_branchs_secretary(
    as_user, users, tree, candidate, walk
):
    walk(candidate, until="certify_history")
    new_secretary = UserFactory(username="bithu.b2")
    grant(new_secretary, Role.BRANCH_SECRETARY, tree.b2)
    office = as_user(users.office)
    form = office.get(url("candidate_action", candidate.pk, "transfer")).context["form"]
    assert list(form.fields["to_organisation"].queryset) == [tree.b2]

    response = act(office, candidate, "transfer", {
        "event_date": "12/05/2024", "to_organisation": tree.b2.pk,
        "document_number": "07/GGT", "note": "Chuyển công tác sang Khối Nội"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.organisation == tree.b2 and candidate.stage == Stage.APPLIED
    page = as_user(new_secretary).get(url("candidate_detail", candidate.pk))
    assert page.status_code == 200
    assert "Chuyển từ Chi bộ Một sang Chi bộ Hai" in page.content.decode()
    assert as_user(users.secretary).get(url("candidate_detail", candidate.pk)
                                        ).status_code == 404


def test_a_grassroots_branchs_dossier_goes_straight_to_the_upper_committee(
    as_user, users, tree, walk
):
    officials = [MemberFactory(full_name=f"Đảng viên Tỉnh đoàn {i}", organisation=tree.gb,
                               official_date=date(2016, 3, 2)) for i in range(5)]
    users.secretary = UserFactory(username="bithu.cbcs")
    grant(users.secretary, Role.BRANCH_SECRETARY, tree.gb)
    person = make_candidate(users, tree.gb, citizen_id=None)
    walk(person, until="send_up", overrides={
        "assign_helper": (date(2024, 2, 1), {"helper": officials[0]}),
        "record_introductions": (date(2024, 5, 20), {
            "introducer_1": officials[1], "known_since_1": date(2020, 1, 1),
            "union_kind": "youth_union", "union_resolution": "9/NQ-ĐTN",
            "union_date": date(2024, 5, 18)}),
    })
    client = as_user(users.secretary)
    page = client.get(url("candidate_detail", person.pk)).content.decode()
    assert url("candidate_action", person.pk, "send_to_upper") in page
    assert url("candidate_action", person.pk, "send_up") not in page

    assert act(client, person, "send_to_upper", {"event_date": "11/06/2024"}
               ).status_code == 302
    person.refresh_from_db()
    assert person.stage == Stage.AT_UPPER
    response = act(as_user(users.department), person, "approve_admission", {
        "event_date": "15/07/2024", "document_number": "130-QĐ/ĐU", "is_list": "on"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.stage == Stage.ADMISSION_DECIDED
    assert person.decisions.get().is_list
    actions = list(person.events.values_list("action", flat=True))
    assert actions[-2:] == ["send_to_upper", "approve_admission"]
    assert not [a for a in actions if a.startswith("grassroots") or a == "send_up"]


BAD_INPUTS = [
    # (walk until, who, action, posted, the field that says what is wrong)
    ("grassroots_resolution", "office", "return_to_branch",
     {"event_date": "15/06/2024", "return_to": "opinions_collected"}, "note"),
    ("grassroots_resolution", "office", "return_to_branch",
     {"event_date": "15/06/2024", "return_to": "probationary", "note": REASON}, "return_to"),
    ("grassroots_resolution", "office", "grassroots_refuse",
     {"event_date": "15/06/2024", "document_number": "3-NQ/ĐU"}, "note"),
    ("branch_vote", "secretary", "record_failed_vote",
     {"event_date": "10/06/2024", "eligible": 5, "present": 5, "votes_for": "ba"}, "votes_for"),
    ("branch_vote", "secretary", "record_failed_vote",
     {"event_date": "10/06/2024", "eligible": 5, "present": 6, "votes_for": 3}, "present"),
    ("branch_vote", "secretary", "withdraw", {"event_date": "10/06/2024"}, "note"),
    ("branch_vote", "office", "transfer",
     {"event_date": "10/06/2024", "to_organisation": "B3"}, "to_organisation"),
    ("branch_vote", "secretary", "record_death", {"event_date": "31/02/2024"}, "event_date"),
    ("hold_ceremony", "department", "revoke_admission",
     {"event_date": "20/07/2024", "note": "Phát hiện khai man lý lịch"}, "document_number"),
    ("hold_ceremony", "department", "no_ceremony", {"event_date": "20/07/2024"}, "note"),
]


@pytest.mark.parametrize("until, who, action, posted, field", BAD_INPUTS,
                         ids=[f"{case[2]}-{case[4]}" for case in BAD_INPUTS])
def test_a_bad_input_on_a_new_form_answers_400_next_to_the_field_and_changes_nothing(
    as_user, users, tree, candidate, walk, until, who, action, posted, field
):
    walk(candidate, until=until)
    if posted.get("to_organisation") == "B3":
        posted = {**posted, "to_organisation": tree.b3.pk}
    stage, events = candidate.stage, candidate.events.count()

    response = act(as_user(getattr(users, who)), candidate, action, posted)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == stage and candidate.events.count() == events


def _returned(users, organisation, n):
    """n dossiers of the branch sent back to its vote by the grassroots office."""
    for i in range(n):
        person = make_candidate(users, organisation, citizen_id=None,
                                full_name=f"Người Bị Trả {i}")
        event = StageEvent.objects.create(
            candidate=person, action="return_to_branch", from_stage=Stage.AT_GRASSROOTS,
            to_stage=Stage.OPINIONS_COLLECTED, event_date=date(2024, 6, 15), note=REASON,
            actor=users.office, payload={"return_to": Stage.OPINIONS_COLLECTED})
        Candidate.objects.filter(pk=person.pk).update(stage=Stage.OPINIONS_COLLECTED,
                                                      returned_by=event)


def test_the_worklist_runs_the_same_queries_for_2_and_for_12_returned_dossiers(
    as_user, users, tree, branch_members, django_assert_num_queries
):
    client = as_user(users.secretary)
    _returned(users, tree.b1, 2)
    client.get(url("worklist"))  # warm the per-process caches (calendar, rule parameters)
    with CaptureQueriesContext(connection) as two:
        response = client.get(url("worklist"))
    assert len(response.context["sections"][0]["rows"]) == 2

    _returned(users, tree.b1, 10)
    with django_assert_num_queries(len(two)):
        response = client.get(url("worklist"))
    assert len(response.context["sections"][0]["rows"]) == 12


def test_the_leaderships_dashboard_shows_the_panel_to_a_leader_who_also_keeps_a_branch(
    as_user, users, tree, sent_up, home_panel
):
    act(as_user(users.office), sent_up, "return_to_branch", {
        "event_date": "15/06/2024", "return_to": Stage.OPINIONS_COLLECTED, "note": REASON})
    leader = UserFactory(username="lanhdao.bithu")
    grant(leader, Role.LEADERSHIP, tree.root)
    grant(leader, Role.BRANCH_SECRETARY, tree.b1)

    response = as_user(leader).get("/")

    assert "reports/dashboard.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Hồ sơ bị trả lại, chờ bạn xử lý" in page and REASON in page


def test_every_steps_form_renders_with_its_fields(users, candidate):
    from recruitment.forms import FORMS
    from recruitment.workflow import ACTIONS_BY_CODE

    for code, form_class in FORMS.items():
        action = ACTIONS_BY_CODE[code]
        form = form_class(candidate=candidate, action=action, user=users.office)
        html = str(form)
        assert "event_date" in html, code
        if action.kind == "return" and len(action.targets) > 1:
            assert 'type="radio"' in html and "Biểu quyết lại (chi bộ họp xét lại)" in html


def test_the_candidate_list_marks_a_returned_dossier_and_an_overdue_one(
    as_user, users, tree, sent_up, candidate
):
    waiting = make_candidate(users, tree.b1, citizen_id=None, full_name="Người Còn Hạn")
    Candidate.objects.filter(pk=waiting.pk).update(due_date=date(2999, 1, 1))
    page = as_user(users.secretary).get(url("candidate_list")).content.decode()
    assert "bị trả lại" not in page
    assert page.count('class="overdue"') == 1 and "quá hạn" in page  # the one sent up in 2024
    assert "01/01/2999" in page

    act(as_user(users.office), sent_up, "return_to_branch", {
        "event_date": "15/06/2024", "return_to": Stage.OPINIONS_COLLECTED, "note": REASON})
    page = as_user(users.secretary).get(url("candidate_list")).content.decode()
    assert page.count("bị trả lại") == 1
