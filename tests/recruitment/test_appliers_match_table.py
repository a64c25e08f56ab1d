"""The workflow table and the appliers are keyed by the same codes: a step without an applier,
or an applier without a step, stops the app from loading."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from recruitment import services, workflow
from recruitment.services import appliers
from recruitment.workflow import Action


def codes_applied():
    return {a.code for a in workflow.ACTIONS} - {"add_to_pool"}


def test_every_step_but_adding_to_the_pool_has_an_applier():
    assert codes_applied() <= set(appliers.APPLY)


def test_every_applier_is_for_a_step_of_the_table():
    assert set(appliers.APPLY) <= codes_applied()


def test_the_services_apply_through_the_same_appliers():
    assert services.APPLY is appliers.APPLY


def test_a_step_added_to_the_table_without_an_applier_is_refused():
    new_step = Action("new_step", "Bước mới", ("source_pool",), None, ("branch_secretary",))
    with pytest.raises(ImproperlyConfigured, match="new_step"):
        appliers.check_appliers([*workflow.ACTIONS, new_step], appliers.APPLY)


def test_an_applier_for_no_step_is_refused():
    with pytest.raises(ImproperlyConfigured, match="forgotten_step"):
        appliers.check_appliers(workflow.ACTIONS,
                                {**appliers.APPLY, "forgotten_step": lambda c, ctx, actor: None})


def test_adding_to_the_pool_needs_no_applier():
    appliers.check_appliers(workflow.ACTIONS, appliers.APPLY)
    assert "add_to_pool" not in appliers.APPLY
