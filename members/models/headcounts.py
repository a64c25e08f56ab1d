"""Staff headcounts (số cán bộ, công chức) of a unit by date: each row holds from its date
until the unit's next row, so the share of staff who are members is computed with the
headcount of the period's end date, and a change this year leaves last year's report as it
was."""
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import Organisation

# The date of a headcount known with no date of its own (recorded before headcounts were
# dated, or given in the organisations import): it holds from the start.
FROM_THE_START = date(1930, 2, 3)


class StaffHeadcount(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("tổ chức"),
                                     on_delete=models.PROTECT, related_name="headcounts")
    valid_from = models.DateField(_("từ ngày"))
    staff = models.PositiveIntegerField(_("số cán bộ, công chức"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now=True)
    imported = models.BooleanField(_("nhập từ tệp"), default=False)

    class Meta:
        verbose_name = _("số cán bộ, công chức")
        verbose_name_plural = _("số cán bộ, công chức")
        ordering = ["organisation", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="headcount_unit_date_unique",
                violation_error_message=_("Đơn vị này đã có số cán bộ, công chức từ ngày này."),
            ),
        ]

    def __str__(self):
        since = "từ đầu" if self.valid_from == FROM_THE_START else f"từ {self.valid_from:%d/%m/%Y}"
        return f"{self.organisation.name}: {self.staff} ({since})"
