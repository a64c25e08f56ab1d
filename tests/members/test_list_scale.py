"""The member list at a country's size: the scope is read first and the name among it, a
CCCD is matched exactly, and pages follow a cursor on (full_name, id) instead of an OFFSET,
so a deep page costs what the first costs. Same rows as the plain query, on SQLite and on
PostgreSQL (where the search takes its own route: members.paging.searched_rows)."""
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import paging, selectors
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

URL = reverse("members:member_list")
# Three names shared by several people (ties on full_name), spread over two branches.
NAMES = ["Nguyễn Thị Hoa", "Nguyễn Thị Hoa", "Nguyễn Thị Hoa", "Trần Văn Nam", "Trần Văn Nam",
         "Lê Thị Thu", "Nguyễn Thị Hòa", "Bùi Nguyễn Thị Lan", "Đỗ Văn An", "Nguyễn Văn An",
         "Phạm Thị Nguyệt", "Nguyễn Thị Hoa"]


@pytest.fixture
def small_pages(settings):
    settings.PAGE_SIZE = 3


@pytest.fixture
def people(tree):
    """The same names in branch B1 and in branch B3 (another grassroots committee)."""
    return {branch.code: [MemberFactory(full_name=name, organisation=branch) for name in NAMES]
            for branch in (tree.b1, tree.b3)}


def rows(response):
    return [m.pk for m in response.context["page"]]


def link(response, rel):
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
    return unescape(found.group(1)) if found else None


def walk(client, params=None):
    """Every page from the first by "Trang sau", then back by "Trang trước": (forward rows,
    backward rows, pages)."""
    response = client.get(URL, params or {})
    assert response.status_code == 200
    forward, pages = [rows(response)], 1
    while (query := link(response, "next")) is not None:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        forward.append(rows(response))
        pages += 1
    backward = [rows(response)]
    while (query := link(response, "prev")) is not None:
        response = client.get(f"{URL}?{query}")
        backward.append(rows(response))
    return forward, backward, pages


def expected(user, **filters):
    """What the list held before keyset pages: the plain filtered query, in its order."""
    return list(selectors.search_members(user, **{"q": "", "branch": "", "status": "",
                                                  **filters}).values_list("pk", flat=True))


# How a search page is read on PostgreSQL (members.paging.searched_rows): few matches are
# collected at once; past the count's cap it walks the order first, within a budget of rows,
# and collects the matches when the walk found too few.
ROUTES = {"collect": (paging.COUNT_CAP, 1), "walk-then-collect": (1, 1), "walk": (1, 1000)}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("params", [{}, {"q": "nguyen thi"}, {"q": "HOA"}, {"status": "official"},
                                    {"q": "nguyen", "branch": "B3"}])
