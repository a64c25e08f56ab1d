"""The roles users hold in the tree, each covering the subtree where it is granted."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import BRANCH_KINDS, Organisation
from .tree import OrganisationKind as K


class Role(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", _("Bí thư chi bộ")
    GRASSROOTS_OFFICE = "grassroots_office", _("Văn phòng đảng ủy cơ sở")
    ORG_DEPARTMENT = "org_department", _("Cán bộ Ban Tổ chức")
    LEADERSHIP = "leadership", _("Lãnh đạo")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Where each role may be granted: a branch secretary leads one branch, a grassroots
# office serves a grassroots committee (or a partial committee under it).
ROLE_ORGANISATION_KINDS = {
    Role.BRANCH_SECRETARY: set(BRANCH_KINDS),
    Role.GRASSROOTS_OFFICE: {K.GRASSROOTS_COMMITTEE, K.PARTIAL_COMMITTEE, K.GRASSROOTS_BRANCH},
}


class RoleGrant(models.Model):
    """One role held by one user at one organisation, covering its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("tổ chức"), on_delete=models.PROTECT,
        related_name="role_grants",
    )
    granted_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cấp"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="unique_role_grant",
                violation_error_message=_("Người dùng đã có vai trò này tại tổ chức này."),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation.code}"

    def clean(self):
        super().clean()
        kinds = ROLE_ORGANISATION_KINDS.get(self.role)
        if kinds and self.organisation_id and self.organisation.kind not in kinds:
            raise ValidationError(
                {"organisation": _("Vai trò %(role)s không cấp tại %(kind)s.")
                 % {"role": self.get_role_display(), "kind": self.organisation.get_kind_display()}}
            )
