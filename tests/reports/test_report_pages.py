"""The report pages: allowed in the user's subtree, refused without a role, 404 outside."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def report_url(code, period="2024"):
    return reverse("reports:report", args=[code, period])


def test_the_report_index_offers_the_current_term_and_year(as_user, users):
    response = as_user(users.leader).get(reverse("reports:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đảng bộ Khối:" in page
    assert 'href="/reports/DBK/2025-2030/"' in page or 'href="/reports/DBK/2030-2035/"' in page


def test_choosing_an_organisation_and_a_year_opens_its_report(as_user, users):
    response = as_user(users.leader).get(reverse("reports:index"),
                                         {"organisation": "B1", "kind": "year", "year": "2024"})
    assert response.status_code == 302 and response.url == report_url("B1")


def test_choosing_an_organisation_outside_the_scope_is_refused_in_the_form(as_user, users):
    response = as_user(users.secretary).get(
        reverse("reports:index"), {"organisation": "B3", "kind": "term", "term": "2020-2025"})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_the_report_index_needs_a_role(as_user, users, client):
    assert as_user(users.nobody).get(reverse("reports:index")).status_code == 403
    client.logout()
    assert client.get(reverse("reports:index")).status_code == 302


def test_a_leader_reads_the_report_of_their_whole_subtree(as_user, users, known):
    response = as_user(users.leader).get(report_url("DBK"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Báo cáo phát triển đảng viên năm 2024" in page
    assert "đã kết nạp 5 đảng viên" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "Chi bộ cơ sở Tỉnh đoàn" in page  # a branch that admitted nobody


def test_a_branch_secretary_reads_their_own_branch_report(as_user, users, known):
    response = as_user(users.secretary).get(report_url("B1"))
    assert response.status_code == 200
    assert "Chi bộ Một" in response.content.decode()


def test_a_report_outside_the_users_subtree_is_not_found(as_user, users, known):
    client = as_user(users.secretary)
    assert client.get(report_url("B3")).status_code == 404
    assert client.get(report_url("DBK")).status_code == 404
    assert as_user(users.office).get(report_url("GC2")).status_code == 404


def test_a_report_needs_a_role(as_user, users, known):
    assert as_user(users.nobody).get(report_url("B1")).status_code == 403


def test_a_period_that_is_neither_a_year_nor_a_term_is_not_found(as_user, users):
    client = as_user(users.leader)
    assert client.get(report_url("DBK", "20x4")).status_code == 404
    assert client.get(report_url("DBK", "2020-2031")).status_code == 404


def test_an_organisation_with_no_data_gives_a_clean_page(as_user, users, tree):
    response = as_user(users.leader).get(report_url("B3", "2020-2025"))
    assert response.status_code == 200
    assert "Chi bộ Ba chưa kết nạp được đảng viên nào" in response.content.decode()


def test_the_report_page_runs_a_fixed_number_of_queries(as_user, users, known,
                                                        django_assert_max_num_queries):
    client = as_user(users.leader)
    with django_assert_max_num_queries(40):
        client.get(report_url("DBK", "2020-2025"))


def test_long_lists_on_the_page_are_split_into_pages(as_user, users, known, settings):
    settings.PAGE_SIZE = 2
    page = as_user(users.leader).get(report_url("DBK"), {"chi_bo": 2}).content.decode()
    assert "Trang 2 / 2" in page
