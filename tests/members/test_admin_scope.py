"""Django admin is scoped like the pages: an administrator of GC1 manages GC1's subtree and
nothing else (other members are missing, roles cannot be granted above, no one becomes a
superuser through it); a superuser sees everything; persons are never deleted in admin."""
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from members.models import Member, Role, RoleGrant
from recruitment.models import Candidate
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def gc1_admin(tree):
    """Staff, administrator of GC1, and holding every Django permission: the role and its
    subtree decide what the admin shows, whatever permissions the account has collected."""
    user = UserFactory(username="quantri.gc1", is_staff=True)
    grant(user, Role.ADMINISTRATOR, tree.gc1)
    user.user_permissions.set(Permission.objects.all())
    return user


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


def names_in_changelist(client, name):
    response = client.get(admin_url(name))
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def test_the_admin_is_open_to_staff_administrators_and_superusers_only(as_user, users,
                                                                        gc1_admin):
    assert as_user(gc1_admin).get("/admin/").status_code == 200
    staff_without_role = users.department
    staff_without_role.is_staff = True
    staff_without_role.save()
    staff_without_role.user_permissions.set(Permission.objects.all())
    assert as_user(staff_without_role).get("/admin/").status_code == 302


def test_an_administrator_sees_only_the_members_of_their_subtree(as_user, gc1_admin, members):
    client = as_user(gc1_admin)
    assert names_in_changelist(client, "members_member_changelist") == {
        members.m1.full_name, members.m2.full_name}
    inside = client.get(admin_url("members_member_change", members.m1.pk))
    assert inside.status_code == 200
    outside = client.get(admin_url("members_member_change", members.m3.pk))
    assert outside.status_code == 302
    assert members.m3.full_name not in client.get(outside.url).content.decode()
    assert client.get(admin_url("members_member_history", members.m3.pk)).status_code == 404
    version = members.m3.history.latest().history_id
    assert client.get(admin_url("members_member_simple_history", members.m3.pk,
                                version)).status_code == 404


def test_a_superuser_sees_everything(as_user, users, members):
    client = as_user(users.admin)
    assert names_in_changelist(client, "members_member_changelist") == {
        m.full_name for m in (members.m1, members.m2, members.m3, members.m4)}
    assert client.get(admin_url("members_member_change", members.m3.pk)).status_code == 200


def test_other_lists_and_choices_are_scoped_too(as_user, gc1_admin, tree, users):
    client = as_user(gc1_admin)
    assert names_in_changelist(client, "members_organisation_changelist") == {
        str(o) for o in (tree.gc1, tree.partial, tree.b1, tree.b2)}
    for branch, name in ((tree.b1, "Trong Phạm Vi"), (tree.b3, "Ngoài Phạm Vi")):
        Candidate.objects.create(full_name=name, birth_date=date(1998, 1, 1), sex="male",
                                 organisation=branch, added_date=date(2024, 1, 10),
                                 stage_date=date(2024, 1, 10), plan_year=2024)
    assert names_in_changelist(client, "recruitment_candidate_changelist") == {"Trong Phạm Vi"}
    users_seen = names_in_changelist(client, "auth_user_changelist")
    assert "quantri.gc1" in users_seen and "bithu" in users_seen
    # The department and leadership hold roles at the root; the superuser is above all.
    assert not users_seen & {"bantochuc", "lanhdao", "quantri"}
    found = client.get("/admin/autocomplete/", {
        "app_label": "members", "model_name": "member", "field_name": "organisation",
        "term": "Chi bộ"}).json()
    assert {r["text"] for r in found["results"]} == {str(tree.b1), str(tree.b2)}


def test_an_administrator_cannot_grant_a_role_outside_their_subtree(as_user, gc1_admin, tree,
                                                                     users):
    client = as_user(gc1_admin)
    newcomer = UserFactory(username="moi")
    response = client.post(admin_url("members_rolegrant_add"), {
        "user": newcomer.pk, "role": Role.ORG_DEPARTMENT, "organisation": tree.root.pk})
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not RoleGrant.objects.filter(user=newcomer).exists()

    granted = client.post(admin_url("members_rolegrant_add"), {
        "user": newcomer.pk, "role": Role.ORG_DEPARTMENT, "organisation": tree.gc1.pk})
    assert granted.status_code == 302
    assert RoleGrant.objects.get(user=newcomer).organisation == tree.gc1

    # A user who also holds a role elsewhere is not theirs to give roles to.
    other = client.post(admin_url("members_rolegrant_add"), {
        "user": users.department.pk, "role": Role.LEADERSHIP, "organisation": tree.gc1.pk})
    assert "user" in other.context["adminform"].form.errors


def user_change_data(user):
    return {
        "username": user.username, "first_name": "", "last_name": "", "email": "",
        "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
        "role_grants-TOTAL_FORMS": "0", "role_grants-INITIAL_FORMS": "0",
        "role_grants-MIN_NUM_FORMS": "0", "role_grants-MAX_NUM_FORMS": "1000",
    }


