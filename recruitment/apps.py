from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from members import registry


def seed_demo_candidates(today, rng) -> str:
    """Candidates in every stage of the pipeline and a training class."""
    from .demo import seed_candidates  # apps.py is imported before the models exist

    return f"{seed_candidates(today, rng)} hồ sơ quần chúng ở mọi giai đoạn"


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Phát triển đảng viên")

    def ready(self):
        registry.import_kinds.register("candidates", "recruitment.resources.CandidateResource")
        registry.import_kinds.register("classes", "recruitment.resources.TrainingClassResource")
        registry.import_kinds.register("enrolments", "recruitment.resources.EnrolmentResource")
        registry.export_kinds.register("worklist", registry.Export(
            layout="candidates", rows="recruitment.exports.worklist_candidates"))
        registry.demo_seeders.register("recruitment", seed_demo_candidates)
        # A probationary member with an open dossier moves through the dossier's steps.
        registry.movement_guards.register(
            "probation_dossier", "recruitment.services.guards.open_probation_dossier")
        # Returned dossiers waiting for the user, at the top of every home page.
        registry.home_panels.register("returned", "recruitment.views.pipeline.returned_panel")
        # Deadlines within the next working days or past, then the count beside "Việc cần làm".
        registry.home_panels.register("due", "recruitment.views.notices.due_panel")
        registry.nav_counts.register("recruitment:worklist",
                                     "recruitment.views.notices.needs_count")
