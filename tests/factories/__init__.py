from tests.factories.accounts import (
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    UserFactory,
)

__all__ = ["DistrictFactory", "NeighbourhoodFactory", "OrganisationFactory", "UserFactory"]
