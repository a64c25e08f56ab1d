"""Members move and leave as dated events, recorded from the member's page; members come in
from outside the tree with their papers; identity typos are corrected with a reason."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import LeaveReason, Member, MemberStatus, Movement, MovementKind, Role
from members.movements import MovementError, record_for, record_movement
from recruitment.models import Candidate
from tests.factories import UserFactory, grant

K = MovementKind


def recorded():
    """Movements recorded by the pages (each member made by the factories already has the
    "present since" row of a member whose history was not recorded)."""
    return Movement.objects.exclude(kind=K.PRESENT)


def move_url(member, kind):
    return reverse("members:member_movement", args=[member.pk, kind])


def post_movement(client, member, kind, **data):
    return client.post(move_url(member, kind), {"date": "10/01/2024", "note": "", **data})


def page(response):
    return response.content.decode()


def field_errors(response, name):
    return [str(e) for e in response.context["form"].errors.get(name, [])]


# What each kind's form needs, and what the member looks like afterwards.
KINDS = {
    K.TRANSFER_WITHIN: ({"to": "b2", "document_number": "12-GGT/ĐU"},
                        {"organisation": "b2", "status": MemberStatus.OFFICIAL}),
    K.TEMPORARY: ({"to": "b2", "document_number": ""},
                  {"organisation": "b1", "temporary_organisation": "b2"}),
    K.TRANSFER_OUT: ({"outside_place": "Đảng bộ tỉnh Lâm Đồng", "document_number": "3-GGT"},
                     {"status": MemberStatus.TRANSFERRED_OUT, "left_document": "3-GGT"}),
    K.DIED: ({"document_number": ""}, {"status": MemberStatus.DIED}),
    K.REMOVED: ({"document_number": "7-QĐ/ĐU", "reason": LeaveReason.ABANDONED},
                {"status": MemberStatus.REMOVED, "left_reason": LeaveReason.ABANDONED}),
    K.EXPELLED: ({"document_number": "8-QĐ/UBKT", "reason": LeaveReason.CORRUPTION},
                 {"status": MemberStatus.EXPELLED, "left_reason": LeaveReason.CORRUPTION}),
    K.RESIGNED: ({"document_number": "9-QĐ/ĐU", "reason": LeaveReason.RESIGNED_HARDSHIP},
                 {"status": MemberStatus.RESIGNED,
                  "left_reason": LeaveReason.RESIGNED_HARDSHIP}),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_recorded_from_its_page_updates_the_member_and_writes_one_movement(
        kind, as_user, users, tree, members):
    data, expected = KINDS[kind]
    form = {k: v for k, v in data.items() if k != "to"}
    if "to" in data:
        form["to_organisation"] = getattr(tree, data["to"]).pk
    client = as_user(users.department)
    assert client.get(move_url(members.m1, kind)).status_code == 200

    response = post_movement(client, members.m1, kind, **form)

    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(pk=members.m1.pk)
    for name, value in expected.items():
        if name in ("organisation", "temporary_organisation"):
            assert getattr(member, name) == getattr(tree, value)
        else:
            assert getattr(member, name) == value
    movement = recorded().get(member=member)
    assert (movement.kind, movement.date, movement.actor) == (kind, date(2024, 1, 10),
                                                             users.department)
    assert movement.from_organisation == tree.b1
    if kind in (K.DIED, K.REMOVED, K.EXPELLED, K.RESIGNED, K.TRANSFER_OUT):
        assert member.left_date == date(2024, 1, 10)
    shown = page(client.get(reverse("members:member_detail", args=[member.pk])))
    assert "10/01/2024" in shown and str(K(kind).label) in shown


def test_ending_temporary_membership_brings_the_member_back_to_their_branch_only(
        as_user, users, tree, members):
    client = as_user(users.office)
    post_movement(client, members.m1, K.TEMPORARY, to_organisation=tree.b2.pk)
    response = client.post(move_url(members.m1, K.TEMPORARY_END), {"date": "20/02/2024"})
    assert response.status_code == 302
    member = Member.objects.get(pk=members.m1.pk)
    assert member.temporary_organisation is None and member.organisation == tree.b1
    assert list(recorded().filter(member=member).values_list("kind", flat=True)) == [
        K.TEMPORARY, K.TEMPORARY_END]


def test_a_transfer_within_the_tree_moves_the_member_to_the_new_branch_and_out_of_the_old(
        as_user, users, tree, members, client):
    b2_secretary = UserFactory(username="bithu.b2")
    grant(b2_secretary, Role.BRANCH_SECRETARY, tree.b2)
    detail = reverse("members:member_detail", args=[members.m1.pk])

    response = post_movement(as_user(users.office), members.m1, K.TRANSFER_WITHIN,
                             to_organisation=tree.b2.pk, document_number="12-GGT/ĐU")
    assert response.status_code == 302

    shown = page(as_user(b2_secretary).get(detail))
    assert "Chi bộ Một" in shown and "Chi bộ Hai" in shown and "12-GGT/ĐU" in shown
    # The old branch's secretary no longer has the member on their list or page.
    as_user(users.secretary)
    assert client.get(detail).status_code == 404
    listing = page(client.get(reverse("members:member_list")))
    assert members.m1.full_name not in listing
    # The department over both sees the member and the one movement.
    assert "Chi bộ Hai" in page(as_user(users.department).get(detail))
    assert recorded().filter(member=members.m1).count() == 1


def test_a_date_in_the_future_is_refused_next_to_the_field(as_user, users, members):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = post_movement(as_user(users.department), members.m1, K.DIED, date=tomorrow)
    assert response.status_code == 400
    assert any("tương lai" in e for e in field_errors(response, "date"))
    assert not recorded().exists()


def test_a_date_before_the_last_movement_is_refused_next_to_the_field(
        as_user, users, tree, members):
    client = as_user(users.department)
    post_movement(client, members.m1, K.TEMPORARY, to_organisation=tree.b2.pk,
                  date="01/03/2024")
    response = post_movement(client, members.m1, K.DIED, date="01/02/2024")
    assert response.status_code == 400
    assert any("trước biến động gần nhất" in e for e in field_errors(response, "date"))
    assert Member.objects.get(pk=members.m1.pk).status == MemberStatus.OFFICIAL
    assert recorded().count() == 1


def test_a_date_before_the_admission_is_refused(as_user, users, members):
    response = post_movement(as_user(users.department), members.m1, K.DIED, date="01/01/2010")
    assert response.status_code == 400
    assert any("ngày vào Đảng" in e for e in field_errors(response, "date"))


def test_a_destination_outside_the_users_scope_is_refused(as_user, users, tree, members):
    response = post_movement(as_user(users.office), members.m1, K.TRANSFER_WITHIN,
                             to_organisation=tree.b3.pk, document_number="1-GGT")
    assert response.status_code == 400
    assert field_errors(response, "to_organisation") == ["Hãy chọn một chi bộ trong danh sách."]
    assert "Chi bộ Ba" not in page(response)
    assert Member.objects.get(pk=members.m1.pk).organisation == tree.b1
    # The service refuses it too, whatever form called it.
    with pytest.raises(MovementError) as refused:
        record_for(users.office, members.m1, K.TRANSFER_WITHIN, date(2024, 1, 10),
                   to_organisation=tree.b3)
    assert refused.value.field == "to_organisation"
    assert not recorded().exists()


def test_the_destination_list_holds_the_users_branches_but_not_the_current_one(
        as_user, users, tree, members):
    response = as_user(users.office).get(move_url(members.m1, K.TRANSFER_WITHIN))
    offered = set(response.context["form"].fields["to_organisation"].queryset)
    assert offered == {tree.b2}


def test_a_branch_secretary_follows_movements_but_records_none(as_user, users, members):
    client = as_user(users.secretary)
    for kind in (K.TRANSFER_WITHIN, K.DIED, K.REMOVED):
        assert client.get(move_url(members.m1, kind)).status_code == 403
        assert post_movement(client, members.m1, kind).status_code == 403
    assert client.get(move_url(members.m3, K.DIED)).status_code == 404
    assert client.get(reverse("members:member_correct", args=[members.m1.pk])).status_code == 403
    assert client.get(reverse("members:member_transfer_in")).status_code == 404
    shown = page(client.get(reverse("members:member_detail", args=[members.m1.pk])))
    assert move_url(members.m1, K.DIED) not in shown
    assert not recorded().exists()


def test_a_grassroots_office_records_moves_and_deaths_but_not_departures(
        as_user, users, members):
    client = as_user(users.office)
    for kind in (K.REMOVED, K.EXPELLED, K.RESIGNED, K.TRANSFER_OUT):
        assert client.get(move_url(members.m1, kind)).status_code == 403
    shown = page(client.get(reverse("members:member_detail", args=[members.m1.pk])))
    assert move_url(members.m1, K.DIED) in shown
    assert move_url(members.m1, K.EXPELLED) not in shown


def test_an_unknown_kind_is_not_a_page(as_user, users, members):
    client = as_user(users.department)
    for kind in ("admitted", "readmitted", "transfer_in", "nothing"):
        assert client.get(move_url(members.m1, kind)).status_code == 404


def test_posting_the_same_death_twice_refuses_the_second_without_an_error_page(
        as_user, users, members):
    client = as_user(users.department)
    assert post_movement(client, members.m1, K.DIED).status_code == 302
    again = post_movement(client, members.m1, K.DIED)
    assert again.status_code == 400
    assert "không còn trong danh sách đảng viên" in page(again)
    assert recorded().filter(member=members.m1).count() == 1


def test_a_removal_needs_its_decision_number_and_reason(as_user, users, members):
    response = post_movement(as_user(users.department), members.m1, K.REMOVED)
    assert response.status_code == 400
    assert field_errors(response, "document_number") == ["Ô này cần điền."]
    assert field_errors(response, "reason") == ["Cần chọn lý do."]
    assert not recorded().exists()


TRANSFER_IN = {
    "full_name": "Võ Thị Chuyển", "birth_date": "02/02/1988", "sex": "female",
    "ethnicity": "Kinh", "religion": "Không", "citizen_id": "079188000123",
    "card_number": "77001234", "admitted_date": "03/02/2012", "official_date": "03/02/2013",
    "date": "15/03/2024", "outside_place": "Đảng bộ tỉnh Lâm Đồng",
    "document_number": "21-GGT/TU", "note": "",
}


def test_a_member_transferred_in_from_outside_is_created_with_their_movement(
        as_user, users, tree):
    client = as_user(users.office)
    assert client.get(reverse("members:member_transfer_in")).status_code == 200
    response = client.post(reverse("members:member_transfer_in"),
                           {**TRANSFER_IN, "organisation": tree.b1.pk})
    assert response.status_code == 302
    member = Member.objects.get(card_number="77001234")
    assert (member.organisation, member.status, member.official_date) == (
        tree.b1, MemberStatus.OFFICIAL, date(2013, 2, 3))
    movement = member.movements.get()
    assert (movement.kind, movement.date, movement.to_organisation, movement.outside_place,
            movement.document_number) == (K.TRANSFER_IN, date(2024, 3, 15), tree.b1,
                                          "Đảng bộ tỉnh Lâm Đồng", "21-GGT/TU")
    assert response["Location"] == reverse("members:member_detail", args=[member.pk])
    assert "Đảng bộ tỉnh Lâm Đồng" in page(client.get(response["Location"]))


def test_a_transfer_in_is_refused_outside_the_scope_and_without_its_papers(
        as_user, users, tree):
    client = as_user(users.office)
    outside = client.post(reverse("members:member_transfer_in"),
                          {**TRANSFER_IN, "organisation": tree.b3.pk})
    assert outside.status_code == 400 and field_errors(outside, "organisation")
    bare = client.post(reverse("members:member_transfer_in"),
                       {**TRANSFER_IN, "organisation": tree.b1.pk, "document_number": "",
                        "outside_place": "", "official_date": "01/01/2011"})
    assert bare.status_code == 400
    assert field_errors(bare, "document_number") == ["Ô này cần điền."]
    assert field_errors(bare, "outside_place") == ["Ô này cần điền."]
    assert field_errors(bare, "official_date")
    assert not Member.objects.filter(card_number="77001234").exists()
    assert not recorded().exists()


IDENTITY = {"full_name": "Nguyễn Thị Đào", "birth_date": "17/05/1990", "sex": "male",
            "ethnicity": "Kinh", "religion": "Không", "citizen_id": "", "card_number": ""}


def test_the_identity_correction_needs_a_reason_and_shows_in_the_history(
        as_user, users, members):
    url = reverse("members:member_correct", args=[members.m1.pk])
    client = as_user(users.office)
    identity = {**IDENTITY, "card_number": members.m1.card_number, "full_name": "Nguyễn Thị Đàoo"}
    bare = client.post(url, identity)
    assert bare.status_code == 400 and field_errors(bare, "change_reason")
    assert Member.objects.get(pk=members.m1.pk).full_name == "Nguyễn Thị Đào"

    fixed = client.post(url, {**identity, "full_name": "Nguyễn Thị Đảo",
                              "change_reason": "Nhập sai dấu so với lý lịch"})
    assert fixed.status_code == 302
    member = Member.objects.get(pk=members.m1.pk)
    assert member.full_name == "Nguyễn Thị Đảo" and member.search_name == "nguyen thi dao"
    assert member.history.first().history_change_reason == "Nhập sai dấu so với lý lịch"
    shown = page(client.get(reverse("members:member_detail", args=[member.pk])))
    assert "Nhập sai dấu so với lý lịch" in shown
    assert "Nguyễn Thị Đào → Nguyễn Thị Đảo" in shown
    assert users.office.username in shown


def test_an_identity_correction_that_changes_nothing_or_breaks_the_dates_is_refused(
        as_user, users, members):
    url = reverse("members:member_correct", args=[members.m1.pk])
    client = as_user(users.department)
    same = {**IDENTITY, "sex": members.m1.sex, "card_number": members.m1.card_number,
            "change_reason": "Kiểm tra"}
    assert client.post(url, same).status_code == 400
    late = client.post(url, {**same, "birth_date": "01/01/2016"})
    assert late.status_code == 400 and field_errors(late, "birth_date")
    taken = client.post(url, {**same, "card_number": members.m2.card_number})
    assert taken.status_code == 400 and field_errors(taken, "card_number")
    assert members.m1.history.filter(history_change_reason__isnull=False).count() == 0


@pytest.fixture
def probation_dossier(tree, members):
    """m2, probationary at B2, whose dossier is still followed in the pipeline."""
    return Candidate.objects.create(
        full_name=members.m2.full_name, birth_date=members.m2.birth_date, sex=members.m2.sex,
        education="upper_secondary", organisation=tree.b2, added_date=date(2013, 1, 1),
        plan_year=2014, stage="probationary", stage_date=date(2015, 3, 2),
        ceremony_date=date(2015, 3, 2), member=members.m2)


def test_the_guard_refuses_moving_a_member_whose_probation_dossier_is_open(
        as_user, users, tree, members, probation_dossier):
    client = as_user(users.department)
    dossier = reverse("recruitment:candidate_detail", args=[probation_dossier.pk])
    shown = client.get(move_url(members.m2, K.DIED))
    assert shown.status_code == 200 and dossier in page(shown) and "<form method" not in \
        page(shown).split("</header>", 1)[1]
    posted = post_movement(client, members.m2, K.DIED)
    assert posted.status_code == 400 and "hồ sơ kết nạp còn đang theo dõi" in page(posted)
    moved = post_movement(client, members.m2, K.TRANSFER_WITHIN, to_organisation=tree.b1.pk,
                          document_number="1-GGT")
    assert moved.status_code == 400 and dossier in page(moved)
    assert Member.objects.get(pk=members.m2.pk).status == MemberStatus.PROBATIONARY
    assert not recorded().exists()
    # Temporary membership leaves the dossier where it is.
    temporary = post_movement(client, members.m2, K.TEMPORARY, to_organisation=tree.b1.pk)
    assert temporary.status_code == 302


def test_the_pipeline_moves_the_member_of_an_open_dossier_itself(members, probation_dossier):
    with pytest.raises(MovementError) as refused:
        record_movement(members.m2, K.DIED, date(2024, 1, 10))
    assert refused.value.link.endswith(f"/{probation_dossier.pk}/")
    record_movement(members.m2, K.DIED, date(2024, 1, 10), from_pipeline=True)
    assert Member.objects.get(pk=members.m2.pk).status == MemberStatus.DIED


def test_the_member_list_filters_by_every_status(as_user, users, members):
    client = as_user(users.department)
    post_movement(client, members.m1, K.DIED)
    listing = client.get(reverse("members:member_list"), {"status": "died"})
    statuses = dict(listing.context["statuses"])
    assert {"died", "expelled", "resigned", "removed", "transferred_out"} <= set(statuses)
    assert [m.pk for m in listing.context["page"]] == [members.m1.pk]
    assert reverse("members:member_transfer_in") in page(listing)
