"""Formatting for official documents and report figures, the Vietnamese way."""

from django import template

from members.documents import long_date

register = template.Library()


register.filter("long_date", long_date)


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
