"""Keeping the rollups true: a dossier's save (a change of branch, stage or deadline), a new
movement (movements are never changed or deleted), rows written in bulk and a subtree moving
in the tree each apply their contributions in the same transaction."""
from members.models import Movement
from recruitment.models import Candidate

from .sql import subtree_contributions
from .store import CONTRIBUTIONS, added, apply, removing


def _movement_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        added(Movement, [instance.pk])


def _candidate_saving(sender, instance, raw=False, **kwargs):
    """Only a change of holding branch, stage or deadline moves a dossier's rows."""
    instance._rollup_changed = True
    if not instance.pk or raw:
        return
    before = Candidate.objects.filter(pk=instance.pk).values_list(
        "organisation_id", "stage", "due_date").first()
    if before == (instance.organisation_id, instance.stage, instance.due_date):
        instance._rollup_changed = False
    elif before is not None:
        removing(Candidate, [instance.pk])


def _candidate_saved(sender, instance, raw=False, **kwargs):
    if not raw and getattr(instance, "_rollup_changed", True):
        added(Candidate, [instance.pk])


def _subtree_moving(sender, path, **kwargs):
    apply(subtree_contributions(path), -1)


def _subtree_moved(sender, path, **kwargs):
    apply(subtree_contributions(path), +1)


def _rows_added(sender, ids, **kwargs):
    if sender in CONTRIBUTIONS:
        added(sender, ids)


def _rows_changing(sender, ids, **kwargs):
    if sender in CONTRIBUTIONS:
        removing(sender, ids)


def connect() -> None:
    from django.db.models import signals

    from members.signals import rows_added, rows_changing, subtree_moved, subtree_moving

    signals.post_save.connect(_movement_saved, sender=Movement, dispatch_uid="rollup-movement")
    signals.pre_save.connect(_candidate_saving, sender=Candidate, dispatch_uid="rollup-pre")
    signals.post_save.connect(_candidate_saved, sender=Candidate, dispatch_uid="rollup-post")
    rows_added.connect(_rows_added, dispatch_uid="rollup-rows-added")
    rows_changing.connect(_rows_changing, dispatch_uid="rollup-rows-changing")
    subtree_moving.connect(_subtree_moving, dispatch_uid="rollup-moving")
    subtree_moved.connect(_subtree_moved, dispatch_uid="rollup-moved")
