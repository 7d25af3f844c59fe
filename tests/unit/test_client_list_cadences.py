"""The client list works each cadence out once per set of the facts it is decided from
(``api.routers.clients.cadences_of``); each is the cadence the planner gives that client."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from aggregates.cadence_rules import default_rules
from api.routers.clients import cadences_of
from projections.client_directory import DirectoryClient
from schedulers.client_cadence import client_cadence

SMALL = DirectoryClient(
    client_id=uuid4(), tenant="t", name="Small", vcio="v", mrr=Decimal("1500"), user_count=12,
    complexity=8, fiscal_year_start_month=1, onboarded_at=datetime(2026, 1, 1, tzinfo=UTC),
    preferred_weekday=None, preferred_time=None, timezone=None, override_meetings_per_year=None,
    override_touches_per_month=None, override_reason=None, industry="law", tam="t",
    offboarded_on=None)


def test_each_client_gets_the_cadence_the_planner_gives_it() -> None:
    clients = [SMALL, replace(SMALL, client_id=uuid4(), mrr=Decimal("6500"), complexity=3),
               replace(SMALL, client_id=uuid4()),
               replace(SMALL, client_id=uuid4(), override_meetings_per_year=12,
                       override_touches_per_month=4, override_reason="asked")]

    found = cadences_of(default_rules(), clients)

    assert found == [client_cadence(default_rules(), c).cadence for c in clients]
    assert len({c.source for c in found}) == 3
