"""A person entering the pool is looked for among the members of the whole tree: a member now
(or one who died) is refused, someone who left the Party comes back as a readmission of the
SAME member record, with a warning that names where and why they left only inside the user's
scope (Quy định 294-QĐ/TW, điểm 3.5)."""
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import LeaveReason, Member, MemberStatus, Movement, MovementKind
from recruitment.models import Candidate, Stage, StageEvent
from tests.factories import MemberFactory

from .conftest import make_candidate

CCCD = "001195012345"
NEUTRAL = "Người này đã có trong hệ thống; liên hệ Ban Tổ chức."
RULE = "hồ sơ được xét theo quy định kết nạp lại (Quy định 294-QĐ/TW, điểm 3.5)."


def left_member(organisation, **fields):
    """Someone removed from the list in 2019 (long enough before a 2024 vote)."""
    values = dict(full_name="Hoàng Thị Quỳnh Anh", birth_date=date(1995, 5, 17), sex="female",
                  organisation=organisation, citizen_id=CCCD, admitted_date=date(2014, 3, 2),
                  official_date=date(2015, 3, 2), status=MemberStatus.REMOVED,
                  left_date=date(2019, 2, 1), left_reason=LeaveReason.OTHER,
                  left_document="15-QĐ/ĐU")
    values.update(fields)
    return MemberFactory(**values)


def form_data(tree, **fields):
    data = {"full_name": "Hoàng Thị Quỳnh Anh", "birth_date": "17/05/1995", "sex": "female",
            "ethnicity": "Kinh", "religion": "Không", "citizen_id": CCCD,
            "education": "upper_secondary", "source": "youth_union",
            "organisation": tree.b1.pk, "added_date": "10/01/2024", "plan_year": "2024",
            "adult_children": "0"}
    data.update(fields)
    return data


def post(client, tree, **fields):
    return client.post(reverse("recruitment:candidate_create"), form_data(tree, **fields))


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_removed_member_re_entered_by_cccd_is_a_readmission_with_a_warning(
    as_user, users, tree
):
    member = left_member(tree.b1)
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.former_member == member and candidate.is_readmission
    assert flashed(response)[1] == (
        "Người này từng là đảng viên (Chi bộ Một, ra khỏi Đảng ngày 01/02/2019, lý do: Lý do "
        "khác): " + RULE)
    # The dossier's timeline says it is a readmission, in words anyone who sees it may read.
    event = StageEvent.objects.get(candidate=candidate)
    assert event.note == "Người này từng là đảng viên: " + RULE
    assert "Chi bộ Một" not in event.note


def test_a_former_member_found_by_name_and_birth_date_is_linked_and_the_warning_says_how(
    as_user, users, tree
):
    member = left_member(tree.b1, citizen_id=None, full_name="HOÀNG THỊ QUỲNH ANH",
                         status=MemberStatus.RESIGNED,
                         left_reason=LeaveReason.RESIGNED_HARDSHIP)
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 302
    assert Candidate.objects.get().former_member == member
    warning = flashed(response)[1]
    assert warning.startswith("Tìm thấy theo họ tên và ngày sinh (không có số CCCD để đối "
                              "chiếu). Người này từng là đảng viên (Chi bộ Một")
    assert "Xin ra khỏi Đảng vì lý do gia đình đặc biệt khó khăn" in warning


def test_two_former_members_with_the_name_and_birth_date_link_nobody(as_user, users, tree):
    left_member(tree.b1, citizen_id=None, card_number="A1")
    left_member(tree.b1, citizen_id=None, card_number="A2", status=MemberStatus.EXPELLED)
    response = post(as_user(users.secretary), tree, citizen_id="")
    assert response.status_code == 302
    assert Candidate.objects.get().former_member is None
    assert flashed(response)[1].startswith("Có 2 người từng là đảng viên cùng họ tên và ngày "
                                           "sinh này")


def test_a_namesake_with_another_cccd_is_somebody_else(as_user, users, tree):
    left_member(tree.b1, citizen_id="001195099999")
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 302
    assert Candidate.objects.get().former_member is None
    assert len(flashed(response)) == 1


