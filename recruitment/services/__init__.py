"""Every write that moves a candidate or a class (the pipeline and the training classes)."""
from .appliers import APPLY  # noqa: F401
from .errors import WorkflowError  # noqa: F401
from .pipeline import (  # noqa: F401
    HANDOVER_CHAINS,
    action_choices,
    add_candidate,
    available_actions,
    duty_conflict,
    perform,
    registered_official,
    roles_for,
    working_days_left,
)
from .training import (  # noqa: F401,E402
    ResultRow,
    TrainingError,
    eligibility_problem,
    enrol,
    nominate,
    open_class,
    record_results,
)
