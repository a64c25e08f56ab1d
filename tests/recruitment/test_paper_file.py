"""A dossier entered from its paper file on one page: the person and every step already done,
checked by the same rules and written as the same events as step by step; a refused step or a
gap keeps nothing."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from recruitment.models import Candidate, Stage, StageEvent

URL = reverse("recruitment:paper_file_create")


def person(tree, **extra):
    values = {"full_name": "Hoàng Thị Quỳnh Anh", "birth_date": "17/05/1995", "sex": "female",
              "ethnicity": "Kinh", "religion": "Không", "citizen_id": "001195012345",
              "education": "upper_secondary", "source": "youth_union",
              "youth_union_member": "on", "organisation": tree.b1.pk,
              "added_date": "10/01/2024", "plan_year": "2024", "adult_children": "0"}
    values.update(extra)
    return values


def paper_steps(m, until="send_up"):
    """The steps of tests/recruitment/conftest.py's script up to sending the dossier up, as the
    page posts them (each section under its action's prefix, verifications as rows v0…)."""
    o = m.officials
    sections = {
        "assign_helper": {"event_date": "01/02/2024", "document_number": "03-NQ/CB",
                          "helper": o[0].pk},
        "record_awareness_certificate": {"event_date": "15/03/2024",
                                         "document_number": "123/GCN"},
        "record_application": {"event_date": "01/04/2024"},
        "add_verification": None,
        "certify_history": {"event_date": "10/05/2024", "history_form_date": "02/04/2024"},
        "record_introductions": {"event_date": "20/05/2024", "introducer_1": o[1].pk,
                                 "known_since_1": "01/01/2020", "union_kind": "youth_union",
                                 "union_resolution": "05/NQ-ĐTN", "union_date": "18/05/2024"},
        "record_opinions": {"event_date": "01/06/2024", "summary": "Đồng ý"},
        "branch_vote": {"event_date": "10/06/2024", "document_number": "12-NQ/CB",
                        "eligible": "5", "present": "5", "votes_for": "4",
                        "votes_against": "1"},
        "send_up": {"event_date": "11/06/2024", "document_number": "15-TTr/CB"},
    }
    rows = [("self", "Hoàng Thị Quỳnh Anh", "Đảng ủy phường Hàng Bạc", "02/05/2024"),
            ("father", "Hoàng Văn Cường", "Đảng ủy xã Yên Sở", "25/04/2024"),
            ("mother", "Nguyễn Thị Hạnh", "Đảng ủy xã Yên Sở", "25/04/2024")]
    data = {}
    for code, fields in sections.items():
        if code == "add_verification":
            for i, (relation, name, where, answered) in enumerate(rows):
                data.update({f"v{i}-relation": relation, f"v{i}-person_name": name,
                             f"v{i}-requested_of": where, f"v{i}-event_date": "05/04/2024",
                             f"v{i}-answered_date": answered,
                             f"v{i}-conclusion": "Lý lịch rõ ràng"})
        else:
            data.update({f"{code}-{k}": v for k, v in fields.items()})
        if code == until:
            break
    return data


def test_a_paper_file_up_to_sending_it_up_is_written_as_the_steps_would(
        as_user, users, tree, branch_members):
    response = as_user(users.secretary).post(URL, {**person(tree), **paper_steps(branch_members)})
    assert response.status_code == 302, response.content.decode()[:3000]
    candidate = Candidate.objects.get(citizen_id="001195012345")
    assert candidate.stage == Stage.AT_GRASSROOTS
    assert candidate.helper == branch_members.officials[0]
    assert candidate.branch_vote_date.isoformat() == "2024-06-10"
    actions = list(candidate.events.order_by("recorded_at", "pk").values_list("action",
                                                                               flat=True))
    assert actions == ["add_to_pool", "assign_helper", "record_awareness_certificate",
                       "record_application", "add_verification", "add_verification",
                       "add_verification", "certify_history", "record_introductions",
                       "record_opinions", "branch_vote", "send_up"]
    assert candidate.verifications.filter(answered_date__isnull=False).count() == 3
    assert candidate.votes.get().votes_for == 4
    assert not candidate.events.filter(imported=True).exists()  # the user's own steps
    page = as_user(users.secretary).get(response["Location"])
    assert "Đã ghi 11 bước của hồ sơ giấy" in page.content.decode()


def test_a_file_that_stops_early_takes_only_the_steps_written(as_user, users, tree,
                                                              branch_members):
    data = {**person(tree), **paper_steps(branch_members, until="record_application")}
    response = as_user(users.secretary).post(URL, data)
    assert response.status_code == 302
    assert Candidate.objects.get().stage == Stage.APPLIED


def test_the_page_alone_adds_the_person_to_the_pool(as_user, users, tree, branch_members):
    response = as_user(users.secretary).post(URL, person(tree))
    assert response.status_code == 302
    assert Candidate.objects.get().stage == Stage.SOURCE_POOL


def test_a_gap_in_the_steps_is_said_on_the_gap_and_nothing_is_saved(as_user, users, tree,
                                                                    branch_members):
    data = {**person(tree), **paper_steps(branch_members, until="record_application")}
    for key in [k for k in data if k.startswith("record_awareness_certificate-")]:
        del data[key]
    response = as_user(users.secretary).post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "cần ghi cả bước này" in html
    section = html.split('id="buoc-record_awareness_certificate"')[1].split("</fieldset>")[0]
    assert "cần ghi cả bước này" in section
    assert not Candidate.objects.exists()


def test_a_rule_refusing_a_step_keeps_nothing_and_says_so_on_that_step(
        as_user, users, tree, branch_members):
    data = {**person(tree), **paper_steps(branch_members)}
    # The helper must be an official member: the probationary one is refused (HELPER_OFFICIAL).
    data["assign_helper-helper"] = branch_members.probationary.pk
    response = as_user(users.secretary).post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    section = html.split('id="buoc-assign_helper"')[1].split("</fieldset>")[0]
    assert "HELPER_OFFICIAL" in section
    assert not Candidate.objects.exists()
    assert not StageEvent.objects.exists()


def test_a_vote_below_two_thirds_refuses_the_whole_file(as_user, users, tree, branch_members):
    data = {**person(tree), **paper_steps(branch_members)}
    data.update({"branch_vote-votes_for": "3", "branch_vote-votes_against": "2"})
    response = as_user(users.secretary).post(URL, data)
    assert response.status_code == 400
    section = response.content.decode().split('id="buoc-branch_vote"')[1].split("</fieldset>")[0]
    assert "BRANCH_VOTE" in section
    assert not Candidate.objects.exists()


def test_every_field_error_of_every_step_is_said_at_once(as_user, users, tree, branch_members):
    data = {**person(tree), **paper_steps(branch_members)}
    data["record_application-event_date"] = "31/02/2024"
    data["branch_vote-present"] = "9"  # more than the 5 on the register
    data["full_name"] = ""
    response = as_user(users.secretary).post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày 31/02/2024 không có thật." in html
    assert "Số có mặt không thể lớn hơn tổng số." in html
    assert "Họ và tên" in html and 'aria-invalid="true"' in html
    assert not Candidate.objects.exists()


def test_dates_out_of_order_are_refused(as_user, users, tree, branch_members):
    data = {**person(tree), **paper_steps(branch_members, until="record_application")}
    data["record_application-event_date"] = "01/03/2024"  # before the certificate of 15/03
    response = as_user(users.secretary).post(URL, data)
    assert response.status_code == 400
    section = response.content.decode().split(
        'id="buoc-record_application"')[1].split("</fieldset>")[0]
    assert "DATE_ORDER" in section
    assert not Candidate.objects.exists()


def test_a_member_of_another_branch_cannot_be_named_helper(as_user, users, tree,
                                                           branch_members):
    data = {**person(tree), **paper_steps(branch_members, until="assign_helper")}
    data["assign_helper-helper"] = branch_members.partial_officials[0].pk
    response = as_user(users.secretary).post(URL, data)
    assert response.status_code == 400
    assert "Hãy chọn một đảng viên trong danh sách." in response.content.decode()
    assert not Candidate.objects.exists()


def test_only_a_branch_secretary_opens_the_page(as_user, users, tree):
    assert as_user(users.office).get(URL).status_code == 404
    assert as_user(users.secretary).get(URL).status_code == 200


def test_another_branch_cannot_be_chosen(as_user, users, tree, branch_members):
    response = as_user(users.secretary).post(URL, person(tree, organisation=tree.b3.pk))
    assert response.status_code == 400
    assert not Candidate.objects.exists()


def test_the_empty_page_marks_no_section_as_wrong(as_user, users, tree, branch_members):
    html = as_user(users.secretary).get(URL).content.decode()
    assert "errorlist" not in html
    assert "Bước 9: Gửi hồ sơ lên đảng ủy cơ sở" in html
    # The papers' own numbers are typed: no register number is offered.
    assert 'name="branch_vote-document_number" maxlength="60" id' in html


@pytest.mark.django_db(transaction=True)
def test_the_same_cccd_sent_twice_at_once_saves_one_dossier(users, tree, branch_members):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    data = {**person(tree), **paper_steps(branch_members, until="record_application")}

    def post(_):
        client = Client()
        client.force_login(users.secretary)
        try:
            return client.post(URL, data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(post, range(2)))
    assert codes == [302, 400]
    assert Candidate.objects.count() == 1
