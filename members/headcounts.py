"""Staff headcounts by date: which count is in force on a day (one subquery, so a list of units
reads every count in the same query) and the one service that records a count from a date, for
the department's page and the imports alike."""
from datetime import date

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .models import Organisation, Role, StaffHeadcount, subtree_bounds, subtree_q


class HeadcountError(Exception):
    """A headcount that cannot be recorded; the message says why, in Vietnamese."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def staff_on(day: date | None = None, *, value: str = "staff", outer: str = "pk") -> Subquery:
    """The headcount in force on `day` (today by default) of the unit `outer` points at: the
    row of the latest date not after it; None when the unit has none. `value="valid_from"`
    gives the date that row holds from."""
    day = day or timezone.localdate()
    return Subquery(StaffHeadcount.objects.filter(
        organisation=OuterRef(outer), valid_from__lte=day,
    ).order_by("-valid_from").values(value)[:1])


def subtree_headcounts(path: str, day: date) -> dict[int, tuple[int | None, date | None]]:
    """Each unit of the subtree that records headcounts, with the headcount in force on `day`
    (the row with the latest date not after it) as (staff, valid_from), or (None, None) when
    its first headcount comes later: that unit's share cannot be computed for `day`. The same
    rule as `staff_on`, read for a whole subtree in one query over its headcount rows."""
    low, high = subtree_bounds(path)
    rows = StaffHeadcount.objects.filter(
        organisation__path__gte=low, organisation__path__lt=high,
    ).order_by("organisation_id", "valid_from").values_list("organisation_id", "staff",
                                                            "valid_from")
    found: dict[int, tuple[int | None, date | None]] = {}
    for pk, staff, since in rows:
        if since <= day:
            found[pk] = (staff, since)  # the latest row not after `day` wins
        else:
            found.setdefault(pk, (None, None))
    return found


def staff_by_unit(organisations, day: date | None = None) -> dict[int, int]:
    """Unit pk → headcount in force on `day`, for the given units; one query."""
    ids = [o.pk for o in organisations]
    if not ids:
        return {}
    return {pk: staff for pk, staff in Organisation.objects.filter(pk__in=ids).annotate(
        staff=staff_on(day)).values_list("pk", "staff") if staff is not None}


def units_for(user):
    """The units whose headcount the user records: the subtrees where they hold the
    organisation department's role (every unit for a superuser)."""
    if selectors.sees_everything(user):
        return Organisation.objects.all()
    roots = selectors.scope_roots(user, Role.ORG_DEPARTMENT)
    if not roots:
        return Organisation.objects.none()
    return Organisation.objects.filter(subtree_q(roots))


@transaction.atomic
def record_headcount(*, organisation: Organisation, valid_from: date, staff: int, actor,
                     imported: bool = False) -> tuple[StaffHeadcount, bool]:
    """The unit's headcount from `valid_from` until its next row: a new row, or the row of that
    date corrected. Returns (row, created)."""
    if valid_from > timezone.localdate():
        raise HeadcountError(_("Ngày %(day)s là ngày trong tương lai.")
                             % {"day": valid_from.strftime("%d/%m/%Y")}, "valid_from")
    if staff < 0:
        raise HeadcountError(_("Số cán bộ, công chức không thể âm."), "staff")
    row, created = StaffHeadcount.objects.select_for_update().get_or_create(
        organisation=organisation, valid_from=valid_from,
        defaults={"staff": staff, "actor": actor, "imported": imported})
    if not created:
        row.staff, row.actor, row.imported = staff, actor, imported
        row.save(update_fields=["staff", "actor", "imported", "recorded_at"])
    return row, created
