"""Clients: the vCIO onboards them, keeps their profile and their decision makers, offboards them."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from aggregates.cadence_rules import Cadence, PlanningRules
from api.dependencies import (
    ActorDep,
    FreshClientsDep,
    FreshPeopleDep,
    IdempotencyKeyDep,
    KnownClientDep,
    SchedulerStoreDep,
    ServicesDep,
    sends,
)
from api.errors import RECORD_RESPONSES
from api.paging import AfterQuery, LimitQuery, decode_cursor, next_cursor
from api.query_types import OptionalQueryReason, QueryText
from api.schemas.clients import (
    ClientCreate,
    ClientCreated,
    ClientOffboarding,
    ClientProfileUpdate,
    ClientPublic,
    ClientReonboarding,
    ClientsPublic,
    DecisionMakerCreate,
    DecisionMakerCreated,
    DecisionMakerErasure,
    DecisionMakerPublic,
    DecisionMakersPublic,
)
from api.schemas.common import Recorded, to_command
from commands.clients import (
    AddDecisionMaker,
    ChangeClientProfile,
    EraseDecisionMaker,
    OffboardClient,
    OnboardClient,
    RemoveDecisionMaker,
    ReonboardClient,
)
from projections.client_directory import DirectoryClient
from projections.client_list import client_page
from schedulers.client_cadence import client_cadence

router = APIRouter(prefix="/clients", tags=["clients"], responses=RECORD_RESPONSES)


@router.get("")
def list_clients(
    services: ServicesDep,
    actor: ActorDep,
    store: SchedulerStoreDep,
    _: FreshClientsDep,
    vcio: Annotated[QueryText | None, Query(description="Only this vCIO's clients.")] = None,
    include_offboarded: Annotated[bool, Query(description="Offboarded clients too.")] = False,
    after: AfterQuery = None,
    limit: LimitQuery = 100,
) -> ClientsPublic:
    """List the active clients of the token's MSP by name, with their cadence and latest score,
    a page at a time."""
    cursor = None
    if after is not None:
        name, client_id = decode_cursor(after, (str, UUID))
        cursor = (str(name), UUID(str(client_id)))
    page = client_page(services.reader, actor.tenant, vcio, include_offboarded, cursor, limit,
                       datetime.now(UTC), store.stored_rules)
    rules = page.cadence_rules or store.stored_rules(actor.tenant)
    cadences = cadences_of(rules, page.clients)
    return ClientsPublic(
        data=[ClientPublic.of_view(c, cadence=cadence, latest_score=page.latest.get(c.client_id))
              for c, cadence in zip(page.clients, cadences, strict=True)],
        count=len(page.clients), next=next_cursor(page.clients, limit, "name", "client_id"),
        total=page.total,
    )


def cadences_of(rules: PlanningRules, clients: list[DirectoryClient]) -> list[Cadence]:
    """Each client's cadence, worked out once per set of the facts it is decided from (a page
    of clients shares a few: measured, working each out was most of the list's Python time)."""
    known: dict[tuple[object, ...], Cadence] = {}
    found = []
    for client in clients:
        facts = (client.mrr, client.user_count, client.complexity,
                 client.override_meetings_per_year, client.override_touches_per_month)
        if facts not in known:
            known[facts] = client_cadence(rules, client).cadence
        found.append(known[facts])
    return found


@router.get("/{client_id}")
def get_client(
    client: KnownClientDep, services: ServicesDep, actor: ActorDep, store: SchedulerStoreDep
) -> ClientPublic:
    """Read a client's profile, the cadence it is planned with, and its latest score."""
    history = services.history.history(actor.tenant, client.client_id)
    cadence = client_cadence(store.rules_for(actor.tenant), client)
    return ClientPublic.of(client, cadence, history[-1] if history else None)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[sends(OnboardClient)])
def onboard(
    body: ClientCreate,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> ClientCreated:
    """Onboard a new client."""
    result = services.bus.handle(to_command(OnboardClient, body), actor, idempotency_key=idempotency_key)
    return ClientCreated.of(result, client_id=result.aggregate_id)


@router.patch("/{client_id}", dependencies=[sends(ChangeClientProfile)])
def change_profile(
    client_id: UUID,
    body: ClientProfileUpdate,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Change some of a client's profile fields (name, MRR, size, complexity, owners...)."""
    changes = body.model_dump(mode="json", exclude_unset=True, exclude={"expected_version"})
    command = to_command(
        ChangeClientProfile,
        client_id=client_id,
        changes=changes,
        expected_version=body.expected_version,
    )
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.get("/{client_id}/decision-makers")
def list_people(
    client: KnownClientDep,
    services: ServicesDep,
    actor: ActorDep,
    _: FreshPeopleDep,
    include_removed: Annotated[bool, Query(description="Former decision makers too.")] = False,
) -> DecisionMakersPublic:
    """List a client's decision makers with their contact details (erased people read
    ``[erased]``)."""
    found = services.decision_makers.of_client(actor.tenant, client.client_id, include_removed)
    return DecisionMakersPublic(data=[DecisionMakerPublic.of_view(p) for p in found], count=len(found))


@router.post("/{client_id}/decision-makers/{decision_maker_id}/erase",
             dependencies=[sends(EraseDecisionMaker)])
def erase_person(
    client_id: UUID,
    decision_maker_id: UUID,
    body: DecisionMakerErasure,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Erase a decision maker's personal data on their request (admin only): their key is
    destroyed, so every copy reads as erased; the erasure itself is recorded."""
    command = to_command(EraseDecisionMaker, body, client_id=client_id,
                         decision_maker_id=decision_maker_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{client_id}/decision-makers", status_code=status.HTTP_201_CREATED,
             dependencies=[sends(AddDecisionMaker)])
def add_person(
    client_id: UUID,
    body: DecisionMakerCreate,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> DecisionMakerCreated:
    """Add a decision maker (someone who can approve spending) to a client."""
    command = to_command(AddDecisionMaker, body, client_id=client_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return DecisionMakerCreated.of(result, decision_maker_id=result.created_id)


@router.delete("/{client_id}/decision-makers/{decision_maker_id}", dependencies=[sends(RemoveDecisionMaker)])
def remove_person(
    client_id: UUID,
    decision_maker_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    reason: Annotated[OptionalQueryReason, Query(description="Why they no longer decide.")] = "",
    expected_version: Annotated[int | None, Query(ge=1)] = None,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Remove a decision maker from a client."""
    command = RemoveDecisionMaker(
        client_id=client_id,
        decision_maker_id=decision_maker_id,
        reason=reason,
        expected_version=expected_version,
    )
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{client_id}/offboard", dependencies=[sends(OffboardClient)])
def offboard(
    client_id: UUID,
    body: ClientOffboarding,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Offboard a client from a day, cancelling its meetings planned from that day."""
    command = to_command(OffboardClient, body, client_id=client_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{client_id}/reonboard", dependencies=[sends(ReonboardClient)])
def reonboard(
    client_id: UUID,
    body: ClientReonboarding,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Bring an offboarded client back into counts and plans."""
    command = to_command(ReonboardClient, body, client_id=client_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))
