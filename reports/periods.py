"""What a report covers: one calendar year, or one term between two congresses.

A term's dates are those recorded for the organisation or its nearest ancestor; with none
recorded, term "2020-2025" runs from 01/01/2020 to 31/12/2025.
"""
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Term, check_term_label

YEAR, TERM = "year", "term"
# Terms follow each other every five years from this one when nothing is recorded.
TERM_BASE_YEAR, TERM_YEARS = 2020, 5


@dataclass(frozen=True)
class Period:
    kind: str
    label: str  # "2024" or "2020-2025": also how the period is written in URLs
    start: date
    end: date
    recorded: bool = False  # the dates come from a recorded congress, not the default

    @property
    def is_term(self) -> bool:
        return self.kind == TERM

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def year_span(self, year: int) -> tuple[date, date]:
        """The part of `year` inside the period."""
        return max(self.start, date(year, 1, 1)), min(self.end, date(year, 12, 31))

    @property
    def title(self) -> str:
        return _("nhiệm kỳ %(label)s") % {"label": self.label} if self.is_term else (
            _("năm %(label)s") % {"label": self.label})

    @property
    def slug(self) -> str:
        return f"nhiem-ky-{self.label}" if self.is_term else f"nam-{self.label}"


def parse_label(text: str) -> tuple[str, str]:
    """'2024' → (year, '2024'); '2020-2025' → (term, '2020-2025'); anything else is refused."""
    text = (text or "").strip().replace("–", "-").replace(" ", "")
    if re.fullmatch(r"\d{4}", text) and 1930 <= int(text) <= 2100:
        return YEAR, text
    if re.fullmatch(r"\d{4}-\d{4}", text):
        check_term_label(text)
        return TERM, text
    raise ValidationError(_("Kỳ báo cáo ghi một năm (2024) hoặc một nhiệm kỳ (2020-2025)."))


def recorded_term(organisation, label: str) -> Term | None:
    """The dates recorded for `label` by the organisation or its nearest ancestor."""
    chain = [*organisation.ancestor_paths(), organisation.path]
    return (Term.objects.filter(label=label, organisation__path__in=chain)
            .order_by("-organisation__depth").first())


def resolve(organisation, text: str) -> Period:
    kind, label = parse_label(text)
    if kind == YEAR:
        year = int(label)
        return Period(YEAR, label, date(year, 1, 1), date(year, 12, 31))
    term = recorded_term(organisation, label)
    if term is not None:
        return Period(TERM, label, term.start_date, term.end_date, recorded=True)
    first, last = (int(y) for y in label.split("-"))
    return Period(TERM, label, date(first, 1, 1), date(last, 12, 31))


def default_term_label(year: int) -> str:
    first = TERM_BASE_YEAR + (year - TERM_BASE_YEAR) // TERM_YEARS * TERM_YEARS
    return f"{first}-{first + TERM_YEARS}"


def current_term(organisation, today: date) -> Period:
    """The term running on `today`: a recorded one that covers it, else the default."""
    chain = [*organisation.ancestor_paths(), organisation.path]
    term = (Term.objects.filter(organisation__path__in=chain, start_date__lte=today,
                                end_date__gte=today)
            .order_by("-organisation__depth", "-start_date").first())
    # The label comes from the record covering today; its dates from the nearest record of it.
    return resolve(organisation, term.label if term else default_term_label(today.year))


def current_year(today: date) -> Period:
    return Period(YEAR, str(today.year), date(today.year, 1, 1), date(today.year, 12, 31))


def term_choices(today: date, back: int = 3) -> list[str]:
    """Recent terms for a drop-down, newest first."""
    first = int(default_term_label(today.year)[:4])
    return [f"{y}-{y + TERM_YEARS}" for y in range(first, first - TERM_YEARS * (back + 1),
                                                   -TERM_YEARS)]
