"""The pages each role uses: allowed, not allowed, and outside the user's subtree."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("secretary", "Bí thư chi bộ"),
        ("office", "Văn phòng đảng ủy cơ sở"),
        ("department", "Cán bộ Ban Tổ chức"),
        ("leader", "Lãnh đạo"),
        ("admin", "Quản trị hệ thống"),
    ],
)
def test_home_page_shows_what_each_role_can_do(as_user, users, who, heading):
    response = as_user(getattr(users, who)).get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_home_page_of_a_secretary_names_their_branch(as_user, users):
    body = as_user(users.secretary).get(reverse("home")).content.decode()
    assert "Chi bộ Một" in body


def test_a_user_with_no_role_is_told_whom_to_ask(as_user, users, settings):
    settings.SUPPORT_CONTACT = "Đ/c Hòa, Ban Tổ chức, 0220.3852.111"
    response = as_user(users.nobody).get(reverse("home"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "chưa được giao vai trò" in body
    assert "Đ/c Hòa, Ban Tổ chức, 0220.3852.111" in body
    assert as_user(users.nobody).get(reverse("members:member_list")).status_code == 403


@pytest.mark.parametrize("url", ["/", "/members/", "/organisations/"])
def test_anonymous_visitors_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_member_list_of_a_secretary_shows_only_their_branch(as_user, users, members):
    body = as_user(users.secretary).get(reverse("members:member_list")).content.decode()
    assert "Nguyễn Thị Đào" in body
    assert "Lê Minh Châu" not in body
    assert "Chi bộ Ba" not in body  # not even as a filter choice


def test_member_search_ignores_diacritics_and_case(as_user, users, members):
    body = as_user(users.department).get(
        reverse("members:member_list"), {"q": "nguyen thi dao"}).content.decode()
    assert "Nguyễn Thị Đào" in body
    assert "Trần Văn Bình" not in body


def test_member_search_by_card_number(as_user, users, members):
    body = as_user(users.department).get(
        reverse("members:member_list"), {"q": members.m3.card_number}).content.decode()
    assert "Lê Minh Châu" in body
    assert "Nguyễn Thị Đào" not in body


def test_member_list_filters_by_branch_and_status(as_user, users, members):
    client = as_user(users.department)
    body = client.get(reverse("members:member_list"), {"branch": "B2"}).content.decode()
    assert "Trần Văn Bình" in body and "Nguyễn Thị Đào" not in body
    body = client.get(reverse("members:member_list"), {"status": "probationary"}).content.decode()
    assert "Trần Văn Bình" in body and "Lê Minh Châu" not in body


def test_an_unknown_status_filter_is_ignored_not_an_error(as_user, users, members):
    response = as_user(users.department).get(reverse("members:member_list"), {"status": "x'"})
    assert response.status_code == 200
    assert "Lê Minh Châu" in response.content.decode()


def test_a_branch_filter_outside_the_scope_shows_nothing(as_user, users, members):
    body = as_user(users.secretary).get(
        reverse("members:member_list"), {"branch": "B3"}).content.decode()
    assert "Lê Minh Châu" not in body
    assert "Không có đảng viên nào" in body


def test_member_list_is_paginated_and_dates_are_dd_mm_yyyy(as_user, users, tree):
    MemberFactory.create_batch(30, organisation=tree.b1)
    client = as_user(users.secretary)
    body = client.get(reverse("members:member_list")).content.decode()
    assert 'rel="next">Trang sau ›' in body and "Trang trước" not in body
    assert "17/05/1990" in body
    assert "Tổng số: 30" in body
    assert client.get(reverse("members:member_list"), {"page": "2"}).status_code == 200
    assert client.get(reverse("members:member_list"), {"page": "abc"}).status_code == 200


def _count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_member_list_runs_the_same_queries_whatever_its_length(as_user, users, tree):
    client = as_user(users.department)
    url = reverse("members:member_list")
    MemberFactory.create_batch(2, organisation=tree.b1)
    few = _count_queries(client, url)
    MemberFactory.create_batch(40, organisation=tree.b2)
    MemberFactory.create_batch(40, organisation=tree.b3)
    assert _count_queries(client, url) == few
    assert few <= 7  # with the count of things due beside "Việc cần làm"


def test_organisation_page_runs_the_same_queries_whatever_the_tree_size(as_user, users, tree):
    from members.models import OrganisationKind as K
    from tests.factories import OrganisationFactory

    client = as_user(users.department)
    url = reverse("members:organisation_detail", args=["DBK"])
    few = _count_queries(client, url)
    for i in range(30):
        gc = OrganisationFactory(code=f"X{i}", kind=K.GRASSROOTS_COMMITTEE, parent=tree.root)
        MemberFactory(organisation=OrganisationFactory(code=f"X{i}-B", kind=K.BRANCH, parent=gc))
    assert _count_queries(client, url) == few


def test_organisation_page_counts_members_of_each_child_subtree(as_user, users, members, tree):
    MemberFactory(organisation=tree.b2, status="removed")
    response = as_user(users.department).get(
        reverse("members:organisation_detail", args=["DBK"]))
    rows = {child.code: count for child, count in response.context["rows"]}
    assert rows["GC1"]["total"] == 2  # B1 and B2 (under the partial committee); removed not counted
    assert rows["GC1"]["probationary"] == 1
    assert rows["GC2"]["total"] == 1
    assert response.context["totals"]["total"] == 4


def test_tree_browser_starts_at_the_users_own_organisation(as_user, users, tree):
    response = as_user(users.office).get(reverse("members:organisations"))
    assert response.url == reverse("members:organisation_detail", args=["GC1"])


def test_organisation_search_finds_a_deep_descendant(as_user, users, tree):
    body = as_user(users.department).get(
        reverse("members:organisation_detail", args=["DBK"]), {"q": "Chi bộ Hai"}
    ).content.decode()
    assert "Chi bộ Hai" in body and "Chi bộ Một" not in body


@pytest.mark.parametrize(("who", "code"), [("secretary", "B3"), ("secretary", "GC1"),
                                            ("office", "GC2"), ("office", "DBK")])
def test_an_organisation_outside_the_subtree_is_a_404(as_user, users, tree, who, code):
    response = as_user(getattr(users, who)).get(
        reverse("members:organisation_detail", args=[code]))
    assert response.status_code == 404


def test_a_member_outside_the_subtree_is_a_404_not_a_403(as_user, users, members):
    client = as_user(users.secretary)
    assert client.get(reverse("members:member_detail", args=[members.m1.pk])).status_code == 200
    assert client.get(reverse("members:member_detail", args=[members.m3.pk])).status_code == 404


def test_member_detail_shows_identity_and_dates(as_user, users, members):
    body = as_user(users.office).get(
        reverse("members:member_detail", args=[members.m1.pk])).content.decode()
    for text in ["Nguyễn Thị Đào", "17/05/1990", "02/03/2015", "02/03/2016", "Chính thức"]:
        assert text in body


def test_an_unknown_url_shows_the_404_page_in_the_app_layout(as_user, users):
    response = as_user(users.secretary).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert "Đăng xuất" in body  # rendered inside the normal layout


def test_the_interface_switches_to_english(as_user, users):
    client = as_user(users.secretary)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body
    assert "Members" in body


def test_admin_is_open_to_administrators_only(as_user, users):
    assert as_user(users.admin).get("/admin/").status_code == 200
    response = as_user(users.department).get("/admin/")
    assert response.status_code == 302


def test_admin_refuses_a_cycle_with_a_message(as_user, users, tree):
    client = as_user(users.admin)
    response = client.post(
        reverse("admin:members_organisation_change", args=[tree.gc1.pk]),
        {"code": "GC1", "name": "Đảng bộ Sở Một", "kind": "upper_committee",
         "parent": tree.b1.pk, "headcounts-TOTAL_FORMS": "0", "headcounts-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "vòng lặp" in response.content.decode()
    tree.gc1.refresh_from_db()
    assert tree.gc1.parent_id == tree.root.pk


def test_member_admin_refuses_a_member_outside_a_branch(as_user, users, tree):
    response = as_user(users.admin).post(reverse("admin:members_member_add"), {
        "full_name": "Vũ Văn Sai", "birth_date": "01/01/1990", "sex": "male",
        "ethnicity": "Kinh", "religion": "Không", "organisation": tree.gc1.pk,
        "admitted_date": "01/01/2015", "status": "probationary",
    })
    assert response.status_code == 200
    assert "sinh hoạt ở một chi bộ" in response.content.decode()
    assert not Member.objects.filter(full_name="Vũ Văn Sai").exists()


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(as_user, users):
    body = as_user(users.secretary).get(
        reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in body
    assert "Đảng viên" in body


def test_a_request_in_english_does_not_leave_english_behind(as_user, users):
    from django.utils import translation

    client = as_user(users.secretary)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Members" in client.get(reverse("home")).content.decode()
    assert translation.get_language() == "vi"