def test_next_and_previous_walk_every_row_once_in_order(as_user, users, people, small_pages,
                                                        monkeypatch, params, route):
    cap, budget = ROUTES[route]
    monkeypatch.setattr(paging, "COUNT_CAP", cap)
    monkeypatch.setattr(paging, "WALK_BUDGET", budget)
    client = as_user(users.department)
    forward, backward, pages = walk(client, params)
    flat = [pk for page in forward for pk in page]
    assert flat == expected(users.department, **params)
    assert len(flat) == len(set(flat))
    assert pages == max(1, -(-len(flat) // 3))
    # Back from the last page by "Trang trước" gives the same pages in reverse.
    assert backward == forward[::-1]


def test_a_search_finds_what_the_plain_query_finds_without_diacritics(as_user, users, people):
    client = as_user(users.department)
    for q in ["nguyen thi hoa", "Nguyễn Thị", "hoa", "nguyet", "an", "van nam", "xyz"]:
        response = client.get(URL, {"q": q})
        assert rows(response) == expected(users.department, q=q)[:25]
    # Hoa ×4 and Hòa in each branch: the search ignores the tone marks.
    assert len(rows(client.get(URL, {"q": "nguyen thi hoa"}))) == 10


def test_a_secretary_never_sees_another_branch_on_any_page(as_user, users, people, tree,
                                                           small_pages):
    own = {m.pk for m in people["B1"]}
    client = as_user(users.secretary)
    for params in [{}, {"q": "nguyen thi"}, {"q": people["B3"][0].card_number},
                   {"branch": "B3"}, {"q": "nguyen", "branch": "B3"}]:
        forward, _, _ = walk(client, params)
        seen = {pk for page in forward for pk in page}
        assert seen <= own, params
    forward, _, _ = walk(client, {"q": "nguyen thi"})
    assert {pk for page in forward for pk in page} == {
        m.pk for m in people["B1"] if "Nguyễn Thị" in m.full_name}


def test_a_cursor_from_another_branch_shows_nothing_outside_the_scope(as_user, users, people):
    stranger = people["B3"][0]
    cursor = f"{stranger.full_name}|{stranger.pk}"
    response = as_user(users.secretary).get(URL, {paging.NEXT: cursor})
    assert set(rows(response)) <= {m.pk for m in people["B1"]}


def test_a_cccd_is_matched_exactly_and_by_its_index(as_user, users, tree):
    wanted = MemberFactory(full_name="Vũ Thị Mai", organisation=tree.b1, citizen_id="001190000123")
    MemberFactory(full_name="Vũ Thị Mai", organisation=tree.b1, citizen_id="001190000124")
    client = as_user(users.department)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"q": "001190000123"})
    assert rows(response) == [wanted.pk]
    listing = [q["sql"] for q in ctx.captured_queries if "members_member" in q["sql"]]
    assert listing and not any("LIKE" in sql.upper() for sql in listing)
    assert rows(client.get(URL, {"q": "00119000012"})) == []  # a part of a number is no match
    # A card number is still found, in any case.
    assert rows(client.get(URL, {"q": wanted.card_number})) == [wanted.pk]


def test_the_cccd_of_someone_outside_the_scope_finds_nothing(as_user, users, tree):
    MemberFactory(organisation=tree.b3, citizen_id="001190000125")
    assert rows(as_user(users.secretary).get(URL, {"q": "001190000125"})) == []


@pytest.mark.parametrize("cursor", [
    "garbage", "|", "||", "Nguyễn|", "|12", "Nguyễn|abc", "Nguyễn|-3", "Nguyễn|1.5",
    "Nguyễn|٣", "Nguyễn|99999999999999999999999", "x" * 500 + "|1", "Nguyễn Thị Hoa|0",
])
@pytest.mark.parametrize("param", [paging.NEXT, paging.PREVIOUS])
def test_a_tampered_cursor_gives_a_page_never_an_error(as_user, users, people, param, cursor):
    client = as_user(users.department)
    first = rows(client.get(URL))
    response = client.get(URL, {param: cursor})
    assert response.status_code == 200
    if not re.fullmatch(r".+\|\d{1,18}", cursor):  # what does not parse is the first page
        assert rows(response) == first


def test_a_link_keeps_the_search_and_the_filters(as_user, users, people, small_pages):
    response = as_user(users.department).get(URL, {"q": "nguyen", "status": "official"})
    query = link(response, "next")
    assert "q=nguyen" in query and "status=official" in query and f"{paging.NEXT}=" in query
    assert "page=" not in query


def test_a_deep_page_is_read_from_the_cursor_not_by_offset(as_user, users, people, small_pages):
    client = as_user(users.department)
    query = link(client.get(URL), "next")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{URL}?{query}")
    assert not any("OFFSET" in q["sql"].upper() for q in ctx.captured_queries)


def _queries(client, query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return len(ctx.captured_queries), link(response, "next")


@pytest.mark.parametrize("q", ["", "nguyen+thi", "001190000123"])
def test_every_page_runs_the_same_queries_whatever_the_list_length(as_user, users, tree, q):
    client = as_user(users.department)
    MemberFactory.create_batch(2, full_name="Nguyễn Thị Ánh", organisation=tree.b1)
    few, _ = _queries(client, f"q={q}")
    MemberFactory.create_batch(60, full_name="Nguyễn Thị Ánh", organisation=tree.b2)
    MemberFactory.create_batch(60, full_name="Nguyễn Thị Bích", organisation=tree.b3)
    first, query = _queries(client, f"q={q}")
    assert first == few <= 7
    if q != "001190000123":  # a long list: the pages after the first cost the same
        assert query is not None
        second, query = _queries(client, query)
        third, _ = _queries(client, query)
        assert second == third == few
