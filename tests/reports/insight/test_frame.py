"""The way into the insight and what the four views share: who sees it, the navigation, and
the figures of a large scope kept by the worker (reports.insight.snapshots)."""
import pickle
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.rules import today
from reports import views
from reports.insight import snapshots
from reports.insight.common import Scope, units_of
from reports.models import InsightSnapshot
from reports.periods import current_term

pytestmark = pytest.mark.django_db


def _nav(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_leadership_and_department_find_the_insight_in_the_navigation(as_user, users):
    for user in (users.leader, users.department):
        page = _nav(as_user(user))
        assert f'href="{reverse("reports:insight")}"' in page and "Phân tích" in page
    for user in (users.secretary, users.office):
        assert f'href="{reverse("reports:insight")}"' not in _nav(as_user(user))


def test_the_insight_opens_on_the_users_topmost_organisation(as_user, users, tree):
    response = as_user(users.leader).get(reverse("reports:insight"))
    assert response.status_code == 302
    assert response.url == reverse("reports:insight_aging", args=[tree.root.code])


def test_other_roles_may_not_open_it(as_user, users, tree):
    client = as_user(users.secretary)
    assert client.get(reverse("reports:insight")).status_code == 403
    assert client.get(reverse("reports:insight_annex", args=[tree.b1.code, "pdf"])
                      ).status_code == 403


def test_an_organisation_outside_the_scope_is_not_found(as_user, users, tree):
    from members.models import Role
    from tests.factories import UserFactory, grant

    user = UserFactory(username="lanhdao_gc2")
    grant(user, Role.LEADERSHIP, tree.gc2)
    client = as_user(user)
    assert client.get(reverse("reports:insight_annex", args=[tree.gc1.code, "pdf"])
                      ).status_code == 404
    assert client.get(reverse("reports:insight")).url.endswith(f"/{tree.gc2.code}/aging/")


def test_a_bad_period_is_not_found(as_user, users, tree):
    url = reverse("reports:insight_annex", args=[tree.root.code, "pdf"])
    for bad in ("abc", "1800", "2020-2025x", "2025-2020"):
        assert as_user(users.leader).get(f"{url}?ky={bad}").status_code == 404


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(views, "INLINE_MAX_BRANCHES", 1)


def _scope(org):
    period = current_term(org, today())
    return Scope(org, period, today(), units_of(org, period))


def test_a_large_scope_is_queued_once_and_read_when_computed(
        tree, large, django_capture_on_commit_callbacks):
    scope = _scope(tree.root)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = snapshots.read("units", scope)
        second = snapshots.read("units", scope)
    assert first.pending and second.pending
    assert len(queued) == 1 and InsightSnapshot.objects.count() == 1
    row = InsightSnapshot.objects.get()
    assert (row.view, row.period, row.data) == ("units", scope.period.label, None)
    # The worker's result is what the next page reads, with the time it was computed.
    InsightSnapshot.objects.filter(pk=row.pk).update(
        data=pickle.dumps({"kept": 7}), computed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        kept = snapshots.read("units", scope)
    assert kept.figures == {"kept": 7} and kept.computed_at is not None and not queued


def test_yesterdays_figures_are_shown_while_one_renewal_is_queued(
        tree, large, django_capture_on_commit_callbacks):
    scope = _scope(tree.root)
    yesterday = timezone.now() - timedelta(days=1)
    InsightSnapshot.objects.create(
        organisation=tree.root, view="aging", period=scope.period.label, params="",
        as_of=scope.as_of - timedelta(days=1), computed_at=yesterday, queued_at=yesterday,
        data=pickle.dumps({"old": True}))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        reads = [snapshots.read("aging", scope) for _ in range(3)]
    assert all(r.figures == {"old": True} for r in reads)
    assert len(queued) == 1  # renewed once a day, not on every view


def test_a_small_scope_is_computed_while_the_page_loads(tree):
    from reports.insight.cohorts import CohortFigures

    read = snapshots.read("cohorts", _scope(tree.b1))
    assert isinstance(read.figures, CohortFigures) and read.computed_at is None
    assert not InsightSnapshot.objects.exists()


def test_a_page_waiting_for_the_worker_says_so_and_when_none_runs(
        as_user, users, tree, large, django_capture_on_commit_callbacks):
    url = reverse("reports:insight_units", args=[tree.root.code])
    with django_capture_on_commit_callbacks(execute=False):
        page = as_user(users.leader).get(url).content.decode()
    assert "đang được tính trong nền" in page and 'http-equiv="refresh"' in page
    assert "Chưa có tiến trình nền nào đang chạy" in page  # no heartbeat in the tests
