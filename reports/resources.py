"""The `targets` spreadsheet of spec/import-format.md as a django-import-export resource:
admission targets per organisation for a year or for a term, imported in bulk by the engine
of `members/importing.py` and exported in the same layout."""
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import selectors
from members.models import Organisation, Role
from members.resources import CodeWidget, Column, CountWidget, SpreadsheetResource

from .models import Target

ORG, YEAR, TERM, ADMISSIONS = "Mã tổ chức", "Năm", "Nhiệm kỳ", "Chỉ tiêu kết nạp"


class TargetResource(SpreadsheetResource):
    slug = "targets"
    title = gettext_lazy("Chỉ tiêu kết nạp")
    import_roles = (Role.ORG_DEPARTMENT,)

    organisation = Column(ORG, "organisation", CodeWidget(Organisation, "code"), required=True,
                          lookup=True, example="{branch}")
    year = Column(YEAR, "year", CountWidget(), example="2026",
                  note=gettext_lazy("Ghi năm, hoặc nhiệm kỳ (một trong hai)."))
    term = Column(TERM, "term", example="",
                  note=gettext_lazy("Ví dụ 2025-2030; để trống khi đã ghi năm."))
    admissions = Column(ADMISSIONS, "admissions", CountWidget(), required=True, example="12")

    class Meta:
        model = Target
        fields = ("organisation", "year", "term", "admissions")

    def export_queryset(self, user, params):
        """The targets the user sees; with `root`, that unit and the units directly under it
        (as on the targets page), with `nhiem_ky` the years of that term and the term."""
        visible = selectors.organisations_visible_to(user)
        qs = Target.objects.filter(organisation__in=visible)
        root_code = (params.get("root") or "").strip()
        if root_code:
            root = selectors.get_visible_or_404(visible, code=root_code)
            qs = qs.filter(Q(organisation=root) | Q(organisation__parent=root))
        label = (params.get("nhiem_ky") or "").strip()
        if label:
            try:
                first, last = (int(y) for y in label.split("-"))
            except ValueError:
                first, last = 0, -1
            qs = qs.filter(Q(year__gte=first, year__lte=last) | Q(term=label))
        return qs.select_related("organisation").order_by("organisation__path", "term", "year")

    def row_key(self, row):
        v = row.values
        if not v.get(ORG):
            return None
        return ORG, (v[ORG].casefold(), v.get(YEAR), v.get(TERM) or "")

    def plan(self, batch):
        rows = batch.good_rows()
        orgs = batch.organisations_for(rows, ORG)
        existing = {(t.organisation_id, t.year, t.term): t for t in batch.fetch(
            Target.objects.select_related("organisation"), "organisation_id",
            {o.pk for o in orgs.values()})}
        batch.state.update(new=[], changed=[])
        for row in rows:
            v = row.values
            org = orgs.get(v[ORG])
            if org is None:
                continue
            year, term = v.get(YEAR), v.get(TERM) or ""
            if bool(year) == bool(term):
                batch.error(row, YEAR, _("ghi Năm hoặc Nhiệm kỳ, một trong hai."))
                continue
            if year is not None and year < 1930:
                batch.error(row, YEAR, _("năm %(y)s không hợp lệ.") % {"y": year})
                continue
            current = existing.get((org.pk, year, term))
            if current is not None and not self.differs(current, row, batch.present):
                batch.unchanged += 1
                continue
            target = current or Target(organisation=org, year=year, term=term)
            target.admissions, target.set_by = v[ADMISSIONS], batch.actor
            target.updated_at = timezone.now()
            batch.state["changed" if current else "new"].append(target)
            if current:
                batch.updated += 1
            else:
                batch.created += 1

    def apply(self, batch):
        Target.objects.bulk_create(batch.state["new"], batch_size=500)
        if batch.state["changed"]:
            Target.objects.bulk_update(batch.state["changed"],
                                       ["admissions", "set_by", "updated_at"], batch_size=500)