def test_an_administrator_cannot_make_anyone_a_superuser_or_staff(as_user, gc1_admin,
                                                                   users):
    client = as_user(gc1_admin)
    url = admin_url("auth_user_change", users.secretary.pk)
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    response = client.post(url, {**user_change_data(users.secretary), "first_name": "Bí"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    users.secretary.refresh_from_db()
    assert users.secretary.first_name == "Bí"
    assert not users.secretary.is_superuser and not users.secretary.is_staff

    client.post(admin_url("auth_user_change", gc1_admin.pk), user_change_data(gc1_admin))
    gc1_admin.refresh_from_db()
    assert not gc1_admin.is_superuser
    # Nor edit a superuser's account at all (its password would be theirs to reset).
    assert client.get(admin_url("auth_user_change", users.admin.pk)).status_code == 302
    assert client.get(admin_url("auth_user_password_change", users.admin.pk)).status_code != 200


def test_a_superuser_still_sets_the_privileges(as_user, users):
    client = as_user(users.admin)
    response = client.post(admin_url("auth_user_change", users.leader.pk),
                           user_change_data(users.leader))
    assert response.status_code == 302
    users.leader.refresh_from_db()
    assert users.leader.is_staff


@pytest.mark.parametrize("who", ["superuser", "administrator"])
def test_nobody_deletes_a_member_or_a_candidate_in_admin(as_user, users, gc1_admin, members,
                                                         who):
    client = as_user(users.admin if who == "superuser" else gc1_admin)
    assert client.get(admin_url("members_member_delete", members.m1.pk)).status_code == 403
    person = Candidate.objects.create(
        full_name="Quần Chúng Một", birth_date=date(1998, 1, 1), sex="male",
        organisation=members.m1.organisation, added_date=date(2024, 1, 10),
        stage_date=date(2024, 1, 10), plan_year=2024)
    assert client.get(admin_url("recruitment_candidate_delete", person.pk)).status_code == 403
    response = client.post(admin_url("members_member_changelist"), {
        "action": "delete_selected", "_selected_action": [members.m1.pk], "post": "yes"})
    assert Member.objects.filter(pk=members.m1.pk).exists()
    actions = client.get(admin_url("members_member_changelist")).context["action_form"]
    assert actions is None or "delete_selected" not in str(actions.fields["action"].choices)
    assert response.status_code in (200, 302)


def test_a_members_history_page_shows_the_changes(as_user, gc1_admin, members):
    client = as_user(gc1_admin)
    url = admin_url("members_member_change", members.m1.pk)
    page = client.get(url)
    assert admin_url("members_member_history", members.m1.pk) in page.content.decode()
    m1 = members.m1
    response = client.post(url, {
        "full_name": m1.full_name, "birth_date": "17/05/1990", "sex": "male",
        "ethnicity": "Kinh", "religion": "Không", "citizen_id": "",
        "organisation": m1.organisation_id, "card_number": m1.card_number,
        "admitted_date": "02/03/2015", "official_date": "02/03/2016", "status": "official",
        "education": "upper_secondary", "profession": "Kỹ sư xây dựng", "left_date": "",
        "movements-TOTAL_FORMS": "0", "movements-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    history = client.get(admin_url("members_member_history", m1.pk))
    assert history.status_code == 200
    body = history.content.decode()
    assert "Kỹ sư xây dựng" in body and "quantri.gc1" in body
    record = m1.history.latest()
    assert record.history_channel == "admin" and record.history_user == gc1_admin


def test_an_administrator_keeps_new_organisations_inside_their_subtree(as_user, gc1_admin,
                                                                        tree):
    client = as_user(gc1_admin)
    response = client.post(admin_url("members_organisation_add"), {
        "code": "MOI", "name": "Đảng bộ Mới", "kind": "upper_committee", "parent": "",
        "headcounts-TOTAL_FORMS": "0", "headcounts-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    # The top of their subtree points above it, and can still be renamed.
    renamed = client.post(admin_url("members_organisation_change", tree.gc1.pk), {
        "code": "GC1", "name": "Đảng bộ Sở Một (mới)", "kind": "grassroots_committee",
        "parent": tree.root.pk, "headcounts-TOTAL_FORMS": "0", "headcounts-INITIAL_FORMS": "0"})
    assert renamed.status_code == 302
    tree.gc1.refresh_from_db()
    assert tree.gc1.name == "Đảng bộ Sở Một (mới)" and tree.gc1.parent == tree.root


def test_tables_for_the_whole_tree_are_for_superusers_only(as_user, gc1_admin, users):
    client = as_user(gc1_admin)
    assert client.get(admin_url("recruitment_holiday_changelist")).status_code == 403
    assert client.get(admin_url("auth_group_changelist")).status_code == 403
    assert as_user(users.admin).get(admin_url("recruitment_holiday_changelist")).status_code \
        == 200


def test_the_admin_does_not_move_a_member_without_a_movement(as_user, gc1_admin, members, tree):
    m1 = members.m1
    response = as_user(gc1_admin).post(admin_url("members_member_change", m1.pk), {
        "full_name": m1.full_name, "birth_date": "17/05/1990", "sex": "male",
        "ethnicity": "Kinh", "religion": "Không", "citizen_id": "",
        "organisation": tree.b3.pk, "card_number": m1.card_number,
        "admitted_date": "02/03/2015", "official_date": "02/03/2016", "status": "removed",
        "education": "", "profession": "", "left_date": "01/01/2024",
        "movements-TOTAL_FORMS": "0", "movements-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    m1.refresh_from_db()
    # Branch and status change only by a dated movement, from the member's page.
    assert (m1.organisation, m1.status, m1.left_date) == (tree.b1, "official", None)
