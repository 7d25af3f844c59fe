"""The MSP's own rules: read the settings in force and their changes; an admin changes them
(each change an event with the day it takes effect); the committee replays the latest reviews
under a proposed scoring policy before anyone adopts it."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from aggregates.msp_settings import check_factors, check_weights
from api.dependencies import ActorDep, IdempotencyKeyDep, ServicesDep, fresh, sends
from api.errors import RECORD_RESPONSES
from api.query_types import QueryMoment
from api.schemas.committee import ImpactPublic
from api.schemas.common import Recorded, to_command
from api.schemas.msp_settings import (
    CadenceRulesPublic,
    CadenceRulesPut,
    FinancialDefaultsPut,
    ReviewLeadTimePut,
    ScoringPolicyProposal,
    ScoringPolicyPut,
    SettingChangePublic,
    SettingChangesPublic,
    SettingsPublic,
    TargetBandsPut,
)
from commands.msp_settings import (
    SetCadenceRules,
    SetFinancialDefaults,
    SetReviewLeadTime,
    SetScoringPolicy,
    SetTargetBands,
)
from projections.impact import AsAnswered
from projections.scoring import ScoringPolicy

router = APIRouter(prefix="/settings", tags=["settings"], responses=RECORD_RESPONSES)

FreshSettingsDep = Annotated[None, fresh("msp_settings")]
FreshPolicyReplayDep = Annotated[None, fresh("msp_settings", "as_of")]
At = Annotated[QueryMoment | None, Query(description=(
    "The instant (ISO 8601 with offset); default now. A setting is in force from the later of"
    " 00:00 UTC of its day and the instant it was recorded."))]


def instant(services: ServicesDep, at: datetime | None) -> datetime:
    return services.clock() if at is None else at.astimezone(UTC)


@router.get("")
def settings_in_force(services: ServicesDep, actor: ActorDep, _: FreshSettingsDep,
                      at: At = None) -> SettingsPublic:
    """The MSP's scoring policy, target bands, review lead time, currency and fiscal year in force
    at an instant (default now): a change is in force once its day has begun (UTC) and it has
    been recorded, so an earlier hour of the day it was recorded shows the setting before it."""
    return SettingsPublic.model_validate(services.msp_settings.in_force(actor.tenant, instant(services, at)))


@router.get("/changes")
def setting_changes(services: ServicesDep, actor: ActorDep, _: FreshSettingsDep) -> SettingChangesPublic:
    """Every change of the MSP's settings, oldest first: who, when it takes effect, why."""
    found = services.msp_settings.changes(actor.tenant)
    return SettingChangesPublic(data=[SettingChangePublic.model_validate(c) for c in found],
                                count=len(found))


@router.get("/cadence-rules")
def cadence_rules(services: ServicesDep, actor: ActorDep, _: FreshSettingsDep,
                  at: At = None) -> CadenceRulesPublic:
    """The planning rules recorded as settings in force (the defaults when none were)."""
    rules = services.msp_settings.cadence_rules_or_defaults(actor.tenant, instant(services, at))
    return CadenceRulesPublic.model_validate(rules.model_dump(mode="json"))


@router.put("/scoring-policy", dependencies=[sends(SetScoringPolicy)])
def set_scoring_policy(body: ScoringPolicyPut, services: ServicesDep, actor: ActorDep,
                       idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Set the scoring policy; reviews finalised from its day on are scored under it."""
    command = to_command(SetScoringPolicy, body)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.put("/target-bands", dependencies=[sends(SetTargetBands)])
def set_target_bands(body: TargetBandsPut, services: ServicesDep, actor: ActorDep,
                     idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Set the vCIO dashboard's target bands."""
    command = to_command(SetTargetBands, body)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.put("/cadence-rules", dependencies=[sends(SetCadenceRules)])
def set_cadence_rules(body: CadenceRulesPut, services: ServicesDep, actor: ActorDep,
                      idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Set the planning rules (refused, naming both rows, when more would give less)."""
    command = to_command(SetCadenceRules, body)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.put("/review-lead-time", dependencies=[sends(SetReviewLeadTime)])
def set_review_lead_time(body: ReviewLeadTimePut, services: ServicesDep, actor: ActorDep,
                         idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Set how many days before a strategy meeting due review areas should be done."""
    command = to_command(SetReviewLeadTime, body)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.put("/financial-defaults", dependencies=[sends(SetFinancialDefaults)])
def set_financial_defaults(body: FinancialDefaultsPut, services: ServicesDep, actor: ActorDep,
                           idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Set the currency (ISO 4217) and the month a fiscal year starts in by default."""
    command = to_command(SetFinancialDefaults, body)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/scoring-policy/replay")
def replay_under_policy(body: ScoringPolicyProposal, services: ServicesDep, actor: ActorDep,
                        _: FreshPolicyReplayDep) -> ImpactPublic:
    """Each client's latest finalised review under the policy in force and under a proposed
    one (records nothing)."""
    weights, factors = body.weights.model_dump(), body.factors.model_dump()
    check_weights(weights)
    check_factors(factors)
    proposed = ScoringPolicy(weights=weights, aligned=factors["aligned"], marginal=factors["marginal"],
                             highly_vulnerable=factors["highly_vulnerable"], unrated=factors["unrated"])
    in_force = services.msp_settings.scoring_policy(actor.tenant, services.clock())
    report = services.impact.replay(actor.tenant, AsAnswered(), policy=in_force, target_policy=proposed)
    return ImpactPublic.model_validate(report)
