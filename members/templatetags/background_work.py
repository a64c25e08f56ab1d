"""Whether a background worker is running, for the pages of jobs that wait for one
(members/heartbeat.py decides)."""
from django import template

from ..heartbeat import worker_alive

register = template.Library()


@register.inclusion_tag("includes/no_worker.html")
def no_worker_notice(job):
    """Says so when `job` still waits for the background and no worker is alive."""
    return {"missing": not job.finished and not worker_alive()}
