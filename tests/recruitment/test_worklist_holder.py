"""Who a sent-up dossier waits for, as the grassroots office sees it: its home link opens only
the dossiers the branches sent up to it, and its worklist says "chờ bạn" for those, keeping
"chờ cấp trên" for the ones above it (STAGE_HOLDER decides)."""
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from members.models import Role
from recruitment.models import Candidate, Stage
from tests.factories import UserFactory, grant

from .conftest import make_candidate


def url(name):
    return reverse(f"recruitment:{name}")


@pytest.fixture
def dossiers(users, tree):
    """One dossier at each level of Đảng bộ Sở Một, an official member, and one dossier of the
    other grassroots committee."""
    other = UserFactory(username="bithu-b3")
    grant(other, Role.BRANCH_SECRETARY, tree.b3)

    def at(stage, name, branch=tree.b1, by=users.secretary):
        c = make_candidate(SimpleNamespace(secretary=by), branch, full_name=name,
                           citizen_id=None)
        Candidate.objects.filter(pk=c.pk).update(stage=stage, due_date=date(2026, 3, 2))
        return c

    return {
        "pool": at(Stage.SOURCE_POOL, "Người Dự Nguồn"),
        "sent_up": at(Stage.AT_GRASSROOTS, "Người Chi Bộ Gửi Lên"),
        "recognition": at(Stage.RECOGNITION_BRANCH_VOTED, "Người Chờ Công Nhận"),
        "upper": at(Stage.AT_UPPER, "Người Chờ Ban Tổ Chức"),
        "official": at(Stage.OFFICIAL, "Người Đã Chính Thức"),
        "elsewhere": at(Stage.AT_GRASSROOTS, "Người Sở Hai", tree.b3, other),
    }


def names(response):
    return sorted(c.full_name for c in response.context["page"])


def test_the_office_home_link_opens_only_what_the_branches_sent_up_to_it(
        as_user, users, dossiers):
    client = as_user(users.office)
    home = client.get("/").content.decode()
    link = url("candidate_list") + "?cho=toi"
    assert f'href="{link}">Hồ sơ các chi bộ gửi lên</a>' in home

    response = client.get(link)
    assert names(response) == ["Người Chi Bộ Gửi Lên", "Người Chờ Công Nhận"]
    page = response.content.decode()
    assert '<input type="checkbox" name="cho" value="toi" checked>' in page
    assert "Đang lọc: chỉ các hồ sơ đang ở bước do bạn giữ" in page
    assert "Người Đã Chính Thức" not in page


def test_without_the_filter_the_office_sees_its_whole_subtree(as_user, users, dossiers):
    response = as_user(users.office).get(url("candidate_list"))
    assert "Người Đã Chính Thức" in names(response)
    assert "Người Sở Hai" not in names(response)
    assert "Đang lọc: chỉ các hồ sơ" not in response.content.decode()


def test_an_unknown_value_of_the_filter_is_ignored(as_user, users, dossiers):
    response = as_user(users.office).get(url("candidate_list"), {"cho": "ai-do"})
    assert response.status_code == 200
    assert "Người Đã Chính Thức" in names(response)


def test_the_secretarys_filter_keeps_the_dossiers_at_the_branch(as_user, users, dossiers):
    response = as_user(users.secretary).get(url("candidate_list"), {"cho": "toi"})
    assert names(response) == ["Người Dự Nguồn"]


def test_the_export_reads_the_same_filter(as_user, users, dossiers):
    from recruitment import selectors

    rows = selectors.search_candidates(users.office, **selectors.candidate_filters(
        {"cho": "toi"}))
    assert sorted(c.full_name for c in rows) == ["Người Chi Bộ Gửi Lên", "Người Chờ Công Nhận"]


def sections(client):
    response = client.get(url("worklist"))
    return ({s["key"]: [c.full_name for c, _ in s["rows"]] for s in response.context["sections"]},
            response.content.decode())


def test_the_office_worklist_says_the_sent_up_dossiers_wait_for_it(as_user, users, dossiers):
    found, page = sections(as_user(users.office))
    assert found["waiting_me"] == ["Người Chi Bộ Gửi Lên"]
    assert found["waiting_upper"] == ["Người Chờ Ban Tổ Chức"]
    assert "Hồ sơ chờ bạn xét, quyết định" in page
    assert "Hồ sơ đang chờ cấp trên xét, quyết định" in page
    assert "Người Sở Hai" not in page


def test_the_secretary_sees_both_as_waiting_for_the_levels_above(as_user, users, dossiers):
    found, _page = sections(as_user(users.secretary))
    assert found["waiting_me"] == []
    assert found["waiting_upper"] == ["Người Chi Bộ Gửi Lên", "Người Chờ Ban Tổ Chức"]


def test_the_department_decides_what_is_at_the_upper_level(as_user, users, dossiers):
    found, _page = sections(as_user(users.department))
    assert found["waiting_me"] == ["Người Chờ Ban Tổ Chức"]
    assert sorted(found["waiting_upper"]) == ["Người Chi Bộ Gửi Lên", "Người Sở Hai"]
