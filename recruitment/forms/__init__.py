"""Forms of the recruitment app: one per pipeline step, and the training-class forms."""
from .pipeline import (  # noqa: F401
    FORMS,
    STAGE_CHOICES,
    ActionForm,
    CandidateForm,
    DateInput,
    date_field,
    grassroots_of,
    members_near,
)
from .training import NominationForm, TrainingClassForm  # noqa: F401
