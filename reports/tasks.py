"""Large reports (a province, the whole country) render in a background task: the Django
tasks API, queued in the database by default and run by `python manage.py db_worker`. The
job row carries the progress the user sees and, at the end, the file. Jobs are requested
through reports/services.py, which imports this module (never the other way round)."""
import logging

from django.utils import timezone
from django_tasks import task

from . import documents, periods
from .models import JobStatus, ReportJob
from .selectors import compute_figures

logger = logging.getLogger(__name__)


@task()
def render_report_job(job_id: str) -> None:
    run_job(job_id)


def run_job(job_id: str) -> ReportJob:
    job = ReportJob.objects.select_related("organisation__parent").get(pk=job_id)
    if job.finished:
        return job
    try:
        update_job(job, status=JobStatus.RUNNING, progress=10, step="Đang tính số liệu")
        period = periods.resolve(job.organisation, job.period)
        figures = compute_figures(job.organisation, period)
        update_job(job, progress=50, step=f"Đang dựng tệp {job.get_format_display()}")
        rendered = documents.render(figures, job.format)
        update_job(job, status=JobStatus.DONE, progress=100, step="Đã xong",
                   content=rendered.content, filename=rendered.filename)
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        update_job(job, status=JobStatus.FAILED, progress=job.progress,
                   step="Không thành công", error=str(exc))
        raise
    return job


def update_job(job: ReportJob, *, progress: int, step: str, **fields) -> None:
    """Record how far the job has got, and when it finished."""
    job.progress, job.step = progress, step
    for name, value in fields.items():
        setattr(job, name, value)
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        job.finished_at = timezone.now()
    job.save()
