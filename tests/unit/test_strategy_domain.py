"""The rules of a client's strategy work: recommendations, meetings, action items, touches and
feedback, decided by the ``Client`` aggregate through the real command handlers."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from aggregates.errors import (
    ActionItemAlreadyCompletedError,
    FindingNotMisalignedError,
    InvalidValueError,
    MeetingAlreadyHeldError,
    MeetingCancelledError,
    NotFoundError,
    RecommendationAlreadyCompletedError,
    RecommendationAlreadyDecidedError,
    RecommendationNotApprovedError,
    RecommendationNotStartedError,
    UnknownDecisionMakerError,
)
from aggregates.strategy_state import fiscal_quarter_start
from commands.bus import CommandBus
from commands.clients import (
    AddDecisionMaker,
    OnboardClient,
    RemoveDecisionMaker,
)
from commands.ledger import Ledger
from commands.meetings import (
    AddActionItem,
    CancelMeeting,
    CompleteActionItem,
    HoldMeeting,
    RescheduleMeeting,
    ScheduleMeeting,
    SetMeetingAgenda,
    UpdateActionItem,
)
from commands.recommendations import (
    ApproveRecommendation,
    CompleteRecommendation,
    DeclineRecommendation,
    PresentRecommendation,
    ProposeRecommendation,
    RescheduleRecommendation,
    StartRecommendation,
)
from commands.results import Actor
from commands.touches import LogTouch, RecordClientFeedback
from events.vocabulary import Answer, MeetingKind, Priority, RecommendationStatus, TouchKind
from runtime.personal_vault import InMemoryVault
from tests.unit.scenario import Scenario

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def client_id(memory_ledger: Ledger, admin: Actor) -> UUID:
    """A client whose fiscal year starts in April (quarters start Apr, Jul, Oct, Jan)."""
    return CommandBus(memory_ledger).handle(OnboardClient(
        name="Harbour Dental", mrr=Decimal("3000.00"), user_count=24, complexity=5,
        industry="dental", fiscal_year_start_month=4, vcio="vera.vcio", tam="tom.tam",
    ), admin).aggregate_id


@pytest.fixture
def decision_maker_id(memory_ledger: Ledger, memory_vault: InMemoryVault, admin: Actor,
                      client_id: UUID) -> UUID:
    result = CommandBus(memory_ledger, memory_vault).handle(AddDecisionMaker(
        client_id=client_id, name="Dana Owner", title="Managing partner"), admin)
    assert result.created_id is not None
    return result.created_id


def propose(ledger: Ledger, actor: Actor, client_id: UUID, **fields: object) -> UUID:
    values: dict[str, object] = {
        "client_id": client_id, "title": "Replace the firewall", "owner": "vera.vcio",
        "business_impact": "An unsupported firewall leaves the office open to attack.",
        "one_time_budget": Decimal("4200.00"), "recurring_monthly_budget": Decimal("35.50"),
        "estimated_hours": Decimal("6.5"), "target_quarter_start": date(2026, 7, 1),
        "priority": Priority.HIGH, "capital_expense": True,
    }
    values.update(fields)
    result = CommandBus(ledger).handle(ProposeRecommendation(**values), actor)  # type: ignore[arg-type]
    assert result.created_id is not None
    return result.created_id


def approve(ledger: Ledger, actor: Actor, client_id: UUID, recommendation_id: UUID,
            decision_maker_id: UUID) -> None:
    CommandBus(ledger).handle(ApproveRecommendation(
        client_id=client_id, recommendation_id=recommendation_id,
        decision_maker_id=decision_maker_id), actor, NOW)


def start(ledger: Ledger, actor: Actor, client_id: UUID, recommendation_id: UUID) -> None:
    CommandBus(ledger).handle(StartRecommendation(
        client_id=client_id, recommendation_id=recommendation_id), actor, NOW)


def complete(ledger: Ledger, actor: Actor, client_id: UUID, recommendation_id: UUID) -> None:
    CommandBus(ledger).handle(CompleteRecommendation(
        client_id=client_id, recommendation_id=recommendation_id), actor, NOW)


def schedule(ledger: Ledger, actor: Actor, client_id: UUID) -> UUID:
    result = CommandBus(ledger).handle(ScheduleMeeting(
        client_id=client_id, kind=MeetingKind.TECHNOLOGY_BUSINESS_REVIEW,
        scheduled_for=NOW + timedelta(days=30), attendees=["vera.vcio", "Managing partner"]), actor)
    assert result.created_id is not None
    return result.created_id


def add_item(ledger: Ledger, actor: Actor, client_id: UUID, meeting_id: UUID | None = None) -> UUID:
    result = CommandBus(ledger).handle(AddActionItem(
        client_id=client_id, meeting_id=meeting_id, title="Quote new firewall",
        owner="vera.vcio", next_step="Ask two vendors", follow_up_on=date(2026, 4, 15)), actor)
    assert result.created_id is not None
    return result.created_id


def stored_events(ledger: Ledger, client_id: UUID) -> list[object]:
    """The client's events as read back from the store (through the transcoder)."""
    return list(ledger.events.get(client_id))


