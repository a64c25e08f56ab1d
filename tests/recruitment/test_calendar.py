"""Working days: weekends and the Holiday table (seeded by migration 0002) are skipped."""
import importlib
from datetime import date

import pytest
from django.apps import apps

from recruitment.calendar import WorkingCalendar, add_working_days, working_days_between
from recruitment.models import Holiday

NO_HOLIDAYS = WorkingCalendar([])


def test_weekends_are_not_working_days():
    assert NO_HOLIDAYS.is_working_day(date(2024, 3, 8))  # Friday
    assert not NO_HOLIDAYS.is_working_day(date(2024, 3, 9))  # Saturday
    assert not NO_HOLIDAYS.is_working_day(date(2024, 3, 10))  # Sunday
    assert NO_HOLIDAYS.is_working_day(date(2024, 3, 11))  # Monday


def test_a_holiday_on_a_weekday_is_not_a_working_day():
    calendar = WorkingCalendar([date(2024, 3, 11)])
    assert not calendar.is_working_day(date(2024, 3, 11))
    assert calendar.is_working_day(date(2024, 3, 12))


def test_one_working_day_after_a_friday_is_the_monday():
    assert NO_HOLIDAYS.add_working_days(date(2024, 3, 8), 1) == date(2024, 3, 11)


def test_zero_working_days_is_the_start_itself_even_on_a_sunday():
    assert NO_HOLIDAYS.add_working_days(date(2024, 3, 10), 0) == date(2024, 3, 10)


def test_the_start_day_is_not_counted():
    # Wednesday 6/3 + 2: Thursday 7/3 is the first, Friday 8/3 the second.
    assert NO_HOLIDAYS.add_working_days(date(2024, 3, 6), 2) == date(2024, 3, 8)


def test_counting_backwards_skips_weekends_and_holidays():
    calendar = WorkingCalendar([date(2024, 3, 8)])
    # Back from Monday 11/3: Sat 9, Sun 10 are weekend, Fri 8 a holiday -> Thursday 7/3.
    assert calendar.add_working_days(date(2024, 3, 11), -1) == date(2024, 3, 7)


def test_working_days_between_counts_the_end_but_not_the_start():
    # (Mon 4/3, Mon 11/3]: 5, 6, 7, 8 and 11 March.
    assert NO_HOLIDAYS.working_days_between(date(2024, 3, 4), date(2024, 3, 11)) == 5
    # (Fri 8/3, Sun 10/3]: only the weekend.
    assert NO_HOLIDAYS.working_days_between(date(2024, 3, 8), date(2024, 3, 10)) == 0


def test_working_days_between_is_zero_for_the_same_day():
    assert NO_HOLIDAYS.working_days_between(date(2024, 3, 6), date(2024, 3, 6)) == 0


def test_working_days_between_counts_backwards_as_negative():
    # Same five days as forwards, (4/3, 11/3], with the sign of an overdue deadline.
    assert NO_HOLIDAYS.working_days_between(date(2024, 3, 11), date(2024, 3, 4)) == -5


def test_adding_the_days_between_lands_on_the_end_when_it_is_a_working_day():
    calendar = WorkingCalendar([date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)])
    start, end = date(2025, 4, 25), date(2025, 5, 9)
    assert calendar.add_working_days(start, calendar.working_days_between(start, end)) == end


def test_a_deadline_that_spans_tet_skips_the_holiday_week(db):
    # Fri 13/2/2026 + 1: weekend 14–15, Tết 16–20 (30 Tết to mùng 4), weekend 21–22.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    # Thu 12/2 + 5: Fri 13/2, then Mon 23, Tue 24, Wed 25, Thu 26/2.
    assert add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)


