"""The figures take the same number of queries for a small subtree and a ten times larger
one: everything is aggregated in the database."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import OrganisationKind as K
from members.models import StaffHeadcount
from reports import periods
from reports.selectors import compute_figures
from tests.factories import MemberFactory, OrganisationFactory

from .conftest import TODAY, admitted, candidate

pytestmark = pytest.mark.django_db


def queries_for(organisation, label="2020-2025"):
    period = periods.resolve(organisation, label)
    with CaptureQueriesContext(connection) as ctx:
        compute_figures(organisation, period, today=TODAY)
    return len(ctx.captured_queries)


def grow(root, branches):
    committee = OrganisationFactory(kind=K.GRASSROOTS_COMMITTEE, parent=root)
    for n in range(branches):
        branch = OrganisationFactory(kind=K.BRANCH, parent=committee)
        StaffHeadcount.objects.create(organisation=branch, valid_from=date(2020, 1, 1), staff=10)
        for m in range(3):
            admitted(branch, f"Đảng viên {n}-{m}", date(2021 + m, 3, 1), youth=bool(m % 2))
            MemberFactory(organisation=branch)
        candidate(branch, f"Quần chúng {n}", stage="sympathiser",
                  awareness_cert_date=date(2022, 5, 1))


def test_the_figures_take_a_fixed_number_of_queries_however_large_the_subtree(known):
    root = known.tree.root
    small = queries_for(root)
    grow(root, 30)
    assert queries_for(root) == small
    assert small <= 20


def test_a_year_report_takes_a_fixed_number_of_queries_too(known, django_assert_max_num_queries):
    root = known.tree.root
    grow(root, 10)
    with django_assert_max_num_queries(20):
        compute_figures(root, periods.resolve(root, "2024"), today=TODAY)
