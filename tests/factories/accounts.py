import factory

from meedoen.accounts.models import District, Neighbourhood, Organisation, OrganisationKind, Role, User
from meedoen.accounts.services import user_create

PASSWORD = "a-long-test-password-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.SOCIAL_TEAM


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Wijk {n}")
    cbs_code = factory.Sequence(lambda n: f"WK{n:06d}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Buurt {n}")
    cbs_code = factory.Sequence(lambda n: f"BU{n:08d}")


class UserFactory(factory.Factory):
    """Users are made through the real service, as the admin and seed_demo make them."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.PROFESSIONAL
    password = PASSWORD
    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(**kwargs)
