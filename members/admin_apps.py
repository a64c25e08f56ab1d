"""Django's admin on the site of members/admin_scope.py (open to administrators, scoped to
their subtrees). Apart from members/apps.py: Django picks an app's configuration from that
module by itself, and two configurations there would confuse it."""
from django.apps import apps
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class ScopedAdminConfig(AdminConfig):
    default_site = "members.admin_scope.ScopedAdminSite"

    def ready(self):
        super().ready()
        _name_the_task_results()


def _name_the_task_results():
    """The task results of django_tasks_db ship with English names ("Task Results"); the admin
    shows them in Vietnamese like everything else."""
    if not apps.is_installed("django_tasks_db"):
        return
    config = apps.get_app_config("django_tasks_database")
    config.verbose_name = _("Tác vụ nền")
    meta = config.get_model("DBTaskResult")._meta
    meta.verbose_name = _("kết quả tác vụ nền")
    meta.verbose_name_plural = _("kết quả tác vụ nền")
