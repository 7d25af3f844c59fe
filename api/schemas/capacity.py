"""Each vCIO's and TAM's load against the MSP's targets."""

import api.schemas.strategy_public  # noqa: F401  declares the target bands' models the capacity nests
from api.schemas.common import ViewModel
from projections.capacity import Capacity, CapacityClient, MonthLoad, PersonLoad


class MonthLoadPublic(ViewModel, view=MonthLoad):
    """Strategy meetings planned and unique touches due in one month."""


class CapacityClientPublic(ViewModel, view=CapacityClient):
    """A client beyond the high end of its person's band (most recently onboarded first)."""


class PersonLoadPublic(ViewModel, view=PersonLoad):
    """One vCIO's or TAM's clients, MRR and monthly load; bands are below / in / above."""


class CapacityPublic(ViewModel, view=Capacity):
    """Every vCIO's and TAM's load over the next 12 months against the MSP's bands."""
