"""Models of the recruitment app: the admission pipeline, the papers of a dossier and the
training classes."""
from .notices import DigestPreference  # noqa: F401
from .numbering import (  # noqa: F401
    ABBREVIATIONS,
    NumberKind,
    NumberSequence,
    RegisteredNumber,
)
from .pipeline import (  # noqa: F401
    CERTIFIED_STAGES,
    Candidate,
    CandidateQuerySet,
    Education,
    EducationExemption,
    Holiday,
    RuleParameter,
    Source,
    Stage,
    StageEvent,
)
from .records import (  # noqa: F401
    Decision,
    DecisionKind,
    Introduction,
    IntroductionKind,
    Relation,
    VerificationRecord,
    Vote,
    VoteKind,
)
from .training import (  # noqa: F401
    ClassKind,
    Enrolment,
    Nomination,
    Result,
    TrainingClass,
)
