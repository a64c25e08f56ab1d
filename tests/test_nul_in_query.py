"""A NUL character in a URL, its query string or a form is refused with a 400, never a 500.

PostgreSQL refuses NUL inside text, so a search for "%00" used to reach the database and fail
there; SQLite accepts it, which is why these tests matter most on PostgreSQL.
"""
from datetime import date

import pytest
from django.urls import reverse

from members.importing import available_kinds
from recruitment.models import TrainingClass
from recruitment.services import open_class

# Every page that reads query parameters, with each parameter it reads.
LISTS = [
    ("members:organisations", (), ["q"]),
    ("members:organisation_detail", ("DBK",), ["q", "page"]),
    ("members:member_list", (), ["q", "branch", "status", "page"]),
    ("recruitment:candidate_list", (), ["q", "stage", "branch", "year", "source", "sort",
                                        "page"]),
    ("recruitment:examination_queue", (), ["page"]),
    ("recruitment:worklist", (), ["q"]),
    ("recruitment:class_list", (), ["q", "kind", "year", "page"]),
    ("recruitment:nominations", (), ["q", "page"]),
    ("reports:index", (), ["organisation", "term", "year", "period"]),
    ("reports:report", ("DBK", "2024"), ["nhiem_ky", "page"]),
    ("reports:targets", ("DBK",), ["nhiem_ky"]),
    *[("members:export", (kind, "csv"), ["q", "branch", "status", "stage", "source", "kind",
                                         "year"])
      for kind in [*available_kinds(), "worklist"]],
]
CASES = [pytest.param(name, args, param, id=f"{name}{'/'.join(args)}?{param}")
         for name, args, params in LISTS for param in params]


@pytest.fixture
def training_class(users, tree):
    return open_class(actor=users.department, training_class=TrainingClass(
        kind="awareness", organiser=tree.root, course_number="12", year=2024,
        decision_number="345-QĐ/ĐUK", decision_date=date(2024, 2, 20),
        start_date=date(2024, 3, 4), end_date=date(2024, 3, 8), place="Trung tâm Chính trị"))


@pytest.mark.parametrize(("name", "args", "param"), CASES)
def test_a_nul_in_a_filter_is_a_bad_request(as_user, users, name, args, param):
    path = reverse(name, args=args)
    response = as_user(users.admin).get(f"{path}?{param}=%00")
    if response.streaming:  # an export fails while it streams, after its 200
        b"".join(response.streaming_content)
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("value", ["%00", "ab%00cd", "%C0%80"])
def test_a_nul_anywhere_in_a_search_is_a_bad_request(as_user, users, value):
    response = as_user(users.department).get(f"{reverse('members:member_list')}?q={value}")
    # "%C0%80" is an overlong NUL: not valid UTF-8, Django already reads it as "\ufffd".
    assert response.status_code == (200 if value == "%C0%80" else 400)


def test_a_nul_in_the_class_enrolment_search_is_a_bad_request(as_user, users, training_class):
    response = as_user(users.department).get(
        reverse("recruitment:class_enrol", args=[training_class.pk]) + "?q=%00")
    assert response.status_code == 400


def test_a_nul_in_the_path_is_a_bad_request(as_user, users):
    response = as_user(users.department).get("/organisations/DBK%00/")
    assert response.status_code == 400


def test_a_nul_in_a_posted_form_is_a_bad_request_and_nothing_is_saved(as_user, users, tree):
    from recruitment.models import Candidate

    response = as_user(users.secretary).post(reverse("recruitment:candidate_create"), {
        "full_name": "Đỗ Minh\x00Khôi", "organisation": tree.b1.pk})
    assert response.status_code == 400
    assert not Candidate.objects.exists()


def test_a_nul_in_the_login_form_is_a_bad_request(client, users):
    response = client.post(reverse("login"), {"username": "bithu\x00", "password": "x"})
    assert response.status_code == 400


def test_ordinary_searches_still_work(as_user, users):
    response = as_user(users.department).get(
        reverse("recruitment:candidate_list") + "?q=Nguy%E1%BB%85n&stage=source_pool")
    assert response.status_code == 200
