"""Formatting for official documents and report figures, the Vietnamese way."""
from datetime import date

from django import template

register = template.Library()


@register.filter
def long_date(value: date) -> str:
    """'ngày 23 tháng 11 năm 2026' (days and months below 10 keep a leading zero for 1–2)."""
    if not value:
        return ""
    day = f"{value.day:02d}" if value.day < 3 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


@register.filter
def vn_number(value, decimals=0) -> str:
    """5100 → '5.100'; 83.33 with 1 decimal → '83,3'."""
    if value is None or value == "":
        return "—"
    decimals = int(decimals)
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def vn_percent(value, decimals=1) -> str:
    """83.333 → '83,3 %'."""
    if value is None:
        return "—"
    return f"{vn_number(value, decimals)} %"


@register.filter
def keep_units(text) -> str:
    """Prose with the percent sign held to its number: '83,3 %' never breaks across lines."""
    return str(text).replace(" %", "\u00a0%")
