"""Figures kept pre-aggregated per organisation and day, so a subtree's figure is one indexed
read of its own rows, whatever the size of the subtree.

A rollup row holds, for one organisation's whole subtree, how many movements or dossiers of
one kind fall on one day: `in` / `out` (members who entered or left the subtree, by movement
kind: a move between two branches of the subtree is neither; the entries of the kinds that
join the Party are its admissions), `open` (dossiers in the pipeline now, by stage, on the day
they are due) and `bal` (members on the list at the end of a year: a checkpoint, so the members on
a day add up at most a year of rows). A movement whose decision date differs from its own
date is counted on each under its counting basis (`.d`: decision, `.c`: ceremony; rows with
no suffix hold every other movement, the same under both bases).

One mechanism keeps them: `sql.py` says, in one SQL statement, what a set of source rows adds
to which organisations' rows. `rebuild` writes it for every row; a dossier's save, a new
movement and the bulk writers (`members.signals`) apply it to the rows they change, a minus
before and a plus after, in the same transaction; an organisation moving in the tree does the
same for everything under it. `differences` recomputes everything from the events
and lists what disagrees (`manage.py rollups check`).

Balance checkpoints are written by `rebuild` for the years before the current one, and by
`checkpoint` for a year that has just ended (`manage.py rollups checkpoint`, on 1 January),
and kept true by every later change; a missing checkpoint only means more rows to add up.
"""
from .read import admitted, members_on, moves, open_dossiers
from .signals import connect
from .sql import FAR, candidate_contributions, movement_contributions, subtree_contributions
from .store import Difference, added, apply, checkpoint, differences, rebuild, removing

__all__ = ["FAR", "Difference", "added", "admitted", "apply", "candidate_contributions",
           "checkpoint",
           "connect", "differences", "members_on", "movement_contributions", "moves",
           "open_dossiers", "rebuild", "removing", "subtree_contributions"]
