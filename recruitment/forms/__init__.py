"""Forms of the recruitment app: the candidate form, one per pipeline step, and the
training-class forms."""
from .candidate import STAGE_CHOICES, CandidateForm  # noqa: F401
from .pipeline import (  # noqa: F401
    FORMS,
    ActionForm,
    DateInput,
    date_field,
    grassroots_of,
    members_near,
)
from .training import NominationForm, TrainingClassForm  # noqa: F401
