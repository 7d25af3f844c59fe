"""A poison event (one a projection cannot apply) is set aside, not allowed to stop the world."""

from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.utils import get_topic

from aggregates.client import Client
from events.vocabulary import Answer, Rating
from projections.client_alignment import ClientAlignmentProjection
from projections.runner import BatchProjector
from tests.integration.conftest import private_name
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

POISON_TOPIC = get_topic(Client.AnswerRated)


class SwitchablyPoisoned(ClientAlignmentProjection):
    """Client alignment that cannot apply one tenant's ratings until ``fixed`` is set."""

    def __init__(self, tenant: str) -> None:
        self.tenant = tenant
        self.fixed = False

    def apply(self, cur: Any, event: Any, position: int) -> None:
        if (not self.fixed and get_topic(type(event)) == POISON_TOPIC
                and event.tenant == self.tenant):
            raise RuntimeError("cannot apply a rating")
        super().apply(cur, event, position)


@pytest.fixture
def poisoned(services: Any, scenario: Scenario, private_projectors: Any
             ) -> tuple[BatchProjector, UUID, UUID]:
    """A private poisoned projector, and a client whose completed review holds one rating:
    (projector, client, review)."""
    projection = type("PrivatePoisoned", (SwitchablyPoisoned,),
                      {"name": private_name("poisoned_alignment")})(scenario.tenant)
    firewall, email = scenario.standard(), scenario.standard(category="email")
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, firewall, Answer.NO)
    scenario.rate(client, review, firewall, Rating.HIGHLY_VULNERABLE)
    scenario.answer(client, review, email, Answer.YES)
    scenario.complete(client, review)
    return private_projectors(projection), client, review


def answers(services: Any, projector: BatchProjector, review: UUID) -> dict[str, str | None]:
    with services.reader.cursor(projector.name) as cur:
        cur.execute("SELECT answer, rating FROM answers WHERE review_id = %s", (review,))
        return dict(cur.fetchall())


def completed_at(services: Any, projector: BatchProjector, review: UUID) -> Any:
    with services.reader.cursor(projector.name) as cur:
        cur.execute("SELECT completed_at FROM reviews WHERE review_id = %s", (review,))
        return cur.fetchone()[0]


def test_a_poison_event_is_recorded_as_a_dead_letter_with_its_error(
        services: Any, poisoned: tuple[BatchProjector, UUID, UUID]) -> None:
    projector, _, _ = poisoned

    projector.catch_up()

    [letter] = services.reader.dead_letters(projector.name)
    assert letter.topic == POISON_TOPIC
    assert letter.error == "RuntimeError: cannot apply a rating"


def test_the_projection_moves_on_past_a_poison_event(
        services: Any, poisoned: tuple[BatchProjector, UUID, UUID]) -> None:
    projector, _, review = poisoned

    projector.catch_up()

    assert answers(services, projector, review) == {"no": None, "yes": None}
    assert completed_at(services, projector, review) is not None


def test_status_shows_the_dead_letter_and_no_lag(
        poisoned: tuple[BatchProjector, UUID, UUID]) -> None:
    projector, _, _ = poisoned

    projector.catch_up()

    status = projector.status()
    assert (status.dead_letters, status.lag) == (1, 0)


def test_a_retry_before_the_fix_keeps_the_dead_letter(
        services: Any, poisoned: tuple[BatchProjector, UUID, UUID]) -> None:
    projector, _, _ = poisoned
    projector.catch_up()

    assert projector.retry_dead_letters() == (0, 1)

    assert len(services.reader.dead_letters(projector.name)) == 1


def test_a_retry_after_the_fix_applies_the_event_and_resolves_the_dead_letter(
        services: Any, poisoned: tuple[BatchProjector, UUID, UUID]) -> None:
    projector, _, review = poisoned
    projector.catch_up()
    projector.projection.fixed = True

    assert projector.retry_dead_letters() == (1, 0)

    assert answers(services, projector, review) == {"no": "highly_vulnerable", "yes": None}
    assert services.reader.dead_letters(projector.name) == []
    assert projector.status().dead_letters == 0


class LosesItsConnection(ClientAlignmentProjection):
    """Client alignment whose server connection is cut while it applies one tenant's rating
    (the server restarted, say): no event is to blame."""

    def __init__(self, tenant: str, poison_first: bool) -> None:
        self.tenant, self.poison_first = tenant, poison_first
        self.failed_batches = 0

    def apply(self, cur: Any, event: Any, position: int) -> None:
        if get_topic(type(event)) == POISON_TOPIC and event.tenant == self.tenant:
            if self.poison_first:  # the batch fails on it; the cut comes while it is isolated
                self.poison_first = False
                raise RuntimeError("cannot apply a rating")
            cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        super().apply(cur, event, position)

    def batch_failed(self) -> None:
        self.failed_batches += 1
        super().batch_failed()


@pytest.mark.parametrize("poison_first", [False, True],
                         ids=["cut in the batch", "cut while isolating a poison event"])
def test_a_lost_connection_fails_the_batch_as_itself_and_sets_no_event_aside(
        services: Any, scenario: Scenario, private_projectors: Any, poison_first: bool) -> None:
    projection = type("PrivateCut", (LosesItsConnection,),
                      {"name": private_name("cut_alignment")})(scenario.tenant, poison_first)
    firewall = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, firewall, Answer.NO)
    scenario.rate(client, review, firewall, Rating.MARGINAL)
    projector = private_projectors(projection)

    with pytest.raises(psycopg.OperationalError):
        projector.catch_up()

    # what it kept in memory is dropped: after the batch, and after the event being isolated
    assert projection.failed_batches == 1 + poison_first
    assert services.reader.dead_letters(projector.name) == []
