"""The headcounts file: the staff headcount of units from a date, one row per unit and date; a
row for a date the unit already has corrects that row's count."""
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import selectors
from ..models import Organisation, Role, StaffHeadcount
from .base import SpreadsheetResource
from .columns import CodeWidget, Column, CountWidget, DateWidget

C, FROM, STAFF = "Mã tổ chức", "Từ ngày", "Số cán bộ, công chức"


class HeadcountResource(SpreadsheetResource):
    slug = "headcounts"
    title = gettext_lazy("Số cán bộ, công chức")
    import_roles = (Role.ORG_DEPARTMENT,)

    organisation = Column(C, "organisation", CodeWidget(Organisation, "code"), required=True,
                          lookup=True, example="{branch}")
    valid_from = Column(FROM, "valid_from", DateWidget(), required=True, example="01/01/2025",
                        note=gettext_lazy("Số cán bộ, công chức giữ từ ngày này đến dòng sau "
                                          "của cùng đơn vị."))
    staff = Column(STAFF, "staff", CountWidget(), required=True, example="25")

    class Meta:
        model = StaffHeadcount
        fields = ("organisation", "valid_from", "staff")
        import_id_fields = ("organisation", "valid_from")

    def export_queryset(self, user, params):
        units = selectors.organisations_visible_to(user)
        root_code = (params.get("root") or "").strip()
        if root_code:
            units = selectors.get_visible_or_404(units, code=root_code).descendants(
                include_self=True)
        q = (params.get("q") or "").strip()
        if q:
            units = units.filter(Q(name__icontains=q) | Q(code__iexact=q))
        return (StaffHeadcount.objects.filter(organisation__in=units)
                .select_related("organisation")
                .order_by("organisation__path", "valid_from"))

    def row_key(self, row):
        code, day = row.values.get(C), row.values.get(FROM)
        return (C, (code.casefold(), day)) if code and day else None

    def plan(self, batch):
        rows = batch.good_rows()
        units = batch.organisations_for(rows, C)
        stored = {(h.organisation_id, h.valid_from): h for h in batch.fetch(
            StaffHeadcount.objects.all(), "organisation_id", [u.pk for u in units.values()])}
        plan = batch.state
        plan.update(new=[], changed=[])
        for row in rows:
            unit = units.get(row.values[C])
            if unit is None or not batch.not_future(row, (FROM,)):
                continue
            staff, day = row.values[STAFF], row.values[FROM]
            existing = stored.get((unit.pk, day))
            if existing is None:
                plan["new"].append(StaffHeadcount(organisation=unit, valid_from=day, staff=staff,
                                                  actor=batch.actor, imported=True))
                batch.will_create(row)
            elif existing.staff != staff:
                batch.will_change(row, self.render(existing))
                existing.staff, existing.actor, existing.imported = staff, batch.actor, True
                plan["changed"].append(existing)
            else:
                batch.unchanged += 1

    def apply(self, batch):
        plan = batch.state
        if plan["new"]:
            StaffHeadcount.objects.bulk_create(plan["new"], batch_size=500)
        if plan["changed"]:
            now = timezone.now()  # bulk_update skips auto_now
            for row in plan["changed"]:
                row.recorded_at = now
            StaffHeadcount.objects.bulk_update(
                plan["changed"], ["staff", "actor", "imported", "recorded_at"], batch_size=500)
