"""The refusal of a pipeline step, in a module of its own because both the services and the
steps' appliers raise it."""


class WorkflowError(Exception):
    """A refused step. `findings` carry the rule code, citation and message of each refusal."""

    def __init__(self, message: str = "", findings=()):
        self.findings = list(findings)
        self.message = message or "; ".join(str(f) for f in self.findings)
        super().__init__(self.message)
