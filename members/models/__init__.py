"""The foundation's tables: the organisation tree, people, roles, import jobs and membership
movements. One module each; every name is re-exported here, so `members.models.X` is the one
import path (migrations name `members.models._import_upload_path`)."""
from .categories import Education, Occupation, Qualification
from .drafts import Draft
from .imports import ImportJob, _import_upload_path
from .people import (
    LeaveReason,
    Member,
    MemberQuerySet,
    MemberStatus,
    Person,
    Sex,
    citizen_id_validator,
)
from .roles import ROLE_ORGANISATION_KINDS, Role, RoleGrant
from .tree import (
    ALLOWED_PARENT_KINDS,
    BRANCH_KINDS,
    MAX_DEPTH,
    PATH_STEP,
    K,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    code_validator,
    fold,
    subtree_bounds,
    subtree_q,
)
from .workers import WorkerHeartbeat

from .movements import Movement, MovementKind  # isort: skip (needs Member)
from .headcounts import FROM_THE_START, StaffHeadcount  # isort: skip (needs Organisation)

__all__ = [
    "ALLOWED_PARENT_KINDS", "BRANCH_KINDS", "Draft", "FROM_THE_START", "Education", "Occupation",
    "Qualification", "StaffHeadcount", "MAX_DEPTH", "PATH_STEP", "ROLE_ORGANISATION_KINDS",
    "ImportJob", "K", "LeaveReason", "Member", "MemberQuerySet", "MemberStatus", "Movement",
    "MovementKind", "Organisation", "OrganisationKind", "OrganisationQuerySet", "Person", "Role",
    "RoleGrant", "Sex", "_import_upload_path", "citizen_id_validator", "code_validator", "fold",
    "subtree_bounds", "subtree_q", "WorkerHeartbeat",
]
