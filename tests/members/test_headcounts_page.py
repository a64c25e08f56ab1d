"""The organisation department's headcount page: the units of their subtree with the count in
force today, a count recorded from a date, each unit's rows; other roles and units outside the
subtree get 404. The organisation page shows the counts in force today."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import FROM_THE_START, Role, StaffHeadcount
from tests.factories import OrganisationFactory, UserFactory, grant

LIST = reverse("members:headcounts")


def history(unit):
    return reverse("members:headcount_history", args=[unit.code])


def body(response):
    return response.content.decode()


@pytest.fixture
def gc1_department(tree):
    user = UserFactory(username="bantochuc-gc1")
    grant(user, Role.ORG_DEPARTMENT, tree.gc1)
    return user


def record(client, unit, day="01/01/2025", staff="25"):
    return client.post(LIST, {"organisation": unit.pk, "valid_from": day, "staff": staff})


def test_the_list_shows_the_units_of_the_subtree_with_the_count_in_force_today(
        as_user, gc1_department, tree):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=FROM_THE_START, staff=9)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2024, 1, 1), staff=11)
    StaffHeadcount.objects.create(organisation=tree.b3, valid_from=date(2024, 1, 1), staff=5)
    response = as_user(gc1_department).get(LIST)
    assert response.status_code == 200
    units = [u.code for u in response.context["page"]]
    assert units == ["GC1", "GC1-P", "B2", "B1"]
    b1 = next(u for u in response.context["page"] if u.code == "B1")
    assert (b1.staff, b1.since) == (11, date(2024, 1, 1))
    assert "Chi bộ Ba" not in body(response)
    assert 'name="valid_from"' in body(response)


def test_the_list_is_searched_by_code_or_name(as_user, gc1_department, tree):
    client = as_user(gc1_department)
    assert [u.code for u in client.get(LIST, {"q": "b2"}).context["page"]] == ["B2"]
    assert [u.code for u in client.get(LIST, {"q": "Chi bộ Một"}).context["page"]] == ["B1"]
    assert list(client.get(LIST, {"q": "B3"}).context["page"]) == []


def test_the_list_is_paginated_and_reads_the_counts_in_one_query(
        as_user, users, tree, settings, django_assert_max_num_queries):
    settings.PAGE_SIZE = 5
    client = as_user(users.department)
    client.get(LIST)  # sessions, grants: warm
    with django_assert_max_num_queries(12):
        small = client.get(LIST)
    for n in range(20):
        unit = OrganisationFactory(code=f"CB-X{n:02d}", name=f"Chi bộ X{n}", kind="branch",
                                   parent=tree.gc2)
        StaffHeadcount.objects.create(organisation=unit, valid_from=date(2024, 1, 1), staff=n)
    with django_assert_max_num_queries(12):
        large = client.get(LIST, {"page": 2})
    assert len(large.context["page"]) == 5 and large.context["page"].paginator.num_pages == 6
    assert small.status_code == large.status_code == 200


def test_a_count_is_recorded_from_a_date_and_shown_in_the_units_history(
        as_user, gc1_department, tree):
    client = as_user(gc1_department)
    response = record(client, tree.b1, "01/01/2025", "25")
    assert response.status_code == 302 and response.url == history(tree.b1)
    row = StaffHeadcount.objects.get(organisation=tree.b1)
    assert (row.valid_from, row.staff, row.actor, row.imported) == (
        date(2025, 1, 1), 25, gc1_department, False)
    page = client.get(response.url)
    assert "Đã ghi số cán bộ, công chức của Chi bộ Một từ ngày 01/01/2025: 25." in body(page)
    assert "01/01/2025" in body(page) and "bantochuc-gc1" in body(page)


def test_the_same_date_again_corrects_that_dates_count(as_user, gc1_department, tree):
    client = as_user(gc1_department)
    record(client, tree.b1, "01/01/2025", "25")
    response = record(client, tree.b1, "01/01/2025", "27")
    assert response.status_code == 302
    assert list(tree.b1.headcounts.values_list("staff", flat=True)) == [27]
    assert "Đã sửa số cán bộ, công chức" in body(client.get(response.url))


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"valid_from": "tomorrow"}, "valid_from", None),
    ({"valid_from": "31/02/2024"}, "valid_from", "Ngày 31/02/2024 không có thật."),
    ({"staff": "-1"}, "staff", "Số cán bộ, công chức không thể âm."),
    ({"staff": "mười"}, "staff", "Ghi một số nguyên."),
    ({"staff": ""}, "staff", "Ô này cần điền."),
    ({"organisation": ""}, "organisation", "Cần chọn đơn vị."),
    ({"organisation": "outside"}, "organisation", "Hãy chọn một đơn vị trong danh sách."),
])
def test_a_bad_form_is_refused_with_its_message_and_writes_nothing(
        as_user, gc1_department, tree, data, field, message):
    tomorrow = timezone.localdate() + timedelta(days=1)
    if data.get("valid_from") == "tomorrow":
        data = {"valid_from": tomorrow.strftime("%d/%m/%Y")}
        message = f"Ngày {tomorrow:%d/%m/%Y} là ngày trong tương lai."
    if data.get("organisation") == "outside":
        data = {"organisation": tree.b3.pk}
    posted = {"organisation": tree.b1.pk, "valid_from": "01/01/2025", "staff": "25", **data}
    response = as_user(gc1_department).post(LIST, posted)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not StaffHeadcount.objects.exists()


def test_a_units_history_lists_its_rows_newest_first(as_user, gc1_department, tree):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=FROM_THE_START, staff=9)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2024, 1, 1), staff=11,
                                  imported=True)
    response = as_user(gc1_department).get(history(tree.b1))
    assert response.status_code == 200
    assert [r.staff for r in response.context["rows"]] == [11, 9]
    text = body(response)
    assert "từ đầu" in text and "01/01/2024" in text and "nhập từ tệp" in text
    assert response.context["form"].initial == {"organisation": tree.b1}
    assert f'<option value="{tree.b1.pk}" selected>' in text


@pytest.mark.parametrize("code", ["B3", "DBK", "GC2"])
def test_a_unit_outside_the_subtree_is_not_found(as_user, gc1_department, tree, code):
    assert as_user(gc1_department).get(reverse("members:headcount_history",
                                               args=[code])).status_code == 404


@pytest.mark.parametrize("who", ["secretary", "office", "leader"])
def test_other_roles_do_not_find_the_page(as_user, users, tree, who):
    client = as_user(getattr(users, who))
    assert client.get(LIST).status_code == 404
    assert client.get(history(tree.b1)).status_code == 404
    assert record(client, tree.b1).status_code == 404
    assert not StaffHeadcount.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, tree):
    assert client.get(LIST).status_code == 302
    assert record(client, tree.b1).status_code == 302
    assert not StaffHeadcount.objects.exists()


def test_the_navigation_links_the_page_for_the_department_only(as_user, users):
    assert LIST in body(as_user(users.department).get(reverse("home")))
    assert LIST not in body(as_user(users.secretary).get(reverse("home")))


def test_the_organisation_page_shows_the_counts_in_force_today(
        as_user, users, tree, django_assert_max_num_queries):
    StaffHeadcount.objects.create(organisation=tree.gc1, valid_from=FROM_THE_START, staff=60)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=FROM_THE_START, staff=9)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2024, 1, 1), staff=11)
    future = timezone.localdate() + timedelta(days=30)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=future, staff=99)
    client = as_user(users.department)
    url = reverse("members:organisation_detail", args=["GC1"])
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        text = body(client.get(url))
    assert "<strong>60</strong>" in text
    assert 'data-label="Cán bộ, công chức">11</td>' in text
    assert 'data-label="Cán bộ, công chức">99</td>' not in text
    for n in range(10):
        OrganisationFactory(code=f"CB-Y{n}", kind="branch", parent=tree.gc1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_large_subtree_types_the_units_code_instead_of_a_list_of_thousands(
        as_user, gc1_department, tree, monkeypatch):
    from members import fields

    monkeypatch.setattr(fields, "SELECT_LIMIT", 2)
    client = as_user(gc1_department)
    page = body(client.get(LIST))
    assert '<select name="organisation"' not in page and "Mã đơn vị" in page
    assert 'value="B1"' in body(client.get(history(tree.b1)))
    response = client.post(LIST, {"organisation": "B1", "valid_from": "01/01/2025",
                                  "staff": "25"})
    assert response.status_code == 302
    assert StaffHeadcount.objects.get().organisation == tree.b1
    refused = client.post(LIST, {"organisation": "B3", "valid_from": "01/01/2025",
                                 "staff": "25"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["organisation"] == [
        "Không có đơn vị mã này trong phạm vi của bạn; xem mã trong danh sách dưới đây."]
    assert StaffHeadcount.objects.count() == 1
