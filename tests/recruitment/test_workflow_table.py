"""The workflow table is the single source of what can happen; everything else follows it."""
from pathlib import Path

from recruitment import forms, rules, services, workflow
from recruitment.models import Stage

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_every_action_has_a_form_and_a_way_to_apply_it():
    for action in workflow.ACTIONS:
        if action.code == "add_to_pool":
            continue
        assert action.code in forms.FORMS, action.code
        assert action.code in services.APPLY, action.code


def test_every_rule_named_in_the_table_exists_with_a_citation():
    for action in workflow.ACTIONS:
        for code in action.rules:
            assert rules.RULES[code].citation


def test_every_open_stage_has_a_way_forward_or_out():
    for stage in Stage:
        if stage in workflow.CLOSED_STAGES:
            continue
        assert workflow.actions_from(stage, has_partial_committee=True), stage


def test_the_committed_workflow_document_matches_the_table():
    from recruitment.management.commands.workflow_doc import render

    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/workflow.md is stale: run `python manage.py workflow_doc`")


# The routes a branch's place in the tree gives its dossiers (workflow.route_facts): a branch
# under a grassroots committee, under a partial committee, a grassroots branch, under a
# committee authorised to admit, and both of the last two but one.
ROUTES = {
    "no facts": frozenset(),
    "partial": frozenset({workflow.PARTIAL}),
    "grassroots branch": frozenset({workflow.GRASSROOTS_BRANCH}),
    "delegated": frozenset({workflow.DELEGATED}),
    "delegated and partial": frozenset({workflow.DELEGATED, workflow.PARTIAL}),
}
ENDINGS = set(workflow.CLOSED_STAGES) - {Stage.OFFICIAL}


def reachable(facts) -> set[str]:
    """The stages a dossier on this route can reach from the source pool."""
    seen, todo = {Stage.SOURCE_POOL.value}, [Stage.SOURCE_POOL.value]
    while todo:
        stage = todo.pop()
        for action in workflow.actions_from(stage, facts=facts):
            for target in action.targets or (action.to_stage,):
                if target and target not in seen:
                    seen.add(target)
                    todo.append(target)
    return seen


def moves_on(action) -> bool:
    """A step forward: the level holding the dossier decides and it leaves the stage (not a
    paper recorded within the stage, a return, or a withdrawal or death)."""
    return action.to_stage is not None and action.kind != workflow.RETURN and not action.by_holder


def test_on_every_route_every_open_stage_it_reaches_has_a_step_forward_and_a_step_to_an_end():
    for route, facts in ROUTES.items():
        for stage in reachable(facts) - set(workflow.CLOSED_STAGES):
            steps = workflow.actions_from(stage, facts=facts)
            assert any(moves_on(a) for a in steps), (route, stage)
            assert any(a.to_stage in ENDINGS for a in steps), (route, stage)


def test_every_stage_is_reached_on_some_route_and_every_closing_stage_too():
    reached = set().union(*(reachable(facts) for facts in ROUTES.values()))
    assert set(Stage.values) <= reached, set(Stage.values) - reached
    assert set(workflow.CLOSED_STAGES) <= reached


def test_a_return_lists_its_targets_and_lands_on_one_of_them():
    for action in workflow.ACTIONS:
        if action.kind == workflow.RETURN:
            assert action.targets and action.to_stage == action.targets[0], action.code
            for target in action.targets:
                assert action.leaves(action.from_stages[0], target) == target


def test_a_step_taken_by_whoever_holds_the_dossier_has_a_holder_at_each_of_its_stages():
    for action in workflow.ACTIONS:
        if action.by_holder:
            for stage in action.from_stages:
                assert action.roles_at(stage), (action.code, stage)
