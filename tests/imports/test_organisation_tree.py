"""A whole tree in one file, in any row order; paths are computed in bulk so the subtree
queries work at once; moving a unit moves its subtree."""
from members.headcounts import staff_by_unit
from members.models import FROM_THE_START, Organisation

from .conftest import ORG_HEADERS, csv_bytes, messages, run_import


def test_a_tree_imports_in_one_file_children_before_parents(users):
    rows = [
        ["T-B1", "Chi bộ Một", "Chi bộ trực thuộc", "T-GC", "9"],
        ["T-GC", "Đảng bộ cơ sở", "Đảng bộ cơ sở", "T-ROOT", "60"],
        ["T-P", "Đảng bộ bộ phận", "Đảng bộ bộ phận", "T-GC", ""],
        ["T-B2", "Chi bộ Hai", "Chi bộ trực thuộc", "T-P", "6"],
        ["T-ROOT", "Đảng bộ Khối", "Đảng bộ cấp trên", "", ""],
    ]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin)
    assert outcome.ok, messages(outcome)
    root = Organisation.objects.get(code="T-ROOT")
    assert list(root.descendants().order_by("path").values_list("code", flat=True)) == [
        "T-GC", "T-B1", "T-P", "T-B2"]
    b2 = Organisation.objects.get(code="T-B2")
    assert [a.code for a in b2.ancestors()] == ["T-ROOT", "T-GC", "T-P"]
    assert b2.depth == 4
    assert list(b2.headcounts.values_list("valid_from", "staff")) == [(FROM_THE_START, 6)]
    assert staff_by_unit([b2]) == {b2.pk: 6}


def test_new_units_go_after_the_existing_children(users, tree):
    rows = [["B4", "Chi bộ Bốn", "Chi bộ trực thuộc", "GC1", ""]]
    assert run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin).ok
    b4 = Organisation.objects.get(code="B4")
    assert b4.parent == tree.gc1 and b4.path > tree.b1.path
    assert tree.gc1.descendants().filter(code="B4").exists()


def test_a_changed_parent_moves_the_whole_subtree(users, tree):
    rows = [["GC1-P", "Đảng bộ bộ phận Khối Nội", "Đảng bộ bộ phận", "GC1", ""],
            ["B2", "Chi bộ Hai", "Chi bộ trực thuộc", "GC2", ""]]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin)
    assert outcome.ok and (outcome.updated, outcome.unchanged) == (1, 1)
    tree.gc2.refresh_from_db()
    assert tree.gc2.descendants().filter(code="B2").exists()


def test_a_renamed_unit_is_updated_and_an_identical_one_left_unchanged(users, tree):
    rows = [["B1", "Chi bộ Số Một", "Chi bộ trực thuộc", "GC1", ""],
            ["B3", "Chi bộ Ba", "Chi bộ trực thuộc", "GC2", ""]]
    outcome = run_import("organisations", csv_bytes(ORG_HEADERS, rows), users.admin)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    assert Organisation.objects.get(code="B1").name == "Chi bộ Số Một"