def test_sixty_working_days_from_a_branch_resolution(db):
    # Resolution Mon 3/3/2025. Twelve full weeks would end Mon 26/5 (60 weekdays), but four
    # weekdays are off: Giỗ Tổ Mon 7/4, Wed 30/4, Thu 1/5 and Fri 2/5 (swapped for Sat 26/4),
    # so the deadline moves four working days on, to Fri 30/5/2025.
    assert add_working_days(date(2025, 3, 3), 60) == date(2025, 5, 30)
    assert working_days_between(date(2025, 3, 3), date(2025, 5, 30)) == 60


def test_the_tet_2025_break_runs_from_25_january_to_2_february(db):
    # (Fri 24/1, Mon 3/2]: 27/1 is swapped, 28/1–31/1 are Tết, 1–2/2 a weekend: only 3/2.
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1


def test_an_administrator_added_holiday_is_respected(db):
    # Thu 12/6/2025 + 1 is Fri 13/6 until that Friday is declared a day off.
    assert add_working_days(date(2025, 6, 12), 1) == date(2025, 6, 13)
    Holiday.objects.create(date=date(2025, 6, 13), name="Nghỉ theo quyết định của Chính phủ")
    assert add_working_days(date(2025, 6, 12), 1) == date(2025, 6, 16)


def test_load_runs_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = WorkingCalendar.load()
        calendar.add_working_days(date(2025, 3, 3), 60)
        calendar.working_days_between(date(2025, 3, 3), date(2026, 3, 3))
    with django_assert_num_queries(1):
        WorkingCalendar.load(date(2025, 1, 1), date(2025, 12, 31))


def test_load_with_a_range_keeps_only_the_holidays_inside_it(db):
    calendar = WorkingCalendar.load(date(2025, 1, 1), date(2025, 12, 31))
    assert date(2025, 9, 2) in calendar.holidays
    assert date(2026, 2, 17) not in calendar.holidays
    assert date(2024, 9, 2) not in calendar.holidays


def test_the_seeded_holidays_include_tet_2026_and_national_day_2025(db):
    assert "Tết Nguyên đán" in Holiday.objects.get(date=date(2026, 2, 17)).name
    assert "Quốc khánh" in Holiday.objects.get(date=date(2025, 9, 2)).name


@pytest.mark.parametrize("day", [date(2024, 4, 18), date(2025, 4, 7), date(2026, 4, 26)])
def test_the_hung_kings_day_is_seeded_on_the_tenth_of_the_third_lunar_month(db, day):
    assert Holiday.objects.get(date=day).name.startswith("Giỗ Tổ Hùng Vương")


def test_a_holiday_on_a_weekend_gives_a_day_off_on_the_next_working_day(db):
    # 1/1/2023 was a Sunday: Monday 2/1 is off; Giỗ Tổ 26/4/2026 is a Sunday: Monday 27/4.
    assert Holiday.objects.get(date=date(2023, 1, 2)).name.startswith("Nghỉ bù")
    assert Holiday.objects.get(date=date(2026, 4, 27)).name.startswith("Nghỉ bù")


def test_tet_2030_follows_the_vietnamese_calendar_not_the_chinese_one(db):
    # The new moon falls at 23:08 on 2/2/2030 in Hà Nội (UTC+7), 00:08 on 3/2 in Beijing.
    assert Holiday.objects.get(date=date(2030, 2, 2)).name == "Tết Nguyên đán (mùng 1)"


def test_every_seeded_year_has_the_fixed_date_holidays(db):
    seeded = set(Holiday.objects.values_list("date", flat=True))
    for year in range(2016, 2031):
        fixed = {date(year, 1, 1), date(year, 4, 30), date(year, 5, 1), date(year, 9, 2)}
        assert fixed <= seeded, year


def test_the_holiday_migration_can_be_reversed_and_applied_again(db):
    migration = importlib.import_module("recruitment.migrations.0002_holidays")
    Holiday.objects.create(date=date(2031, 1, 1), name="Tết Dương lịch")
    migration.unseed(apps, None)
    assert list(Holiday.objects.values_list("date", flat=True)) == [date(2031, 1, 1)]
    migration.seed(apps, None)
    assert Holiday.objects.count() == len(migration.HOLIDAYS) + 1