# --- recommendations ---------------------------------------------------------------------------


def test_approval_by_someone_who_is_not_a_decision_maker_is_rejected_and_records_nothing(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)
    version_before = memory_ledger.load_client(admin, client_id).version

    with pytest.raises(UnknownDecisionMakerError):
        approve(memory_ledger, admin, client_id, recommendation_id, uuid4())

    client = memory_ledger.load_client(admin, client_id)
    assert client.version == version_before
    assert client.recommendations[recommendation_id].status is RecommendationStatus.PROPOSED


def test_approval_by_a_removed_decision_maker_is_rejected(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(RemoveDecisionMaker(
        client_id=client_id, decision_maker_id=decision_maker_id, reason="left the firm"), admin)

    with pytest.raises(UnknownDecisionMakerError):
        approve(memory_ledger, admin, client_id, recommendation_id, decision_maker_id)


def test_a_recommendation_goes_from_proposed_through_approval_to_completed(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    meeting_id = schedule(memory_ledger, admin, client_id)
    recommendation_id = propose(memory_ledger, admin, client_id)

    CommandBus(memory_ledger).handle(PresentRecommendation(
        client_id=client_id, recommendation_id=recommendation_id, meeting_id=meeting_id), admin)
    approve(memory_ledger, admin, client_id, recommendation_id, decision_maker_id)
    start(memory_ledger, admin, client_id, recommendation_id)
    complete(memory_ledger, admin, client_id, recommendation_id)

    client = memory_ledger.load_client(admin, client_id)
    assert client.recommendations[recommendation_id].status is RecommendationStatus.COMPLETED
    assert [type(e).__name__ for e in stored_events(memory_ledger, client_id)][-5:] == [
        "RecommendationProposed", "RecommendationPresented", "RecommendationApproved",
        "RecommendationStarted", "RecommendationCompleted"]


def test_a_recommendation_cannot_be_approved_twice(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)
    approve(memory_ledger, admin, client_id, recommendation_id, decision_maker_id)

    with pytest.raises(RecommendationAlreadyDecidedError):
        approve(memory_ledger, admin, client_id, recommendation_id, decision_maker_id)


def test_a_declined_recommendation_cannot_be_approved(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(DeclineRecommendation(
        client_id=client_id, recommendation_id=recommendation_id,
        decision_maker_id=decision_maker_id, reason="No budget this year"), admin)

    with pytest.raises(RecommendationAlreadyDecidedError):
        approve(memory_ledger, admin, client_id, recommendation_id, decision_maker_id)


def test_decline_by_someone_who_is_not_a_decision_maker_is_rejected(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)

    with pytest.raises(UnknownDecisionMakerError):
        CommandBus(memory_ledger).handle(DeclineRecommendation(
            client_id=client_id, recommendation_id=recommendation_id,
            decision_maker_id=uuid4(), reason="Not now"), admin)


def test_a_recommendation_cannot_start_before_approval(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)

    with pytest.raises(RecommendationNotApprovedError):
        start(memory_ledger, admin, client_id, recommendation_id)


def test_a_recommendation_cannot_complete_before_it_starts(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)
    approve(memory_ledger, admin, client_id, recommendation_id, decision_maker_id)

    with pytest.raises(RecommendationNotStartedError):
        complete(memory_ledger, admin, client_id, recommendation_id)


def test_a_completed_recommendation_cannot_be_rescheduled(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)
    approve(memory_ledger, admin, client_id, recommendation_id, decision_maker_id)
    start(memory_ledger, admin, client_id, recommendation_id)
    complete(memory_ledger, admin, client_id, recommendation_id)

    with pytest.raises(RecommendationAlreadyCompletedError):
        CommandBus(memory_ledger).handle(RescheduleRecommendation(
            client_id=client_id, recommendation_id=recommendation_id,
            target_quarter_start=date(2026, 10, 1), reason="Vendor delay"), admin)


def test_a_recommendation_can_be_rescheduled_to_unscheduled(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id)

    CommandBus(memory_ledger).handle(RescheduleRecommendation(
        client_id=client_id, recommendation_id=recommendation_id, target_quarter_start=None,
        reason="Waiting for the merger"), admin)

    client = memory_ledger.load_client(admin, client_id)
    assert client.recommendations[recommendation_id].target_quarter_start is None


def test_the_target_quarter_must_start_a_fiscal_quarter_of_the_client(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    with pytest.raises(InvalidValueError) as raised:
        propose(memory_ledger, admin, client_id, target_quarter_start=date(2026, 8, 1))

    assert "2026-07-01" in raised.value.reason


def test_january_starts_a_fiscal_quarter_when_the_fiscal_year_starts_in_april(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    recommendation_id = propose(memory_ledger, admin, client_id,
                                target_quarter_start=date(2027, 1, 1))

    client = memory_ledger.load_client(admin, client_id)
    assert client.recommendations[recommendation_id].target_quarter_start == date(2027, 1, 1)


@pytest.mark.parametrize(("day", "fiscal_start", "expected"), [
    (date(2027, 2, 15), 4, date(2027, 1, 1)),
    (date(2027, 3, 31), 11, date(2027, 2, 1)),
    (date(2027, 1, 10), 11, date(2026, 11, 1)),
    (date(2027, 12, 31), 1, date(2027, 10, 1)),
])
def test_fiscal_quarter_start_is_the_first_day_of_the_fiscal_quarter_containing_the_day(
        day: date, fiscal_start: int, expected: date) -> None:
    assert fiscal_quarter_start(day, fiscal_start) == expected


def test_a_recommendation_takes_its_findings_from_misaligned_answers_of_the_latest_review(
        memory_ledger: Ledger, scenario: Scenario) -> None:
    firewall, backup = scenario.standard(), scenario.standard(category="backup")
    client_id = scenario.client()
    review_id = scenario.completed_review(client_id, {firewall: Answer.NO, backup: Answer.YES})

    recommendation_id = propose(memory_ledger, scenario.vcio, client_id,
                                finding_standard_ids=[firewall],
                                target_quarter_start=date(2026, 4, 1))

    proposed = stored_events(memory_ledger, client_id)[-1]
    assert proposed.recommendation_id == recommendation_id  # type: ignore[attr-defined]
    assert proposed.source_review_id == review_id  # type: ignore[attr-defined]
    assert proposed.finding_standard_ids == [firewall]  # type: ignore[attr-defined]


def test_an_aligned_answer_cannot_be_a_finding(
        memory_ledger: Ledger, scenario: Scenario) -> None:
    firewall, backup = scenario.standard(), scenario.standard(category="backup")
    client_id = scenario.client()
    scenario.completed_review(client_id, {firewall: Answer.NO, backup: Answer.YES})

    with pytest.raises(FindingNotMisalignedError):
        propose(memory_ledger, scenario.vcio, client_id, finding_standard_ids=[firewall, backup],
                target_quarter_start=None)


def test_findings_come_only_from_a_completed_review(
        memory_ledger: Ledger, scenario: Scenario) -> None:
    firewall = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, firewall, Answer.NO)

    with pytest.raises(FindingNotMisalignedError):
        propose(memory_ledger, scenario.vcio, client_id, finding_standard_ids=[firewall],
                target_quarter_start=None)


# --- meetings and action items -----------------------------------------------------------------


def test_a_meeting_is_scheduled_given_an_agenda_rescheduled_and_held(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    meeting_id = schedule(memory_ledger, admin, client_id)

    CommandBus(memory_ledger).handle(SetMeetingAgenda(
        client_id=client_id, meeting_id=meeting_id, agenda=["Tickets", "Roadmap"]), admin)
    CommandBus(memory_ledger).handle(RescheduleMeeting(
        client_id=client_id, meeting_id=meeting_id, scheduled_for=NOW + timedelta(days=37),
        reason="Client travelling"), admin)
    CommandBus(memory_ledger).handle(HoldMeeting(
        client_id=client_id, meeting_id=meeting_id, summary="Roadmap agreed"), admin, NOW)

    client = memory_ledger.load_client(admin, client_id)
    assert client.meetings[meeting_id].status.value == "held"
    assert client.meetings[meeting_id].scheduled_for == NOW + timedelta(days=37)


def test_a_cancelled_meeting_cannot_be_held(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    meeting_id = schedule(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(CancelMeeting(
        client_id=client_id, meeting_id=meeting_id, reason="Office closed"), admin)

    with pytest.raises(MeetingCancelledError):
        CommandBus(memory_ledger).handle(HoldMeeting(
            client_id=client_id, meeting_id=meeting_id, summary=""), admin, NOW)


def test_a_held_meeting_cannot_be_cancelled(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    meeting_id = schedule(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(HoldMeeting(client_id=client_id, meeting_id=meeting_id), admin, NOW)

    with pytest.raises(MeetingAlreadyHeldError):
        CommandBus(memory_ledger).handle(CancelMeeting(
            client_id=client_id, meeting_id=meeting_id, reason="too late"), admin)


def test_a_held_meeting_cannot_be_rescheduled(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    meeting_id = schedule(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(HoldMeeting(client_id=client_id, meeting_id=meeting_id), admin, NOW)

    with pytest.raises(MeetingAlreadyHeldError):
        CommandBus(memory_ledger).handle(RescheduleMeeting(
            client_id=client_id, meeting_id=meeting_id, scheduled_for=NOW + timedelta(days=60)), admin)


def test_a_cancelled_meeting_cannot_be_cancelled_again(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    meeting_id = schedule(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(CancelMeeting(client_id=client_id, meeting_id=meeting_id), admin)

    with pytest.raises(MeetingCancelledError):
        CommandBus(memory_ledger).handle(CancelMeeting(client_id=client_id, meeting_id=meeting_id), admin)


def test_an_action_item_cannot_belong_to_an_unknown_meeting(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    with pytest.raises(NotFoundError):
        add_item(memory_ledger, admin, client_id, meeting_id=uuid4())


def test_an_action_item_update_records_only_the_fields_that_change(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    item_id = add_item(memory_ledger, admin, client_id, schedule(memory_ledger, admin, client_id))

    CommandBus(memory_ledger).handle(UpdateActionItem(
        client_id=client_id, action_item_id=item_id,
        changes={"owner": "vera.vcio", "follow_up_on": "2026-05-01"}), admin)

    updated = stored_events(memory_ledger, client_id)[-1]
    assert updated.changes == {"follow_up_on": "2026-05-01"}  # type: ignore[attr-defined]
    client = memory_ledger.load_client(admin, client_id)
    assert client.action_items[item_id].follow_up_on == date(2026, 5, 1)


def test_an_action_item_is_completed_only_once(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    item_id = add_item(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(CompleteActionItem(
        client_id=client_id, action_item_id=item_id, resolution="Quote accepted"), admin, NOW)

    with pytest.raises(ActionItemAlreadyCompletedError):
        CommandBus(memory_ledger).handle(CompleteActionItem(
            client_id=client_id, action_item_id=item_id, resolution="again"), admin, NOW)


def test_a_completed_action_item_cannot_be_updated(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    item_id = add_item(memory_ledger, admin, client_id)
    CommandBus(memory_ledger).handle(CompleteActionItem(
        client_id=client_id, action_item_id=item_id, resolution="Done"), admin, NOW)

    with pytest.raises(ActionItemAlreadyCompletedError):
        CommandBus(memory_ledger).handle(UpdateActionItem(
            client_id=client_id, action_item_id=item_id, changes={"owner": "tom.tam"}), admin)


# --- touches and feedback ----------------------------------------------------------------------


def test_a_touch_with_someone_who_is_not_a_decision_maker_is_recorded_but_does_not_count(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    CommandBus(memory_ledger).handle(LogTouch(
        client_id=client_id, kind=TouchKind.CALL, contact_role="office manager",
        note="Asked about the printer"), admin, NOW)

    touch = stored_events(memory_ledger, client_id)[-1]
    assert type(touch).__name__ == "TouchLogged"
    assert touch.counts_toward_cadence is False  # type: ignore[attr-defined]
    assert touch.decision_maker_id is None  # type: ignore[attr-defined]
    assert touch.contact_role == "office manager"  # type: ignore[attr-defined]


def test_a_touch_with_a_decision_maker_counts_toward_cadence(
        memory_ledger: Ledger, admin: Actor, client_id: UUID, decision_maker_id: UUID) -> None:
    CommandBus(memory_ledger).handle(LogTouch(
        client_id=client_id, kind=TouchKind.VISIT, decision_maker_id=decision_maker_id), admin, NOW)

    touch = stored_events(memory_ledger, client_id)[-1]
    assert touch.counts_toward_cadence is True  # type: ignore[attr-defined]
    assert touch.happened_at == NOW  # type: ignore[attr-defined]


def test_a_touch_naming_an_unknown_decision_maker_is_rejected(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    with pytest.raises(UnknownDecisionMakerError):
        CommandBus(memory_ledger).handle(LogTouch(
            client_id=client_id, kind=TouchKind.EMAIL, decision_maker_id=uuid4()), admin, NOW)


def test_a_touch_names_either_a_decision_maker_or_a_role(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    with pytest.raises(InvalidValueError):
        CommandBus(memory_ledger).handle(LogTouch(client_id=client_id, kind=TouchKind.EMAIL), admin, NOW)


def test_feedback_is_recorded_about_the_clients_own_recommendations(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    accepted = propose(memory_ledger, admin, client_id)
    declined = propose(memory_ledger, admin, client_id, title="Move mail to the cloud")

    CommandBus(memory_ledger).handle(RecordClientFeedback(
        client_id=client_id, accepted_recommendation_ids=[accepted],
        declined_reasons={declined: "Happy with the current server"},
        changes_requested="Spread the cost over two quarters",
        new_initiatives=["Opening a second office"]), admin, NOW)

    feedback = stored_events(memory_ledger, client_id)[-1]
    assert feedback.accepted_recommendation_ids == [accepted]  # type: ignore[attr-defined]
    assert feedback.declined_reasons == {  # type: ignore[attr-defined]
        str(declined): "Happy with the current server"}


def test_feedback_about_an_unknown_recommendation_is_rejected(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    with pytest.raises(NotFoundError):
        CommandBus(memory_ledger).handle(RecordClientFeedback(
            client_id=client_id, accepted_recommendation_ids=[uuid4()]), admin, NOW)


# --- persistence -------------------------------------------------------------------------------


def test_dates_money_and_times_survive_save_and_reload(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    propose(memory_ledger, admin, client_id)
    add_item(memory_ledger, admin, client_id)

    *_, proposed, added = stored_events(memory_ledger, client_id)

    assert proposed.target_quarter_start == date(2026, 7, 1)  # type: ignore[attr-defined]
    assert type(proposed.target_quarter_start) is date  # type: ignore[attr-defined]
    assert proposed.one_time_budget == Decimal("4200.00")  # type: ignore[attr-defined]
    assert proposed.recurring_monthly_budget == Decimal("35.50")  # type: ignore[attr-defined]
    assert proposed.estimated_hours == Decimal("6.5")  # type: ignore[attr-defined]
    assert proposed.priority is Priority.HIGH  # type: ignore[attr-defined]
    assert type(added.follow_up_on) is date  # type: ignore[attr-defined]
    assert added.timestamp.tzinfo is not None  # type: ignore[attr-defined]
    reloaded = memory_ledger.load_client(admin, client_id)
    assert next(iter(reloaded.action_items.values())).follow_up_on == date(2026, 4, 15)


def test_proposing_with_the_same_idempotency_key_records_one_recommendation(
        memory_ledger: Ledger, admin: Actor, client_id: UUID) -> None:
    command = ProposeRecommendation(client_id=client_id, title="Add MFA", owner="vera.vcio")

    first = CommandBus(memory_ledger).handle(command, admin, idempotency_key="k-1")
    second = CommandBus(memory_ledger).handle(command, admin, idempotency_key="k-1")

    assert second.created_id == first.created_id
    assert len(memory_ledger.load_client(admin, client_id).recommendations) == 1
