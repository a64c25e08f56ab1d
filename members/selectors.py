"""Read queries, always scoped to the user first.

A user sees the union of the subtrees of the organisations where they hold a role; an
object outside it does not exist for them (views answer 404, never 403).
"""
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import history
from .models import (
    PATH_STEP,
    ImportJob,
    Member,
    MemberStatus,
    Organisation,
    Role,
    RoleGrant,
    fold,
    subtree_q,
)


def grants_of(user) -> list[RoleGrant]:
    """The user's role grants with their organisations; one query, remembered on the user."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_role_grants"):
        user._role_grants = list(
            RoleGrant.objects.filter(user=user).select_related("organisation")
            .order_by("organisation__path", "role")
        )
    return user._role_grants


def roles_of(user) -> set[str]:
    roles = {g.role for g in grants_of(user)}
    if user.is_authenticated and user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


def sees_everything(user) -> bool:
    return user.is_authenticated and user.is_superuser


def roles_over(user, organisation) -> set[str]:
    """The roles the user holds over an organisation: granted at it or at one above it."""
    if sees_everything(user):
        return set(Role.values)
    return {g.role for g in grants_of(user) if organisation.path.startswith(g.organisation.path)}


def scope_roots(user, role: str | None = None) -> list[Organisation]:
    """The topmost organisations of the user's scope (nested grants collapse into one)."""
    orgs = sorted(
        {g.organisation.pk: g.organisation for g in grants_of(user)
         if role is None or g.role == role}.values(),
        key=lambda o: o.path,
    )
    roots: list[Organisation] = []
    for org in orgs:
        if not any(org.path.startswith(r.path) for r in roots):
            roots.append(org)
    return roots


def _scope_q(user, prefix: str) -> Q:
    if sees_everything(user):
        return Q()
    return subtree_q(scope_roots(user), prefix=prefix)


def organisations_visible_to(user):
    return Organisation.objects.filter(_scope_q(user, ""))


def branches_visible_to(user):
    return organisations_visible_to(user).branches()


def members_visible_to(user):
    return Member.objects.filter(_scope_q(user, "organisation__")).select_related("organisation")


def sees_whole_trees(user) -> bool:
    """Whether the user's scope is whole trees (a root organisation, or everything): their
    lists are as long as the table, which decides how a search reads them (members.paging)."""
    return sees_everything(user) or any(r.parent_id is None for r in scope_roots(user))


def can_see(user, organisation: Organisation) -> bool:
    return sees_everything(user) or any(
        organisation.path.startswith(r.path) for r in scope_roots(user)
    )


def get_visible_or_404(queryset, **lookup):
    """Fetch one object from an already scoped queryset; outside the scope it is a 404."""
    return get_object_or_404(queryset, **lookup)


def top_organisations_for(user):
    """Where the tree browser starts: the roots of the tree, or of the user's scope."""
    if sees_everything(user):
        return list(Organisation.objects.filter(parent__isnull=True))
    return scope_roots(user)


def member_counts_by_child(organisation: Organisation) -> dict[str, dict[str, int]]:
    """Active members in each child's subtree, keyed by the child's path; one grouped query."""
    child_len = len(organisation.path) + PATH_STEP
    rows = (
        Member.objects.active().in_subtree_of(organisation)
        .exclude(organisation=organisation)
        .annotate(child_path=Substr("organisation__path", 1, child_len))
        .values("child_path")
        .annotate(
            total=Count("pk"),
            official=Count("pk", filter=Q(status=MemberStatus.OFFICIAL)),
            probationary=Count("pk", filter=Q(status=MemberStatus.PROBATIONARY)),
        )
        .order_by()
    )
    return {r["child_path"]: r for r in rows}


def member_totals(organisation: Organisation) -> dict[str, int]:
    return Member.objects.active().in_subtree_of(organisation).aggregate(
        total=Count("pk"),
        official=Count("pk", filter=Q(status=MemberStatus.OFFICIAL)),
        probationary=Count("pk", filter=Q(status=MemberStatus.PROBATIONARY)),
    )


def member_filters(params) -> dict:
    """The member list's filters from a query string (the page and its export read the same)."""
    status = params.get("status", "")
    return {"q": (params.get("q") or "").strip(), "branch": (params.get("branch") or "").strip(),
            "status": status if status in MemberStatus.values else ""}


def is_citizen_id(text: str) -> bool:
    """A whole CCCD number (12 digits): searched by its unique index, not among the names."""
    return len(text) == 12 and text.isascii() and text.isdigit()


def member_search(user, *, q: str = "", branch: str = "", status: str = ""):
    """The member list as (rows, name_match): `rows` is scoped to the user first, then
    filtered; `name_match` is the condition a search by name adds (None when there is none,
    or when the text is a CCCD or card number, matched exactly in `rows`). Kept apart so the
    list page can read the scope's rows first and the names among them (members.paging)."""
    qs = members_visible_to(user)
    if branch:
        qs = qs.filter(organisation__code=branch)
    if status:
        qs = qs.filter(status=status)
    q = q.strip()
    if not q:
        return qs, None
    if is_citizen_id(q):
        # Digits only: `UPPER(card_number) = q` is `card_number = q`, and a name holds no
        # 12-digit number; both sides are unique indexes.
        return qs.filter(Q(citizen_id=q) | Q(card_number=q)), None
    return qs, Q(search_name__contains=fold(q)) | Q(card_number__iexact=q) | Q(citizen_id=q)


MEMBER_ORDER = ("full_name", "pk")


def search_members(user, *, q: str = "", branch: str = "", status: str = ""):
    qs, name_match = member_search(user, q=q, branch=branch, status=status)
    if name_match is not None:
        qs = qs.filter(name_match)
    return qs.order_by(*MEMBER_ORDER)


def import_jobs_visible_to(user):
    """An import job is seen by the user who uploaded it."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=user)


def person_history(user, person, *, limit: int = history.HISTORY_LIMIT) -> history.HistoryPage:
    """The change history of a member or candidate the user may see (else 404, as their page);
    import jobs are linked only where the user may open them."""
    if not can_see(user, person.organisation):
        raise Http404

    def may_open(ids):
        return import_jobs_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)

    return history.changes_of(person, may_open_jobs=may_open, limit=limit)


def branches_under_roles(user, roles):
    """The branches in the subtrees where the user holds one of `roles` (every branch for a
    superuser): where a page lets them move a member to."""
    if sees_everything(user):
        return Organisation.objects.branches()
    roots = [r for role in roles for r in scope_roots(user, role)]
    if not roots:
        return Organisation.objects.none()
    return Organisation.objects.filter(subtree_q(roots)).branches()
