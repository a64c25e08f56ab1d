"""A dossier entered from its paper file in one go: the person enters the source pool and
every step already done on paper is taken after it, by the same `perform` as step by step,
in one transaction (a refused step keeps nothing of the dossier)."""
from django.db import transaction

from .entry import add_candidate
from .errors import WorkflowError
from .pipeline import perform


class StepRefused(WorkflowError):
    """`perform` refused the `index`-th step written (its findings and message kept)."""

    def __init__(self, index: int, error: WorkflowError):
        super().__init__(error.message, error.findings)
        self.index = index


@transaction.atomic
def enter_paper_file(*, actor, candidate, steps) -> list:
    """Adds `candidate` to its branch's source pool, then takes `steps`, a list of
    (action code, the step form's cleaned data) in the order they were taken on paper.
    Returns the events written; raises StepRefused naming the step a rule refused."""
    candidate = add_candidate(actor=actor, candidate=candidate)
    events = []
    for index, (code, data) in enumerate(steps):
        try:
            events.append(perform(code, candidate=candidate, actor=actor,
                                  event_date=data["event_date"], data=data))
        except WorkflowError as err:
            raise StepRefused(index, err) from err
    return events
