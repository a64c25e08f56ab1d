"""Every role sees its own subtree and nothing else; outside it objects do not exist (404)."""
from members import selectors
from members.models import Role
from tests.factories import grant


def fresh(user):
    """The user as the next request loads it, without grants remembered from earlier."""
    return type(user).objects.get(pk=user.pk)


def names(qs):
    return set(qs.values_list("full_name", flat=True))


def test_branch_secretary_sees_only_the_members_of_their_branch(users, members):
    assert names(selectors.members_visible_to(users.secretary)) == {"Nguyễn Thị Đào"}


def test_grassroots_office_sees_its_branches_and_those_under_its_partial_committee(
    users, members
):
    assert names(selectors.members_visible_to(users.office)) == {"Nguyễn Thị Đào",
                                                                 "Trần Văn Bình"}


def test_department_and_leadership_at_the_top_see_the_whole_tree(users, members):
    everyone = {"Nguyễn Thị Đào", "Trần Văn Bình", "Lê Minh Châu", "Phạm Hồng Gấm"}
    assert names(selectors.members_visible_to(users.department)) == everyone
    assert names(selectors.members_visible_to(users.leader)) == everyone


def test_a_user_with_no_role_sees_nothing(users, members):
    assert not selectors.members_visible_to(users.nobody).exists()
    assert not selectors.organisations_visible_to(users.nobody).exists()


def test_superuser_sees_everything(users, members):
    assert selectors.members_visible_to(users.admin).count() == 4


def test_roles_at_two_organisations_cover_both_subtrees(users, members, tree):
    grant(users.secretary, Role.BRANCH_SECRETARY, tree.b3)
    assert names(selectors.members_visible_to(fresh(users.secretary))) == {"Nguyễn Thị Đào",
                                                                    "Lê Minh Châu"}


def test_nested_grants_collapse_into_the_outer_subtree(users, tree):
    grant(users.office, Role.LEADERSHIP, tree.b1)
    assert [o.code for o in selectors.scope_roots(fresh(users.office))] == ["GC1"]


def test_scoped_organisations_include_the_grant_itself(users, tree):
    codes = set(selectors.organisations_visible_to(users.office).values_list("code", flat=True))
    assert codes == {"GC1", "GC1-P", "B1", "B2"}


def test_visibility_of_a_single_organisation(users, tree):
    assert selectors.can_see(users.office, tree.b2)
    assert not selectors.can_see(users.office, tree.b3)
    assert not selectors.can_see(users.office, tree.root)
