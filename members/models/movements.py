"""Membership movements (biến động đảng viên): every change of where a member takes part or of
whether they are a member at all is one dated row, never changed afterwards. A member's branch
on a date and the start/end counts of a period are read from these rows."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Member
from .tree import Organisation


class MovementKind(models.TextChoices):
    # A member whose history was not recorded (imported from a list, or there before the
    # movements were kept): on the list of their branch since the day they joined the Party.
    PRESENT = "present", _("Có trong danh sách từ ngày vào Đảng")
    # Increases of a branch's list
    ADMITTED = "admitted", _("Kết nạp")
    READMITTED = "readmitted", _("Kết nạp lại")
    TRANSFER_IN = "transfer_in", _("Chuyển đến")
    # Moves inside the tree: out of one branch, into another
    TRANSFER_WITHIN = "transfer_within", _("Chuyển sinh hoạt nội bộ")
    TEMPORARY = "temporary", _("Sinh hoạt tạm thời")
    TEMPORARY_END = "temporary_end", _("Kết thúc sinh hoạt tạm thời")
    # Decreases
    TRANSFER_OUT = "transfer_out", _("Chuyển đi")
    DIED = "died", _("Từ trần")
    REMOVED = "removed", _("Xóa tên")
    EXPELLED = "expelled", _("Khai trừ")
    RESIGNED = "resigned", _("Xin ra khỏi Đảng")


# Kinds that take the member off the list, and the status each leaves them in.
EXIT_STATUS = {
    MovementKind.TRANSFER_OUT: "transferred_out",
    MovementKind.DIED: "died",
    MovementKind.REMOVED: "removed",
    MovementKind.EXPELLED: "expelled",
    MovementKind.RESIGNED: "resigned",
}
# Kinds that put someone on the list as a new member of the Party (reports: "kết nạp").
ADMISSION_KINDS = (MovementKind.PRESENT, MovementKind.ADMITTED, MovementKind.READMITTED)
# Temporary membership keeps the member on their own branch's list: no count changes.
UNCOUNTED_KINDS = (MovementKind.TEMPORARY, MovementKind.TEMPORARY_END)
# Kinds that need the branch the member goes to.
NEEDS_DESTINATION = (MovementKind.PRESENT, MovementKind.ADMITTED, MovementKind.READMITTED,
                     MovementKind.TRANSFER_IN, MovementKind.TRANSFER_WITHIN,
                     MovementKind.TEMPORARY)


class Movement(models.Model):
    member = models.ForeignKey(Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT,
                               related_name="movements")
    kind = models.CharField(_("loại"), max_length=20, choices=MovementKind.choices)
    date = models.DateField(_("ngày"))
    # The branch the member leaves (None: they come from outside the tree or join the Party).
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("từ chi bộ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    # The branch the member goes to (None: they leave the tree or the Party).
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("đến chi bộ"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    outside_place = models.CharField(_("nơi đi / nơi đến ngoài hệ thống"), max_length=200,
                                     blank=True)
    document_number = models.CharField(_("số quyết định, giấy giới thiệu"), max_length=60,
                                       blank=True)
    # For an admission or readmission: the date of the decision (reports count "kết nạp" by it
    # unless the organisation department counts by the ceremony, `date`).
    decision_date = models.DateField(_("ngày quyết định kết nạp"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=20, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True,
                              on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)
    imported = models.BooleanField(_("nhập từ dữ liệu cũ"), default=False)

    class Meta:
        verbose_name = _("biến động đảng viên")
        verbose_name_plural = _("biến động đảng viên")
        ordering = ["member", "date", "pk"]
        constraints = [
            # Joining the Party comes from no branch (the rollups count admissions as the
            # entries of these kinds).
            models.CheckConstraint(
                condition=~models.Q(kind__in=["present", "admitted", "readmitted"])
                | models.Q(from_organisation__isnull=True),
                name="movement_admission_has_no_origin"),
        ]
        indexes = [
            models.Index(fields=["member", "date"], name="movement_member_date_idx"),
            models.Index(fields=["kind", "date"], name="movement_kind_date_idx"),
            models.Index(fields=["to_organisation", "date"], name="movement_to_date_idx"),
            models.Index(fields=["from_organisation", "date"], name="movement_from_date_idx"),
            models.Index(fields=["member"], name="movement_exit_member_idx",
                         condition=models.Q(kind__in=["transfer_out", "died", "removed",
                                                      "expelled", "resigned"])),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Biến động đã ghi không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Biến động đã ghi không được xóa."))
