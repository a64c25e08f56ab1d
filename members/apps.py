from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import registry


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Tổ chức đảng và đảng viên")

    def ready(self):
        registry.import_kinds.register("organisations", "members.resources.OrganisationResource")
        registry.import_kinds.register("members", "members.resources.MemberResource")
        registry.import_kinds.register("headcounts", "members.resources.HeadcountResource")
        registry.import_kinds.register("movements", "members.resources.MovementResource")
