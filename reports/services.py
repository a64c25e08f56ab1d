"""The writes of the reports app: targets and term dates set by the organisation department,
and the request for a large report to render in the background (reports/tasks.py)."""
from django.db import transaction

from members.models import Organisation

from .models import JobStatus, ReportJob, Target, Term
from .tasks import render_report_job


@transaction.atomic
def set_targets(*, cells: list[tuple[Organisation, str, int | None]], actor) -> int:
    """Write a grid of targets: (organisation, year "2026" or term "2025-2030", admissions).
    An empty cell removes the target. Returns how many targets changed."""
    changed = 0
    for organisation, key, admissions in cells:
        lookup = {"organisation": organisation, "term": key, "year": None} if "-" in key else {
            "organisation": organisation, "year": int(key), "term": ""}
        current = Target.objects.select_for_update().filter(**lookup).first()
        if admissions is None:
            if current is not None:
                current.delete()
                changed += 1
            continue
        if current is None:
            target = Target(**lookup, admissions=admissions, set_by=actor)
            target.full_clean()
            target.save()
            changed += 1
        elif current.admissions != admissions:
            current.admissions, current.set_by = admissions, actor
            current.save(update_fields=["admissions", "set_by", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def record_term(*, organisation: Organisation, label: str, start_date, end_date, actor) -> Term:
    term = Term.objects.select_for_update().filter(organisation=organisation,
                                                   label=label).first()
    term = term or Term(organisation=organisation, label=label)
    term.start_date, term.end_date, term.recorded_by = start_date, end_date, actor
    term.full_clean()
    term.save()
    return term


def request_report_job(*, organisation: Organisation, period: str, fmt: str,
                       actor) -> ReportJob:
    """A background job for the report, or the user's same one still waiting or running.
    The task starts once the job row is committed."""
    with transaction.atomic():
        job = ReportJob.objects.filter(
            organisation=organisation, period=period, format=fmt, requested_by=actor,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
        if job is not None:
            return job
        job = ReportJob.objects.create(organisation=organisation, period=period, format=fmt,
                                       requested_by=actor, step="Đang chờ đến lượt")
        job_id = str(job.pk)
        transaction.on_commit(lambda: render_report_job.enqueue(job_id))
    return job
