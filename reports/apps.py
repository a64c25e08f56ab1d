from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from members import registry


def seed_demo_targets(today, rng) -> None:
    """Terms and admission targets; they add nothing to the summary line."""
    from .demo import seed_targets  # apps.py is imported before the models exist

    seed_targets(today)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        from members.models import Role  # models are loaded only by the time ready() runs

        registry.import_kinds.register("targets", "reports.resources.TargetResource")
        registry.demo_seeders.register("reports", seed_demo_targets)
        registry.home_pages.register(Role.LEADERSHIP, "reports.views.leadership_dashboard")
        from . import rollups

        rollups.connect()
