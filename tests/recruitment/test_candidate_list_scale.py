"""The candidate list at a country's size: the scope first and the name among it, a CCCD
matched exactly, and the name sorts (the default and its reverse) paged by a cursor on
(search_name, id); the other sorts keep numbered pages, capped like every list."""
import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import paging
from recruitment import selectors
from recruitment.models import Candidate

pytestmark = pytest.mark.django_db

URL = reverse("recruitment:candidate_list")
NAMES = ["Nguyễn Thị Hoa", "Nguyễn Thị Hoa", "Nguyễn Thị Hòa", "Trần Văn Nam", "Trần Văn Nam",
         "Lê Thị Thu", "Bùi Nguyễn Thị Lan", "Đỗ Văn An", "Nguyễn Văn An", "Nguyễn Thị Hoa",
         "Phạm Thị Nguyệt"]


def make(branch, name, n, **fields):
    return Candidate.objects.create(
        full_name=name, birth_date=date(1990 + n % 10, 1 + n % 12, 1), sex="female",
        education="upper_secondary", organisation=branch, added_date=date(2024, 1, 10),
        plan_year=2025 + n % 2, stage_date=date(2024, 1, 10), **fields)


@pytest.fixture
def small_pages(settings):
    settings.PAGE_SIZE = 3


@pytest.fixture
def people(tree):
    """The same names in branch B1 and in branch B3 (another grassroots committee)."""
    return {branch.code: [make(branch, name, n) for n, name in enumerate(NAMES)]
            for branch in (tree.b1, tree.b3)}


def rows(response):
    return [c.pk for c in response.context["page"]]


def link(response, rel):
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
    return unescape(found.group(1)) if found else None


def walk(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    forward = [rows(response)]
    while (query := link(response, "next")) is not None:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        forward.append(rows(response))
    backward = [rows(response)]
    while (query := link(response, "prev")) is not None:
        response = client.get(f"{URL}?{query}")
        backward.append(rows(response))
    return forward, backward


def expected(user, params):
    filters = selectors.candidate_filters(params)
    return list(selectors.search_candidates(user, **filters).values_list("pk", flat=True))


# How a search page is read on PostgreSQL (members.paging.searched_rows): few matches are
# collected at once; past the count's cap it walks the order first, within a budget of rows,
# and collects the matches when the walk found too few.
ROUTES = {"collect": (paging.COUNT_CAP, 1), "walk-then-collect": (1, 1), "walk": (1, 1000)}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("params", [
    {}, {"sort": "-name"}, {"q": "nguyen thi"}, {"q": "nguyen thi", "sort": "-name"},
    {"year": "2025"}, {"q": "an", "branch": "B3"}, {"sort": "birth"}, {"q": "thi", "sort": "due"},
])
def test_next_and_previous_walk_every_candidate_once_in_order(as_user, users, people,
                                                              small_pages, monkeypatch, params,
                                                              route):
    cap, budget = ROUTES[route]
    if params.get("sort", "name") in selectors.KEYSET_SORTS:  # numbered pages stop at the cap
        monkeypatch.setattr(paging, "COUNT_CAP", cap)
    monkeypatch.setattr(paging, "WALK_BUDGET", budget)
    forward, backward = walk(as_user(users.department), params)
    flat = [pk for page in forward for pk in page]
    assert flat == expected(users.department, params)
    assert len(flat) == len(set(flat))
    assert backward == forward[::-1]


def test_the_name_sorts_follow_a_cursor_and_the_others_a_page_number(as_user, users, people,
                                                                     small_pages):
    client = as_user(users.department)
    assert f"{paging.NEXT}=" in link(client.get(URL), "next")
    assert f"{paging.NEXT}=" in link(client.get(URL, {"sort": "-name"}), "next")
    by_birth = client.get(URL, {"sort": "birth"})
    assert "page=2" in link(by_birth, "next")
    assert "Trang 1 / 8" in by_birth.content.decode()


def test_a_secretary_never_sees_another_branch_on_any_page(as_user, users, people, small_pages):
    own = {c.pk for c in people["B1"]}
    client = as_user(users.secretary)
    for params in [{}, {"q": "nguyen thi"}, {"sort": "-name"}, {"branch": "B3"},
                   {"q": "an", "branch": "B3"}, {"sort": "stage"}]:
        forward, _ = walk(client, params)
        assert {pk for page in forward for pk in page} <= own, params
    forward, _ = walk(client, {"q": "nguyen thi"})
    assert {pk for page in forward for pk in page} == {
        c.pk for c in people["B1"] if "Nguyễn Thị" in c.full_name}


def test_a_cccd_is_matched_exactly_inside_the_scope(as_user, users, tree):
    wanted = make(tree.b1, "Vũ Thị Mai", 1, citizen_id="001195000123")
    make(tree.b1, "Vũ Thị Mai", 2, citizen_id="001195000124")
    outside = make(tree.b3, "Vũ Thị Mai", 3, citizen_id="001195000125")
    client = as_user(users.secretary)
    with CaptureQueriesContext(connection) as ctx:
        assert rows(client.get(URL, {"q": "001195000123"})) == [wanted.pk]
    listing = [q["sql"] for q in ctx.captured_queries if "recruitment_candidate" in q["sql"]]
    assert listing and not any("LIKE" in sql.upper() for sql in listing)
    assert rows(client.get(URL, {"q": outside.citizen_id})) == []
    assert rows(client.get(URL, {"q": "00119500012"})) == []


@pytest.mark.parametrize("cursor", [
    "garbage", "|", "Nguyễn|", "nguyen|abc", "nguyen|-3", "nguyen|٣",
    "nguyen|99999999999999999999999", "x" * 500 + "|1",
])
@pytest.mark.parametrize("param", [paging.NEXT, paging.PREVIOUS])
@pytest.mark.parametrize("sort", ["name", "-name", "birth"])
def test_a_tampered_cursor_gives_the_first_page(as_user, users, people, param, cursor, sort):
    client = as_user(users.department)
    first = rows(client.get(URL, {"sort": sort}))
    response = client.get(URL, {param: cursor, "sort": sort})
    assert response.status_code == 200
    assert rows(response) == first


def _queries(client, query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return len(ctx.captured_queries), link(response, "next")


@pytest.mark.parametrize("query", ["", "q=nguyen+thi", "sort=-name", "q=thi&sort=birth"])
def test_every_page_runs_the_same_queries_whatever_the_list_length(as_user, users, tree, query):
    client = as_user(users.department)
    for n in range(2):
        make(tree.b1, "Nguyễn Thị Ánh", n)
    few, _ = _queries(client, query)
    for n in range(60):
        make(tree.b2, "Nguyễn Thị Ánh", n)
        make(tree.b3, "Nguyễn Thị Bích", n)
    first, following = _queries(client, query)
    second, following = _queries(client, following)
    third, _ = _queries(client, following)
    assert first == second == third == few <= 6


def test_changing_the_order_on_a_deep_page_starts_the_new_order_at_its_first_page(
        as_user, users, people, small_pages):
    client = as_user(users.department)
    second = client.get(f"{URL}?{link(client.get(URL), 'next')}")
    headers = re.findall(r'aria-sort="[a-z]+"><a href="\?([^"]*)"', second.content.decode())
    assert headers and all(f"{paging.NEXT}=" not in unescape(h) for h in headers)
