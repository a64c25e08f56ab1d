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
