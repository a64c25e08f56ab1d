"""Targets are keyed by organisation and year (or term): created, updated, left unchanged;
a row must name a year or a term, not both; the export re-imports unchanged."""
from reports.models import Target

from .conftest import csv_bytes, export_bytes, messages, run_import

HEADERS = ["Mã tổ chức", "Năm", "Nhiệm kỳ", "Chỉ tiêu kết nạp"]


def test_targets_for_years_and_terms_import_and_reimport_unchanged(as_user, users, tree):
    rows = [["GC1", "2026", "", "12"], ["GC1", "", "2025-2030", "60"], ["B1", "2026", "", "3"]]
    outcome = run_import("targets", csv_bytes(HEADERS, rows), users.department)
    assert outcome.ok and outcome.created == 3, messages(outcome)
    assert Target.objects.get(organisation=tree.gc1, term="2025-2030").admissions == 60
    assert Target.objects.get(organisation=tree.b1).set_by == users.department

    exported = export_bytes(as_user(users.department), "targets", "csv", root="GC1")
    again = run_import("targets", exported, users.department)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    rows[0][3] = "15"
    outcome = run_import("targets", csv_bytes(HEADERS, rows), users.department)
    assert (outcome.updated, outcome.unchanged) == (1, 2)


def test_a_target_names_a_year_or_a_term_but_not_both(users, tree):
    rows = [["GC1", "2026", "2025-2030", "12"], ["GC1", "", "", "12"], ["GC1", "", "2025", "1"]]
    assert messages(run_import("targets", csv_bytes(HEADERS, rows), users.department)) == [
        "dòng 2, cột Năm: ghi Năm hoặc Nhiệm kỳ, một trong hai.",
        "dòng 3, cột Năm: ghi Năm hoặc Nhiệm kỳ, một trong hai.",
        "dòng 4, cột Nhiệm kỳ: Nhiệm kỳ ghi theo dạng 2020-2025.",
    ]


def test_a_secretary_cannot_import_targets(users):
    from members import importing

    assert "targets" not in importing.kinds_for(users.secretary)
