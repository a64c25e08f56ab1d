"""Signals for what is kept derived from the members' data in upper apps (reports' rollups),
sent inside the transaction that changes it. A model's own save and delete already send
Django's signals; these cover the writes that bypass them."""
from django.dispatch import Signal

# An organisation's subtree moves in the tree: `path` before (moving) and after (moved).
subtree_moving = Signal()
subtree_moved = Signal()
# Rows written in bulk (sender: the model, ids: their keys): after they were created, and
# before and after an update in bulk.
rows_added = Signal()
rows_changing = Signal()
