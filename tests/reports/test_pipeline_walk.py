"""A candidate walked through the real pipeline services shows up in the report figures:
the report reads what the services write."""
from datetime import date

import pytest

from reports import periods
from reports.selectors import compute_figures
from tests.recruitment.conftest import branch_members, candidate, walk  # noqa: F401

pytestmark = pytest.mark.django_db


def figures(org, label):
    return compute_figures(org, periods.resolve(org, label), today=date(2025, 12, 1))


def test_a_walked_candidate_is_counted_in_each_figure_in_its_year(tree, candidate, walk):  # noqa: F811
    before_2024, before_2025 = figures(tree.gc1, "2024"), figures(tree.gc1, "2025")
    walk(candidate)
    after_2024, after_2025 = figures(tree.gc1, "2024"), figures(tree.gc1, "2025")

    def added(before, after, *names):
        return tuple(getattr(after, n) - getattr(before, n) for n in names)

    assert added(before_2024, after_2024, "sympathisers", "youth_introduced", "admitted",
                 "youth_admitted", "women") == (1, 1, 1, 1, 1)
    assert added(before_2025, after_2025, "recognised", "probation_ended", "admitted") == (
        1, 1, 0)
    assert after_2025.pipeline_total == before_2025.pipeline_total - 1  # now official
