"""One person, one record: a person entered on the candidate page is looked for among the
members and the candidates of the whole tree (`find_same_person`). A CCCD already known is
refused with the way forward (a member: no candidate needed, or a transfer; a former member:
readmission; an open dossier: ask the unit that holds it), a namesake must be confirmed as
another person, and outside the user's scope the answer names nobody and nowhere."""
import time
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from members.models import MemberStatus, Role
from recruitment import services
from recruitment.models import Candidate, StageEvent
from recruitment.services.duplicates import find_same_person
from tests.factories import MemberFactory, UserFactory, grant

from .conftest import post_at_once

CCCD = "001196004321"
NEUTRAL = "Người này đã có trong hệ thống; liên hệ Ban Tổ chức."
CONFIRM = "Tôi đã kiểm tra, đây là người khác"
NAME, BORN = "Trịnh Thị Mai Phương", date(1996, 4, 8)


def form_data(tree, **fields):
    data = {"full_name": NAME, "birth_date": "08/04/1996", "sex": "female",
            "ethnicity": "Kinh", "religion": "Không", "citizen_id": CCCD,
            "education": "upper_secondary", "source": "youth_union",
            "organisation": tree.b1.pk, "added_date": "05/01/2026", "plan_year": "2026",
            "adult_children": "0"}
    data.update(fields)
    return data


def post(client, tree, **fields):
    return client.post(reverse("recruitment:candidate_create"), form_data(tree, **fields))


def member(organisation, **fields):
    values = dict(full_name=NAME, birth_date=BORN, sex="female", organisation=organisation,
                  citizen_id=CCCD, admitted_date=date(2018, 3, 2),
                  official_date=date(2019, 3, 2), status=MemberStatus.OFFICIAL)
    values.update(fields)
    return MemberFactory(**values)


def dossier(users, organisation, **fields):
    """An open dossier entered by the department (whose scope is the whole tree)."""
    values = dict(full_name=NAME, birth_date=BORN, sex="female", education="upper_secondary",
                  source="youth_union", organisation=organisation, added_date=date(2025, 3, 1),
                  plan_year=2026, citizen_id=CCCD)
    values.update(fields)
    return services.add_candidate(actor=users.department, candidate=Candidate(**values),
                                  imported=True)


@pytest.fixture
def wide_secretary(tree):
    """The secretary of Chi bộ Một who also works in the office of Đảng bộ Sở Một: Chi bộ Hai
    is inside their scope, Chi bộ Ba is not."""
    user = UserFactory(username="bithu_vanphong")
    grant(user, Role.BRANCH_SECRETARY, tree.b1)
    grant(user, Role.GRASSROOTS_OFFICE, tree.gc1)
    return user


def test_the_cccd_of_an_active_member_of_another_branch_points_to_a_transfer(
    as_user, tree, wide_secretary
):
    member(tree.b2)
    response = post(as_user(wide_secretary), tree)
    assert response.status_code == 200
    [error] = response.context["form"].errors["citizen_id"]
    assert error.startswith("Người này đã là đảng viên (Chi bộ Hai, chính thức")
    assert "chuyển sinh hoạt đảng, không kết nạp" in error
    assert not Candidate.objects.exists()


def test_the_cccd_of_an_active_member_of_the_same_branch_needs_no_candidate(
    as_user, users, tree
):
    member(tree.b1)
    response = post(as_user(users.secretary), tree)
    [error] = response.context["form"].errors["citizen_id"]
    assert "đã là đảng viên" in error and "chuyển sinh hoạt" not in error
    assert not Candidate.objects.exists()


def test_the_cccd_of_a_member_who_left_is_a_readmission(as_user, users, tree):
    former = member(tree.b1, status=MemberStatus.EXPELLED, left_date=date(2020, 1, 6))
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.former_member == former
    assert "kết nạp lại" in StageEvent.objects.get(candidate=candidate).note


