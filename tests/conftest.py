"""A small province shared by the tests: two grassroots committees, one with a partial
committee, a grassroots branch, and one user per role (plus one with no role)."""
from types import SimpleNamespace

import pytest

from members.models import OrganisationKind as K
from members.models import Role

from .factories import MemberFactory, OrganisationFactory, UserFactory, grant


@pytest.fixture
def as_user(client):
    """The test client signed in as `user`."""
    def login(user):
        client.force_login(user)
        return client
    return login


@pytest.fixture
def tree(db):
    root = OrganisationFactory(code="DBK", name="Đảng bộ Khối", kind=K.UPPER_COMMITTEE)
    gc1 = OrganisationFactory(code="GC1", name="Đảng bộ Sở Một", kind=K.GRASSROOTS_COMMITTEE,
                              parent=root)
    partial = OrganisationFactory(code="GC1-P", name="Đảng bộ bộ phận Khối Nội",
                                  kind=K.PARTIAL_COMMITTEE, parent=gc1)
    b1 = OrganisationFactory(code="B1", name="Chi bộ Một", kind=K.BRANCH, parent=gc1)
    b2 = OrganisationFactory(code="B2", name="Chi bộ Hai", kind=K.BRANCH, parent=partial)
    gc2 = OrganisationFactory(code="GC2", name="Đảng bộ Sở Hai", kind=K.GRASSROOTS_COMMITTEE,
                              parent=root)
    b3 = OrganisationFactory(code="B3", name="Chi bộ Ba", kind=K.BRANCH, parent=gc2)
    gb = OrganisationFactory(code="CBCS", name="Chi bộ cơ sở Tỉnh đoàn",
                             kind=K.GRASSROOTS_BRANCH, parent=root)
    return SimpleNamespace(root=root, gc1=gc1, partial=partial, b1=b1, b2=b2, gc2=gc2, b3=b3,
                           gb=gb)


@pytest.fixture
def members(tree):
    return SimpleNamespace(
        m1=MemberFactory(full_name="Nguyễn Thị Đào", organisation=tree.b1),
        m2=MemberFactory(full_name="Trần Văn Bình", organisation=tree.b2,
                         status="probationary", official_date=None),
        m3=MemberFactory(full_name="Lê Minh Châu", organisation=tree.b3),
        m4=MemberFactory(full_name="Phạm Hồng Gấm", organisation=tree.gb),
    )


@pytest.fixture
def users(tree):
    def user_with(username, role, org):
        user = UserFactory(username=username)
        grant(user, role, org)
        return user

    return SimpleNamespace(
        secretary=user_with("bithu", Role.BRANCH_SECRETARY, tree.b1),
        office=user_with("vanphong", Role.GRASSROOTS_OFFICE, tree.gc1),
        department=user_with("bantochuc", Role.ORG_DEPARTMENT, tree.root),
        leader=user_with("lanhdao", Role.LEADERSHIP, tree.root),
        admin=UserFactory(username="quantri", is_staff=True, is_superuser=True),
        nobody=UserFactory(username="chuaphanquyen"),
    )
