"""A term's dates come from the nearest recorded congress, else whole years; targets are one
per organisation and year or term."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reports import periods, services
from reports.models import Target, Term

pytestmark = pytest.mark.django_db


def test_a_term_with_no_recorded_dates_runs_from_1_january_to_31_december(tree):
    p = periods.resolve(tree.b1, "2020-2025")
    assert (p.start, p.end, p.recorded) == (date(2020, 1, 1), date(2025, 12, 31), False)
    assert p.years == [2020, 2021, 2022, 2023, 2024, 2025]


def test_a_recorded_term_holds_for_the_whole_subtree(tree, recorded_term):
    p = periods.resolve(tree.b2, "2020-2025")
    assert (p.start, p.end, p.recorded) == (date(2020, 10, 15), date(2025, 10, 20), True)


def test_the_nearest_recorded_term_wins(tree, recorded_term):
    Term.objects.create(organisation=tree.gc1, label="2020-2025",
                        start_date=date(2020, 6, 1), end_date=date(2025, 6, 30))
    assert periods.resolve(tree.b2, "2020-2025").start == date(2020, 6, 1)
    assert periods.resolve(tree.b3, "2020-2025").start == date(2020, 10, 15)


def test_the_current_term_is_the_recorded_one_covering_today_else_the_default(tree,
                                                                               recorded_term):
    assert periods.current_term(tree.b1, date(2025, 10, 20)).label == "2020-2025"
    assert periods.current_term(tree.b1, date(2025, 10, 21)).label == "2025-2030"
    assert periods.current_term(tree.b1, date(2026, 11, 23)).start == date(2025, 1, 1)


def test_period_labels_are_a_year_or_two_years_at_most_five_apart():
    assert periods.parse_label("2024") == ("year", "2024")
    assert periods.parse_label("2020–2025") == ("term", "2020-2025")
    for bad in ("2025-2020", "2020-2031", "20-25", "nam-2024", ""):
        with pytest.raises(ValidationError):
            periods.parse_label(bad)


def test_congress_dates_must_match_the_term(tree):
    term = Term(organisation=tree.root, label="2020-2025", start_date=date(2015, 10, 1),
                end_date=date(2025, 10, 1))
    with pytest.raises(ValidationError):
        term.full_clean()


def test_a_target_is_for_a_year_or_a_term_never_both(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(organisation=tree.root, year=2024, term="2020-2025",
                              admissions=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(organisation=tree.root, admissions=5)


def test_one_target_per_organisation_and_year(tree):
    Target.objects.create(organisation=tree.root, year=2024, admissions=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(organisation=tree.root, year=2024, admissions=6)


def test_setting_targets_creates_updates_and_clears_them(tree, users):
    services.set_targets(cells=[(tree.root, "2024", 5), (tree.root, "2020-2025", 250),
                                (tree.gc1, "2024", None)], actor=users.department)
    changed = services.set_targets(cells=[(tree.root, "2024", 7), (tree.root, "2020-2025",
                                                                    None)],
                                   actor=users.department)
    assert changed == 2
    assert list(Target.objects.values_list("organisation__code", "year", "term",
                                           "admissions")) == [("DBK", 2024, "", 7)]
    assert Target.objects.get().set_by == users.department


def test_recording_a_term_twice_updates_the_dates(tree, users):
    services.record_term(organisation=tree.gc1, label="2020-2025",
                         start_date=date(2020, 6, 1), end_date=date(2025, 6, 1),
                         actor=users.department)
    services.record_term(organisation=tree.gc1, label="2020-2025",
                         start_date=date(2020, 6, 2), end_date=date(2025, 6, 1),
                         actor=users.department)
    assert Term.objects.get().start_date == date(2020, 6, 2)