def test_the_cccd_of_an_open_dossier_in_the_scope_names_its_branch_and_links_it(
    as_user, users, tree, wide_secretary
):
    held = dossier(users, tree.b2)
    response = post(as_user(wide_secretary), tree)
    assert response.status_code == 200
    [error] = response.context["form"].errors["citizen_id"]
    assert error.startswith("Người này đang có hồ sơ quần chúng ưu tú ở Chi bộ Hai (")
    assert "Hỏi chi bộ đang giữ hồ sơ hoặc Ban Tổ chức." in error
    page = response.content.decode()
    assert reverse("recruitment:candidate_detail", args=[held.pk]) in page
    assert Candidate.objects.count() == 1


def test_the_cccd_of_a_dossier_outside_the_scope_names_nobody_and_nowhere(as_user, users, tree):
    held = dossier(users, tree.b3, full_name="Lã Thị Hồng Nhung")
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 200
    assert response.context["form"].errors["citizen_id"] == [NEUTRAL]
    page = response.content.decode()
    assert "Chi bộ Ba" not in page and "Lã Thị Hồng Nhung" not in page
    assert reverse("recruitment:candidate_detail", args=[held.pk]) not in page


def test_a_namesake_must_be_confirmed_as_another_person(as_user, users, tree):
    held = dossier(users, tree.b1, citizen_id=None, full_name="TRỊNH THỊ MAI PHƯƠNG")
    client = as_user(users.secretary)
    assert CONFIRM not in client.get(reverse("recruitment:candidate_create")).content.decode()

    response = post(client, tree)
    assert response.status_code == 200
    [error] = response.context["form"].errors["other_person"]
    assert error.startswith("Đã có người cùng họ tên và ngày sinh trong hệ thống.")
    page = response.content.decode()
    assert CONFIRM in page and "TRỊNH THỊ MAI PHƯƠNG, sinh ngày 08/04/1996, Chi bộ Một" in page
    assert reverse("recruitment:candidate_detail", args=[held.pk]) in page
    assert Candidate.objects.count() == 1

    response = post(client, tree, other_person="on")
    assert response.status_code == 302
    assert Candidate.objects.count() == 2


def test_a_namesake_outside_the_scope_is_confirmed_without_a_name_or_a_branch(
    as_user, users, tree
):
    dossier(users, tree.b3, citizen_id=None)
    response = post(as_user(users.secretary), tree, citizen_id="")
    assert response.status_code == 200
    assert "other_person" in response.context["form"].errors
    page = response.content.decode()
    assert NEUTRAL in page and "Chi bộ Ba" not in page
    assert post(as_user(users.secretary), tree, citizen_id="",
                other_person="on").status_code == 302


def test_namesakes_with_two_different_cccds_are_two_people(as_user, users, tree):
    dossier(users, tree.b1, citizen_id="001196009999")
    assert post(as_user(users.secretary), tree).status_code == 302


def test_the_look_up_is_one_function_the_import_can_call(users, tree):
    dossier(users, tree.b3)
    inside = find_same_person(users.department, citizen_id=CCCD, full_name=NAME,
                              birth_date=BORN, organisation=tree.b1)
    assert "Chi bộ Ba" in inside.refusal and inside.field == "citizen_id"
    outside = find_same_person(users.secretary, citizen_id=CCCD, full_name=NAME,
                               birth_date=BORN, organisation=tree.b1)
    assert outside.refusal == NEUTRAL and not outside.dossier_link
    namesake = find_same_person(users.secretary, citizen_id=None, full_name="trinh thi mai phuong",
                                birth_date=BORN, organisation=tree.b1)
    assert [n.text for n in namesake.namesakes] == [NEUTRAL]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_two_saves_of_one_namesake_at_once_ask_the_second_to_confirm(
        tree, two_secretaries, monkeypatch):
    # A slow save: without the look-up's lock both requests would find nobody and save.
    save = Candidate.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.5)
        save(self, *args, **kwargs)

    monkeypatch.setattr(Candidate, "save", slow_save)
    outcomes = post_at_once(two_secretaries, reverse("recruitment:candidate_create"),
                            lambda n: form_data(tree, citizen_id=""))

    assert sorted(code for code, _ in outcomes.values()) == [200, 302], outcomes
    refused = next(body for code, body in outcomes.values() if code == 200)
    assert CONFIRM in refused
    assert Candidate.objects.count() == 1
