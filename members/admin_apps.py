"""Django's admin on the site of members/admin_scope.py (open to administrators, scoped to
their subtrees). Apart from members/apps.py: Django picks an app's configuration from that
module by itself, and two configurations there would confuse it."""
from django.contrib.admin.apps import AdminConfig


class ScopedAdminConfig(AdminConfig):
    default_site = "members.admin_scope.ScopedAdminSite"
