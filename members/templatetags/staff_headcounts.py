"""The staff headcount in force today beside units on a page, read for all of them in one
query (members/headcounts.py decides which row is in force)."""
from django import template

from ..headcounts import staff_by_unit

register = template.Library()


@register.simple_tag
def staff_today(organisation):
    """The unit's headcount in force today, or None."""
    return staff_by_unit([organisation]).get(organisation.pk)


@register.simple_tag
def with_staff_today(rows):
    """(unit, *rest) rows as (unit, *rest, headcount today or None), one query for all."""
    rows = list(rows)
    staff = staff_by_unit([row[0] for row in rows])
    return [(*row, staff.get(row[0].pk)) for row in rows]
