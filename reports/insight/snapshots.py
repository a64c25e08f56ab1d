"""The insight of a large scope, computed by the worker and kept for the day.

A province holds ~5,000 branches and the country ~50,000; their views read millions of stage
events, seconds to minutes of work that no page should make a user wait for. For such a
scope (`reports.views.is_large`) a view's figures are read from an `InsightSnapshot` of the
same organisation, view, period and options, with the time it was computed. When there is
none yet the page queues its computation and says so; one computed before today is shown
while the first page view of the day queues its renewal. `manage.py insight_snapshots`
(deploy/insight.timer, each night) computes them ahead for every large organisation's current
term and year. A small
scope is computed while the page loads, as before."""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from urllib.parse import urlencode

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task

from members.models import Organisation

from .. import periods
from ..models import InsightSnapshot
from .common import Scope, units_of

# The view's name → its module in reports.insight, whose compute(scope, **options) is the
# selector.
MODULES = {"aging": "aging", "cohorts": "cohorts", "forecast": "forecast", "units": "units"}


def compute(view: str, scope: Scope, options: dict):
    return import_module(f"reports.insight.{MODULES[view]}").compute(scope, **options)


def is_large(organisation) -> bool:
    from ..views import is_large as large

    return large(organisation)


@dataclass
class Read:
    figures: object | None  # None while the worker computes them
    computed_at: datetime | None = None  # None: computed for this request

    @property
    def pending(self) -> bool:
        return self.figures is None

    @property
    def finished(self) -> bool:
        """For `no_worker_notice`: a read waits for the worker while it is pending."""
        return not self.pending


def _key(options: dict) -> str:
    return urlencode(sorted((k, str(v)) for k, v in options.items() if v not in (None, "")))


def read(view: str, scope: Scope, **options) -> Read:
    """The figures of `view` for the scope: computed now for a small scope. For a large one,
    the latest snapshot (None when there is none yet), and a renewal is queued once a day
    when it was computed before today."""
    if not is_large(scope.organisation):
        return Read(compute(view, scope, options))
    lookup = {"organisation": scope.organisation, "view": view,
              "period": scope.period.label, "params": _key(options)}
    row = InsightSnapshot.objects.filter(**lookup).defer("data").first()
    if row is None:
        try:
            with transaction.atomic():
                row = InsightSnapshot.objects.create(**lookup, queued_at=timezone.now())
        except IntegrityError:
            return Read(None)  # another request queued it a moment ago
        _enqueue(view, scope, options)
        return Read(None)
    today = timezone.localdate()
    fresh = row.computed_at is not None and timezone.localdate(row.computed_at) >= today
    queued_today = row.queued_at is not None and timezone.localdate(row.queued_at) >= today
    # One request a day renews it: the update that changes queued_at wins.
    if not fresh and not queued_today and InsightSnapshot.objects.filter(
            pk=row.pk, queued_at=row.queued_at).update(queued_at=timezone.now()):
        _enqueue(view, scope, options)
    if row.computed_at is None:
        return Read(None)
    data = InsightSnapshot.objects.values_list("data", flat=True).get(pk=row.pk)
    return Read(pickle.loads(bytes(data)), row.computed_at)


def _enqueue(view: str, scope: Scope, options: dict) -> None:
    args = (view, scope.organisation.pk, scope.period.label, _key(options))
    transaction.on_commit(lambda: compute_snapshot.enqueue(*args))


def store(view: str, scope: Scope, options: dict):
    """Compute the view for the scope now and keep it (the worker's task and the command).
    On PostgreSQL the computation may sort in memory up to 256 MB: the country's cohorts
    otherwise spill their sorts to disk (100 s → minutes)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        figures = compute(view, scope, options)
    InsightSnapshot.objects.update_or_create(
        organisation=scope.organisation, view=view, period=scope.period.label,
        params=_key(options),
        defaults={"data": pickle.dumps(figures), "computed_at": timezone.now(),
                  "as_of": scope.as_of})
    return figures


def scope_for(organisation: Organisation, period_label: str, today) -> Scope:
    period = periods.resolve(organisation, period_label)
    return Scope(organisation, period, today, units_of(organisation, period))


@task()
def compute_snapshot(view: str, organisation_id: int, period: str, params: str) -> None:
    from urllib.parse import parse_qsl

    from recruitment.rules import today

    organisation = Organisation.objects.select_related("parent").get(pk=organisation_id)
    store(view, scope_for(organisation, period, today()), dict(parse_qsl(params)))


