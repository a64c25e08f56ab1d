"""factory-boy factories shared by every test."""
from datetime import date

import factory
from django.contrib.auth import get_user_model

from members.models import Member, MemberStatus, Organisation, OrganisationKind, RoleGrant
from members.movements import write_present_rows


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"Tổ chức số {n}")
    kind = OrganisationKind.UPPER_COMMITTEE
    parent = None


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    birth_date = date(1990, 5, 17)
    sex = "male"
    organisation = None
    card_number = factory.Sequence(lambda n: f"{n:08d}")
    admitted_date = date(2015, 3, 2)
    official_date = date(2016, 3, 2)
    status = MemberStatus.OFFICIAL

    @factory.post_generation
    def movements(obj, create, extracted, **kwargs):
        """A member made directly is one whose history was not recorded: on their branch's
        list since they joined (and off it when they left, if the day is known)."""
        if create and extracted is not False:
            write_present_rows([obj])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user, role, organisation):
    return RoleGrant.objects.create(user=user, role=role, organisation=organisation)
