import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Organisation, subtree_bounds
from members.models import OrganisationKind as K
from tests.factories import OrganisationFactory


def test_subtree_bounds_cover_exactly_the_descendants_by_prefix():
    assert subtree_bounds("00001") == ("00001", "00002")
    assert subtree_bounds("0000100099") == ("0000100099", "0000100100")


def test_each_child_path_extends_its_parent_path(tree):
    assert tree.gc1.path.startswith(tree.root.path)
    assert tree.b2.path.startswith(tree.partial.path)
    assert tree.b2.depth == 4
    assert tree.root.depth == 1


def test_descendants_are_the_whole_subtree_in_one_query(tree):
    with CaptureQueriesContext(connection) as ctx:
        codes = set(tree.gc1.descendants(include_self=True).values_list("code", flat=True))
    assert codes == {"GC1", "GC1-P", "B1", "B2"}
    assert len(ctx.captured_queries) == 1


def test_sibling_subtrees_do_not_leak_into_each_other(tree):
    assert "B3" not in set(tree.gc1.descendants().values_list("code", flat=True))
    assert set(tree.gc2.descendants().values_list("code", flat=True)) == {"B3"}


def test_ancestors_run_from_the_root_down(tree):
    assert [o.code for o in tree.b2.ancestors()] == ["DBK", "GC1", "GC1-P"]


def test_moving_an_organisation_moves_its_whole_subtree(tree):
    tree.partial.parent = tree.gc2
    tree.partial.save()
    tree.b2.refresh_from_db()
    assert tree.b2.path.startswith(tree.gc2.path)
    assert set(tree.gc2.descendants().values_list("code", flat=True)) == {"B3", "GC1-P", "B2"}
    assert set(tree.gc1.descendants().values_list("code", flat=True)) == {"B1"}
    assert tree.b2.depth == 4


def test_a_cycle_in_the_tree_is_refused_with_a_message(tree):
    tree.root.parent = tree.b1
    with pytest.raises(ValidationError) as err:
        tree.root.full_clean()
    assert "vòng lặp" in str(err.value)


def test_saving_a_cycle_without_clean_is_refused_too(tree):
    tree.gc1.kind = K.UPPER_COMMITTEE
    tree.gc1.save()
    tree.root.parent = tree.gc1
    with pytest.raises(ValidationError):
        tree.root.save()
    tree.root.refresh_from_db()
    assert tree.root.parent_id is None


def test_an_organisation_code_already_used_is_refused_with_a_message(tree):
    dup = Organisation(code="B1", name="Chi bộ trùng mã", kind=K.BRANCH, parent=tree.gc1)
    with pytest.raises(ValidationError) as err:
        dup.full_clean()
    assert "Mã tổ chức này đã được dùng" in str(err.value.message_dict["code"])


@pytest.mark.parametrize(
    ("kind", "parent_attr"),
    [
        (K.BRANCH, "root"),  # a branch sits under a grassroots or partial committee
        (K.PARTIAL_COMMITTEE, "root"),
        (K.GRASSROOTS_COMMITTEE, "gc1"),
        (K.GRASSROOTS_BRANCH, None),
        (K.BRANCH, "b1"),
    ],
)
def test_a_kind_under_the_wrong_parent_is_refused(tree, kind, parent_attr):
    parent = getattr(tree, parent_attr) if parent_attr else None
    org = Organisation(code="NEW", name="Mới", kind=kind, parent=parent)
    with pytest.raises(ValidationError) as err:
        org.full_clean()
    assert "parent" in err.value.message_dict


def test_a_code_with_spaces_or_diacritics_is_refused(tree):
    org = Organisation(code="CHI BỘ", name="Mới", kind=K.BRANCH, parent=tree.gc1)
    with pytest.raises(ValidationError) as err:
        org.full_clean()
    assert "code" in err.value.message_dict


def test_a_new_sibling_gets_a_later_unique_path(tree):
    b4 = OrganisationFactory(code="B4", kind=K.BRANCH, parent=tree.gc1)
    assert b4.path > tree.b1.path
    assert len({o.path for o in Organisation.objects.all()}) == Organisation.objects.count()
