"""Pipeline pages for each role: allowed, not allowed, outside the subtree; fixed query counts."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recruitment.models import Candidate, Stage

from .conftest import make_candidate


def url(name, *args):
    return reverse(f"recruitment:{name}", args=args)


def test_a_secretary_adds_a_candidate_to_their_branch(as_user, users, tree):
    response = as_user(users.secretary).post(url("candidate_create"), {
        "full_name": "Đỗ Minh Khôi", "birth_date": "03/02/2000", "sex": "male",
        "ethnicity": "Kinh", "religion": "Không", "education": "upper_secondary",
        "source": "youth_union",
        "organisation": tree.b1.pk, "added_date": "05/01/2026", "plan_year": "2026",
        "youth_union_member": "on",
    })
    candidate = Candidate.objects.get(full_name="Đỗ Minh Khôi")
    assert response.status_code == 302
    assert response.url == url("candidate_detail", candidate.pk)
    assert candidate.stage == Stage.SOURCE_POOL
    assert candidate.events.get().action == "add_to_pool"


def test_adding_a_candidate_with_bad_input_says_what_and_where(as_user, users, tree):
    response = as_user(users.secretary).post(url("candidate_create"), {
        "full_name": "", "birth_date": "31/02/2000", "sex": "male", "education": "upper_secondary",
        "source": "other", "organisation": tree.b3.pk, "added_date": "05/01/2026",
        "plan_year": "abc", "citizen_id": "12345",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"full_name", "birth_date", "organisation", "plan_year",
                                "citizen_id"}
    assert "Ngày 31/02/2000 không có thật." in str(form.errors["birth_date"])
    assert not Candidate.objects.exists()


def test_only_branch_secretaries_add_candidates(as_user, users):
    assert as_user(users.department).get(url("candidate_create")).status_code == 404


def test_a_secretary_cannot_see_or_act_on_another_branchs_candidate(as_user, users, tree,
                                                                   branch_members):
    other = make_candidate(users, tree.b1, citizen_id=None)
    other.organisation = tree.b3
    other.save()
    client = as_user(users.secretary)
    assert client.get(url("candidate_detail", other.pk)).status_code == 404
    response = client.post(url("candidate_action", other.pk, "assign_helper"),
                           {"event_date": "01/02/2024",
                            "helper": branch_members.officials[0].pk})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.stage == Stage.SOURCE_POOL


def test_a_step_is_recorded_from_its_form(as_user, users, candidate, branch_members):
    response = as_user(users.secretary).post(url("candidate_action", candidate.pk,
                                                 "assign_helper"),
                                             {"event_date": "01/02/2024",
                                              "helper": branch_members.officials[0].pk,
                                              "document_number": "3-NQ/CB"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.HELPER_ASSIGNED


def test_a_refused_step_shows_the_rule_and_its_source(as_user, users, candidate,
                                                     branch_members):
    response = as_user(users.secretary).post(url("candidate_action", candidate.pk,
                                                 "assign_helper"),
                                             {"event_date": "01/02/2024",
                                              "helper": branch_members.probationary.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "HELPER_OFFICIAL" in body and "Điều lệ Đảng, Điều 4" in body


def test_a_stage_skipped_by_a_crafted_post_is_refused(as_user, users, candidate):
    client = as_user(users.department)
    response = client.post(url("candidate_action", candidate.pk, "approve_admission"),
                           {"event_date": "15/07/2024", "document_number": "1-QĐ"})
    assert response.status_code == 400
    assert "Hồ sơ đang ở giai đoạn" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SOURCE_POOL


def test_an_unknown_action_is_a_404(as_user, users, candidate):
    assert as_user(users.secretary).get(
        url("candidate_action", candidate.pk, "make_official_now")).status_code == 404


def test_a_wrong_date_in_a_step_form_is_a_field_error(as_user, users, candidate,
                                                    branch_members):
    response = as_user(users.secretary).post(
        url("candidate_action", candidate.pk, "assign_helper"),
        {"event_date": "2024-13-01", "helper": branch_members.officials[0].pk})
    assert response.status_code == 400
    assert "event_date" in response.context["form"].errors


def test_candidate_page_shows_the_timeline_and_the_next_steps_for_the_role(
    as_user, users, candidate, walk
):
    walk(candidate, until="approve_admission")
    body = as_user(users.department).get(url("candidate_detail", candidate.pk)).content.decode()
    assert "Quyết định kết nạp" in body
    assert "Trả hồ sơ về đảng ủy cơ sở" in body
    assert "10/06/2024" in body  # the branch vote in the timeline
    assert "Chờ cấp trên thẩm định" in body
    secretary_body = as_user(users.secretary).get(
        url("candidate_detail", candidate.pk)).content.decode()
    assert url("candidate_action", candidate.pk, "approve_admission") not in secretary_body


def test_the_examination_queue_lists_the_oldest_deadline_first(as_user, users, tree, walk,
                                                              branch_members):
    late = make_candidate(users, tree.b1, full_name="Người Gửi Muộn", citizen_id=None)
    walk(late, until="approve_admission")
    early = make_candidate(users, tree.b1, full_name="Người Gửi Sớm", citizen_id=None)
    walk(early, until="approve_admission",
         overrides={"branch_vote": (date(2024, 6, 5),
                                    {"eligible": 5, "present": 5, "votes_for": 5})})
    response = as_user(users.department).get(url("examination_queue"))
    names = [c.full_name for c, _left in response.context["rows"]]
    assert names == ["Người Gửi Sớm", "Người Gửi Muộn"]
    # Long past the 60 working days: shown as overdue.
    assert all(left < 0 for _c, left in response.context["rows"])
    body = response.content.decode()
    assert "quá hạn " in body and "quá hạn -" not in body


def test_the_examination_queue_stays_inside_the_users_subtree(as_user, users, tree, walk):
    person = make_candidate(users, tree.b1, citizen_id=None)
    walk(person, until="approve_admission")
    from members.models import Role
    from tests.factories import UserFactory, grant

    outsider = UserFactory(username="btc-gc2")
    grant(outsider, Role.ORG_DEPARTMENT, tree.gc2)
    response = as_user(outsider).get(url("examination_queue"))
    assert list(response.context["rows"]) == []


def _queries(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_run_the_same_queries_whatever_their_length(as_user, users, tree, walk):
    client = as_user(users.department)
    first = make_candidate(users, tree.b1, citizen_id=None)
    walk(first, until="approve_admission")
    counts = {name: _queries(client, url(name))
              for name in ("candidate_list", "examination_queue", "worklist")}
    for i in range(6):
        person = make_candidate(users, tree.b1, full_name=f"Người Thứ {i}", citizen_id=None)
        walk(person, until="approve_admission")
    for name, count in counts.items():
        assert _queries(client, url(name)) == count, name
    assert counts["candidate_list"] <= 6


def test_candidate_list_filters_and_sorts(as_user, users, tree):
    make_candidate(users, tree.b1, full_name="An Văn Một", citizen_id=None, plan_year=2025)
    make_candidate(users, tree.b1, full_name="Bùi Thị Hai", citizen_id=None, plan_year=2026,
                   source="women_union")
    client = as_user(users.department)
    names = lambda r: [c.full_name for c in r.context["page"]]  # noqa: E731
    assert names(client.get(url("candidate_list"), {"year": "2026"})) == ["Bùi Thị Hai"]
    assert names(client.get(url("candidate_list"), {"source": "women_union"})) == ["Bùi Thị Hai"]
    assert names(client.get(url("candidate_list"), {"q": "an van"})) == ["An Văn Một"]
    assert names(client.get(url("candidate_list"), {"sort": "-name"})) == ["Bùi Thị Hai",
                                                                            "An Văn Một"]
    assert client.get(url("candidate_list"), {"year": "x", "stage": "bogus"}).status_code == 200


def test_the_worklist_shows_ceremonies_and_probations_due(as_user, users, tree, walk,
                                                         branch_members):
    person = make_candidate(users, tree.b1, citizen_id=None)
    walk(person, until="hold_ceremony")
    response = as_user(users.secretary).get(url("worklist"))
    sections = {s["key"]: [c.full_name for c, _ in s["rows"]] for s in response.context["sections"]}
    assert sections["ceremonies"] == ["Hoàng Thị Quỳnh Anh"]
    assert sections["waiting_upper"] == []


@pytest.mark.parametrize("who", ["secretary", "office", "department", "leader"])
def test_every_role_reaches_the_pipeline_pages(as_user, users, who):
    client = as_user(getattr(users, who))
    for name in ("candidate_list", "worklist", "examination_queue"):
        assert client.get(url(name)).status_code == 200


def test_a_user_with_no_role_is_sent_to_ask_for_one(as_user, users):
    assert as_user(users.nobody).get(url("candidate_list")).status_code == 403


def test_the_dossier_page_does_not_tick_the_vote_number_rule_before_any_vote(
        as_user, users, candidate):
    page = as_user(users.secretary).get(
        reverse("recruitment:candidate_detail", args=[candidate.pk])).content.decode()
    assert "READMISSION" in page  # the admission rules are listed…
    assert "NUMBER_UNIQUE" not in page  # …but not the one about the vote's number
