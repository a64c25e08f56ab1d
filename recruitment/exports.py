"""Downloads of recruitment that are not import kinds: the worklist, in the candidates' import
layout. Registered with members' export page from RecruitmentConfig.ready()."""
from django.db.models import prefetch_related_objects

from . import selectors
from .rules import today


def worklist_candidates(user, params):
    """Every candidate on the user's worklist once, in name order, whatever the reasons."""
    seen = {}
    for _key, candidates in selectors.worklist(user, today(), limit=None):
        for c in candidates:
            seen.setdefault(c.pk, c)
    rows = sorted(seen.values(), key=lambda c: (c.search_name, c.pk))
    prefetch_related_objects(rows, "helper", "member")
    return rows
