"""The organisation department sets targets and congress dates for its subtree; other roles
may not; organisations outside the subtree are not found."""
from datetime import date

import pytest
from django.urls import reverse

from reports.models import Target, Term

pytestmark = pytest.mark.django_db


def url(code="DBK", term="2020-2025"):
    return reverse("reports:targets", args=[code]) + f"?nhiem_ky={term}"


def test_the_department_sees_a_grid_of_years_and_the_term_for_each_unit(as_user, users, tree):
    page = as_user(users.department).get(url()).content.decode()
    assert 'aria-label="Chỉ tiêu năm 2024 của Đảng bộ Sở Một"' in page
    assert 'aria-label="Chỉ tiêu nhiệm kỳ 2020-2025 của Đảng bộ Khối"' in page


def test_the_department_saves_targets_from_the_grid(as_user, users, tree):
    response = as_user(users.department).post(url(), {
        "action": "targets", f"t-{tree.root.pk}-2024": "88", f"t-{tree.root.pk}-2020-2025": "250",
        f"t-{tree.gc1.pk}-2024": "6", f"t-{tree.gc2.pk}-2024": ""})
    assert response.status_code == 302
    assert set(Target.objects.values_list("organisation__code", "year", "term", "admissions")) \
        == {("DBK", 2024, "", 88), ("DBK", None, "2020-2025", 250), ("GC1", 2024, "", 6)}


def test_a_target_that_is_not_a_whole_number_is_refused_in_place(as_user, users, tree):
    response = as_user(users.department).post(url(), {
        "action": "targets", f"t-{tree.root.pk}-2024": "-3"})
    assert response.status_code == 200
    assert "Chỉ tiêu không thể âm." in response.content.decode()
    assert not Target.objects.exists()


def test_the_department_records_the_congress_dates_of_a_term(as_user, users, tree):
    response = as_user(users.department).post(url("GC1"), {
        "action": "term", "start_date": "01/06/2020", "end_date": "30/06/2025"})
    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.organisation, term.start_date, term.recorded_by) == (
        tree.gc1, date(2020, 6, 1), users.department)


def test_congress_dates_that_do_not_match_the_term_are_refused(as_user, users, tree):
    response = as_user(users.department).post(url(), {
        "action": "term", "start_date": "01/06/2010", "end_date": "30/06/2025"})
    assert response.status_code == 200
    assert "không khớp với nhiệm kỳ 2020-2025" in response.content.decode()


def test_other_roles_may_not_set_targets(as_user, users, tree):
    for user in (users.leader, users.secretary, users.office):
        own = {users.secretary: "B1", users.office: "GC1"}.get(user, "DBK")
        assert as_user(user).get(url(own)).status_code == 403
    assert as_user(users.nobody).get(url()).status_code == 403


def test_targets_outside_the_subtree_are_not_found(as_user, users, tree):
    from tests.factories import OrganisationFactory

    OrganisationFactory(code="KHAC")
    assert as_user(users.department).get(url("KHAC")).status_code == 404
    assert as_user(users.office).get(url("GC2")).status_code == 404