@pytest.mark.parametrize("status", [MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY])
def test_an_active_member_is_refused(as_user, users, tree, status):
    left_member(tree.b1, status=status, left_date=None, left_reason="", card_number="0099",
                official_date=date(2015, 3, 2) if status == MemberStatus.OFFICIAL else None)
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 200
    errors = response.context["form"].errors["citizen_id"]
    assert errors[0].startswith("Người này đã là đảng viên (Chi bộ Một, ")
    assert "số thẻ 0099" in errors[0]
    assert not Candidate.objects.exists() and not StageEvent.objects.exists()


def test_an_active_member_found_by_name_is_refused_on_the_name(as_user, users, tree):
    left_member(tree.b1, citizen_id=None, status=MemberStatus.OFFICIAL, left_date=None,
                left_reason="")
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 200
    assert "đã là đảng viên" in response.context["form"].errors["full_name"][0]
    assert not Candidate.objects.exists()


def test_a_member_who_died_is_refused_by_cccd(as_user, users, tree):
    left_member(tree.b1, status=MemberStatus.DIED, left_date=date(2023, 1, 5), left_reason="")
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 200
    assert response.context["form"].errors["citizen_id"] == [
        "Số CCCD này là của đảng viên đã từ trần (Chi bộ Một, ngày 05/01/2023); hãy kiểm tra lại "
        "số CCCD."]


def test_outside_the_scope_the_answer_names_nobody_and_nowhere(as_user, users, tree):
    active = left_member(tree.b3, status=MemberStatus.OFFICIAL, left_date=None, left_reason="")
    response = post(as_user(users.secretary), tree)
    assert response.context["form"].errors["citizen_id"] == [NEUTRAL]
    page = response.content.decode()
    assert NEUTRAL in page and "Chi bộ Ba" not in page
    Member.objects.filter(pk=active.pk).update(status=MemberStatus.REMOVED,
                                               left_date=date(2019, 2, 1))
    response = post(as_user(users.secretary), tree)
    assert response.status_code == 302
    assert Candidate.objects.get().former_member_id == active.pk
    assert flashed(response)[1] == f"{NEUTRAL} Người này từng là đảng viên: {RULE}"


def test_the_consent_field_shows_when_a_former_member_is_sent_back_for_corrections(
    as_user, users, tree
):
    left_member(tree.b1)
    client = as_user(users.secretary)
    assert "readmission_consent_ref" not in client.get(
        reverse("recruitment:candidate_create")).context["form"].fields
    response = post(client, tree, plan_year="")
    assert response.status_code == 200
    assert "readmission_consent_ref" in response.context["form"].fields
    assert "Người này từng là đảng viên (Chi bộ Một" in response.content.decode()
    response = post(client, tree, readmission_consent_ref="125-CV/TU ngày 05/01/2024")
    assert response.status_code == 302
    assert Candidate.objects.get().readmission_consent_ref == "125-CV/TU ngày 05/01/2024"


def test_the_consent_is_dropped_for_someone_who_is_no_readmission(users, tree):
    candidate = make_candidate(users, tree.b1, readmission_consent_ref="1-CV/TU")
    assert candidate.readmission_consent_ref == "" and candidate.former_member is None


def test_the_service_refuses_an_active_member_too(users, tree):
    left_member(tree.b1, status=MemberStatus.OFFICIAL, left_date=None, left_reason="")
    with pytest.raises(ValidationError) as refused:
        make_candidate(users, tree.b1)
    assert "đã là đảng viên" in refused.value.message_dict["citizen_id"][0]


def test_the_readmission_walks_to_the_ceremony_and_revives_the_same_member(
    users, tree, walk
):
    member = left_member(tree.b1)
    members_before = Member.objects.count()
    candidate = make_candidate(users, tree.b1, readmission_consent_ref="125-CV/TU")
    assert candidate.former_member == member
    candidate = walk(candidate, until="record_new_member_certificate")
    assert candidate.stage == Stage.PROBATIONARY
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY
    assert member.organisation == tree.b1 and member.left_date is None
    assert member.official_date is None
    assert Member.objects.count() == members_before  # no second record for the same person
    assert candidate.membership == member and candidate.member is None
    movement = Movement.objects.filter(member=member).last()  # after the "present since" row
    assert (movement.kind, movement.date) == (MovementKind.READMITTED, date(2024, 8, 1))
