"""Seed the Holiday table with Vietnamese public holidays for 2016–2030.

Statutory days (Bộ luật Lao động 2012 Điều 115, 2019 Điều 112): 1/1; Tết (the last day of the
lunar year and mùng 1–4); Giỗ Tổ Hùng Vương (10/3 âm lịch); 30/4; 1/5; 2/9, plus one adjacent
day from 2021. A statutory day on a Saturday or Sunday gives a day off in lieu ("nghỉ bù") on
the next working day. Where the government announced a different arrangement for civil
servants (Tết breaks, swapped working days), the announcement wins. A Saturday worked in
exchange for a swapped day is not recorded: the calendar treats every weekend as a day off.
"""
from datetime import date, timedelta

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2016, 2030

# Gregorian dates of the lunar holidays in the Vietnamese calendar (UTC+7; Tết 2030 is 2/2,
# a day before China's): year -> ((month, day) of mùng 1 Tết, (month, day) of 10/3 âm lịch).
LUNAR = {
    2016: ((2, 8), (4, 16)),
    2017: ((1, 28), (4, 6)),
    2018: ((2, 16), (4, 25)),
    2019: ((2, 5), (4, 14)),
    2020: ((1, 25), (4, 2)),
    2021: ((2, 12), (4, 21)),
    2022: ((2, 1), (4, 10)),
    2023: ((1, 22), (4, 29)),
    2024: ((2, 10), (4, 18)),
    2025: ((1, 29), (4, 7)),
    2026: ((2, 17), (4, 26)),
    2027: ((2, 6), (4, 16)),
    2028: ((1, 26), (4, 4)),
    2029: ((2, 13), (4, 23)),
    2030: ((2, 2), (4, 12)),
}

# Tết breaks announced for civil servants, weekends included (first day, last day). Their
# weekdays replace the statutory days in lieu of Tết for that year.
TET_ANNOUNCED = {
    2016: (date(2016, 2, 6), date(2016, 2, 14)),
    2017: (date(2017, 1, 26), date(2017, 2, 1)),
    2018: (date(2018, 2, 14), date(2018, 2, 20)),
    2019: (date(2019, 2, 2), date(2019, 2, 10)),
    2020: (date(2020, 1, 23), date(2020, 1, 29)),
    2021: (date(2021, 2, 10), date(2021, 2, 16)),
    2022: (date(2022, 1, 29), date(2022, 2, 6)),
    2023: (date(2023, 1, 20), date(2023, 1, 26)),
    2024: (date(2024, 2, 8), date(2024, 2, 14)),
    2025: (date(2025, 1, 25), date(2025, 2, 2)),
    2026: (date(2026, 2, 14), date(2026, 2, 22)),
}

# Working days given off in exchange for a Saturday worked: day off -> Saturday worked.
SWAPPED = {
    date(2018, 12, 31): date(2019, 1, 5),
    date(2019, 4, 29): date(2019, 5, 4),
    date(2024, 4, 29): date(2024, 5, 4),
    date(2025, 1, 27): date(2025, 2, 8),
    date(2025, 5, 2): date(2025, 4, 26),
    date(2026, 1, 2): date(2026, 1, 10),
}

# The day added to Quốc khánh (from 2021) where announced: 1 = 1/9, 3 = 3/9. Other years:
# 1/9, unless 1/9 is a Sunday or 3/9 a Friday.
NATIONAL_DAY_EXTRA = {2021: 3, 2022: 1, 2023: 1, 2024: 3, 2025: 1}

TET = "Tết Nguyên đán"


def statutory_days(year):
    """(day, name, short name for its day in lieu) of the statutory holidays of `year`."""
    (tet_month, tet_day), (hung_month, hung_day) = LUNAR[year]
    tet = date(year, tet_month, tet_day)
    days = [
        (date(year, 1, 1), "Tết Dương lịch", "Tết Dương lịch"),
        (tet - timedelta(days=1), f"{TET} (ngày cuối năm âm lịch)", TET),
        *[(tet + timedelta(days=i), f"{TET} (mùng {i + 1})", TET) for i in range(4)],
        (date(year, hung_month, hung_day), "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
         "Giỗ Tổ Hùng Vương"),
        (date(year, 4, 30), "Ngày Chiến thắng 30/4", "Ngày Chiến thắng 30/4"),
        (date(year, 5, 1), "Ngày Quốc tế Lao động 1/5", "Ngày Quốc tế Lao động 1/5"),
        (date(year, 9, 2), "Quốc khánh 2/9", "Quốc khánh 2/9"),
    ]
    if year >= 2021:
        default = 3 if date(year, 9, 1).weekday() == 6 or date(year, 9, 3).weekday() == 4 else 1
        extra = NATIONAL_DAY_EXTRA.get(year, default)
        days.append((date(year, 9, extra), f"Quốc khánh (ngày liền kề {extra}/9)",
                     "Quốc khánh 2/9"))
    return days


def compute_holidays():
    """The seeded (date, name) pairs, sorted by date."""
    days = [day for year in range(FIRST_YEAR, LAST_YEAR + 1) for day in statutory_days(year)]
    holidays = {day: name for day, name, _short in days}
    for day, _name, short in days:
        announced = TET_ANNOUNCED.get(day.year)
        tet_year = announced and short == TET and announced[0] <= day <= announced[1]
        if day.weekday() < 5 or tet_year:
            continue
        in_lieu = day + timedelta(days=1)
        while in_lieu.weekday() >= 5 or in_lieu in holidays:
            in_lieu += timedelta(days=1)
        holidays[in_lieu] = f"Nghỉ bù {short}"
    for first, last in TET_ANNOUNCED.values():
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            if day.weekday() < 5 and day not in holidays:
                holidays[day] = f"Nghỉ bù {TET}"
    for day, saturday in SWAPPED.items():
        holidays[day] = f"Nghỉ hoán đổi (làm bù thứ Bảy {saturday:%d/%m/%Y})"
    return sorted(holidays.items())


HOLIDAYS = compute_holidays()


def seed(apps, schema_editor):
    Holiday = apps.get_model("recruitment", "Holiday")
    Holiday.objects.bulk_create(
        [Holiday(date=day, name=name) for day, name in HOLIDAYS], ignore_conflicts=True
    )


def unseed(apps, schema_editor):
    Holiday = apps.get_model("recruitment", "Holiday")
    Holiday.objects.filter(date__in=[day for day, _name in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
