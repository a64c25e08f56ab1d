"""Working-day arithmetic for the deadlines that the rules count in working days: Saturdays,
Sundays and the days of the editable Holiday table (Vietnamese public holidays) are skipped."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .models import Holiday

ONE_DAY = timedelta(days=1)


class WorkingCalendar:
    """Monday to Friday, except the given holidays."""

    def __init__(self, holidays: Iterable[date]):
        self.holidays = frozenset(holidays)

    @classmethod
    def load(cls, start: date | None = None, end: date | None = None) -> WorkingCalendar:
        """Holidays from the Holiday table in one query (all of them when no range is given)."""
        days = Holiday.objects.order_by()
        if start is not None:
            days = days.filter(date__gte=start)
        if end is not None:
            days = days.filter(date__lte=end)
        return cls(days.values_list("date", flat=True))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself is not counted); n may be 0
        (returns start); n<0 counts backwards."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day, remaining = start, abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative (same magnitude, counted over (end, start])
        when end < start; 0 when equal."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def add_working_days(start: date, n: int) -> date:
    """`WorkingCalendar.add_working_days` on the holidays of the Holiday table."""
    return WorkingCalendar.load().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """`WorkingCalendar.working_days_between` on the holidays of the Holiday table."""
    calendar = WorkingCalendar.load(min(start, end), max(start, end))
    return calendar.working_days_between(start, end)
