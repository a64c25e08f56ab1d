"""Long lists are not counted to the last row on every page: past the cap the page says there
are more than that many and asks to narrow the list; below it the total is exact."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import paging
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_list_past_the_cap_says_more_than_and_counts_no_further(as_user, users, tree,
                                                                  monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for _ in range(5):
        MemberFactory(organisation=tree.b1)
    client = as_user(users.department)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("members:member_list")).content.decode()
    assert "Hơn 3 kết quả: hãy tìm hoặc lọc để thu hẹp danh sách." in page
    assert "Tổng số" not in page
    counts = [q["sql"] for q in ctx.captured_queries
              if "COUNT(" in q["sql"].upper() and '"members_member"' in q["sql"]]
    assert counts and all("LIMIT 4" in sql for sql in counts)


def test_a_list_below_the_cap_keeps_its_exact_total(as_user, users, tree):
    MemberFactory(organisation=tree.b1)
    page = as_user(users.department).get(reverse("members:member_list")).content.decode()
    assert "Tổng số:" in page and "Hơn" not in page


def test_the_candidate_list_is_capped_the_same_way(as_user, users, tree, monkeypatch):
    from tests.reports.conftest import candidate

    monkeypatch.setattr(paging, "COUNT_CAP", 1)
    candidate(tree.b1, "Một")
    candidate(tree.b1, "Hai")
    page = as_user(users.department).get(reverse("recruitment:candidate_list")).content.decode()
    assert "Hơn 1 kết quả" in page
