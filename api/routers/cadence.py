"""A client's cadence and meeting plan: the MSP's rules set how often the vCIO meets and touches
each client; the vCIO can override that (with a reason) and say when the client likes to meet;
the annual scheduler turns both into a plan per year."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from aggregates.errors import NotFoundError
from api.dependencies import (
    ActorDep,
    IdempotencyKeyDep,
    KnownClientDep,
    SchedulerStoreDep,
    ServicesDep,
    sends,
)
from api.errors import RECORD_RESPONSES
from api.schemas.common import Recorded, to_command
from api.schemas.schedule import (
    CadenceOverridePut,
    ClientCadenceSettingsPublic,
    MeetingPlanPublic,
    MeetingPreferencePut,
)
from commands.cadence import (
    ClearClientCadenceOverride,
    OverrideClientCadence,
    SetMeetingPreference,
)
from schedulers.client_cadence import client_cadence

router = APIRouter(prefix="/clients/{client_id}", tags=["cadence and plan"], responses=RECORD_RESPONSES)

YearQuery = Annotated[int | None, Query(ge=2000, le=2200, description="Default: this year.")]


@router.get("/cadence")
def get_cadence(
    client: KnownClientDep, actor: ActorDep, store: SchedulerStoreDep
) -> ClientCadenceSettingsPublic:
    """Read the cadence the client is planned with, the rules' cadence, the override and the
    meeting preference."""
    return ClientCadenceSettingsPublic.of(client, client_cadence(store.rules_for(actor.tenant), client))


@router.put("/cadence-override", dependencies=[sends(OverrideClientCadence)])
def override_cadence(
    client_id: UUID,
    body: CadenceOverridePut,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Set the client's cadence by hand; it wins over the MSP's rules in plans made from now."""
    command = to_command(OverrideClientCadence, body, client_id=client_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.delete("/cadence-override", dependencies=[sends(ClearClientCadenceOverride)])
def clear_override(
    client_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    reason: Annotated[str, Query(min_length=1, max_length=1000, description="Why the rules apply again.")],
    expected_version: Annotated[int | None, Query(ge=1)] = None,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Clear the client's cadence override, so that the MSP's rules apply again."""
    command = to_command(
        ClearClientCadenceOverride, client_id=client_id, reason=reason, expected_version=expected_version
    )
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.put("/meeting-preference", dependencies=[sends(SetMeetingPreference)])
def set_preference(
    client_id: UUID,
    body: MeetingPreferencePut,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Set the weekday and time the client likes to meet (plans made from now honour it)."""
    command = to_command(SetMeetingPreference, body, client_id=client_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.get("/meeting-plan")
def get_meeting_plan(
    client: KnownClientDep, services: ServicesDep, actor: ActorDep, year: YearQuery = None
) -> MeetingPlanPublic:
    """Read the client's meeting plan for a year, as the scheduler recorded it."""
    wanted = year or services.clock().year
    found = services.client_directory.plans(actor.tenant, wanted, subject_id=client.client_id)
    if not found:
        raise NotFoundError("year", f"the client has no meeting plan for {wanted}")
    return MeetingPlanPublic.model_validate(found[0])
