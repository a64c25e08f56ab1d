"""Numeric limits are judged with the value in force on the date of the event checked."""
from datetime import date

import pytest

from recruitment import rules, services
from recruitment.models import RuleParameter

from .conftest import step_of


def test_the_value_in_force_on_the_date_is_used():
    params = rules.Parameters([
        RuleParameter(code="CERT_VALID_MONTHS", value=60, effective_from=date(2022, 1, 18)),
        RuleParameter(code="CERT_VALID_MONTHS", value=36, effective_from=date(2027, 1, 1)),
    ])
    assert params.get("CERT_VALID_MONTHS", date(2026, 12, 31)) == 60
    assert params.get("CERT_VALID_MONTHS", date(2027, 1, 1)) == 36
    # Before the first recorded value, the earliest known value applies.
    assert params.get("CERT_VALID_MONTHS", date(2016, 5, 1)) == 60


def test_the_seeded_parameters_carry_their_sources(db):
    row = RuleParameter.objects.get(code="CERT_VALID_MONTHS")
    assert (row.value, row.effective_from) == (60, date(2022, 1, 18))
    assert "06-HD/TW" in row.source


@pytest.mark.parametrize(("effective_from", "refused"), [
    (date(2024, 6, 1), True),    # in force on the vote date (10/06/2024)
    (date(2024, 7, 1), False),   # only later: the vote is judged by the old value
])
def test_a_changed_limit_applies_only_to_events_after_it(candidate, users, walk, branch_members,
                                                        effective_from, refused):
    RuleParameter.objects.create(code="CERT_VALID_MONTHS", value=2,
                                 effective_from=effective_from, source="thử nghiệm")
    walk(candidate, until="branch_vote")
    who, day, data = step_of(branch_members, "branch_vote")
    if refused:
        with pytest.raises(services.WorkflowError) as err:
            services.perform("branch_vote", candidate=candidate, actor=users.secretary,
                             event_date=day, data=data)
        assert [f.code for f in err.value.findings] == ["CERT_VALID"]
    else:
        services.perform("branch_vote", candidate=candidate, actor=users.secretary,
                         event_date=day, data=data)
