"""Models of the recruitment app: the admission pipeline and the training classes."""
from .pipeline import (  # noqa: F401
    Candidate,
    CandidateQuerySet,
    Decision,
    DecisionKind,
    Holiday,
    Introduction,
    IntroductionKind,
    Relation,
    RuleParameter,
    Source,
    Stage,
    StageEvent,
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
