"""What each standards-committee command records through the bus: the handler's share (the
values passed on, publishing on drafting, successors checked, times defaulting to the call's,
the expected version, the idempotency key); the aggregate's rules are pinned in
test_standard_events.py and test_standard_invariants.py."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from aggregates.errors import NotFoundError, StandardRetiredError
from aggregates.standard import Standard
from commands.base import Command
from commands.standards import (
    ConfirmStandardReviewed,
    DraftStandard,
    PublishStandard,
    RetireStandard,
    ReviseStandard,
    SplitStandard,
)
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency
from tests.unit.command_checks import recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 6, 7, 8, 0, tzinfo=UTC)
AT = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def draft(publish: bool = False) -> DraftStandard:
    return DraftStandard(
        key="NET-101", category="network", question="Is the guest Wi-Fi isolated?",
        expected_answer=ExpectedAnswer.NO, how_to_check="Join it and ping the file server.",
        why_it_matters="Guests reach client data.", priority=Priority.LOW,
        review_frequency=ReviewFrequency.ANNUAL, authority_references=["CIS 12.2"], publish=publish)


def test_drafting_records_every_field_the_tenant_and_the_author(scenario: Scenario) -> None:
    result = scenario.bus.handle(draft(), scenario.committee, NOW)

    [event] = recorded(scenario, result.aggregate_id, Standard.StandardDrafted)
    assert (event.tenant, event.key, event.category, event.question, event.expected_answer,
            event.how_to_check, event.why_it_matters, event.priority, event.review_frequency,
            event.authority_references, event.by) == (
        scenario.tenant, "NET-101", "network", "Is the guest Wi-Fi isolated?", ExpectedAnswer.NO,
        "Join it and ping the file server.", "Guests reach client data.", Priority.LOW,
        ReviewFrequency.ANNUAL, ["CIS 12.2"], "carla.committee")


def test_a_draft_is_not_published_unless_asked(scenario: Scenario) -> None:
    result = scenario.bus.handle(draft(), scenario.committee, NOW)

    assert recorded(scenario, result.aggregate_id, Standard.StandardPublished) == []


def test_drafting_with_publish_publishes_in_the_same_save_by_the_same_author(scenario: Scenario) -> None:
    result = scenario.bus.handle(draft(publish=True), scenario.committee, NOW)

    [event] = recorded(scenario, result.aggregate_id, Standard.StandardPublished)
    assert (event.by, result.version) == ("carla.committee", 2)


def test_drafting_under_an_idempotency_key_gives_the_standard_the_id_derived_from_that_key(
        scenario: Scenario) -> None:
    result = scenario.bus.handle(draft(), scenario.committee, NOW, "draft-1")

    assert result.aggregate_id == scenario.ledger.new_id(scenario.committee, "draft-1", "standard")


def test_publishing_records_the_author(scenario: Scenario) -> None:
    standard_id = scenario.standard(publish=False)

    scenario.bus.handle(PublishStandard(standard_id=standard_id), scenario.committee, NOW)

    [event] = recorded(scenario, standard_id, Standard.StandardPublished)
    assert event.by == "carla.committee"


def test_a_revision_records_the_changes_the_reason_and_the_author(scenario: Scenario) -> None:
    standard_id = scenario.standard()

    scenario.bus.handle(ReviseStandard(standard_id=standard_id, changes={"priority": Priority.LOW},
                                       reason="lower risk now"), scenario.committee, NOW)

    [event] = recorded(scenario, standard_id, Standard.StandardRevised)
    assert (event.changes, event.reason, event.by) == (
        {"priority": "low"}, "lower risk now", "carla.committee")


def test_retiring_in_favour_of_another_standard_records_it_the_reason_and_the_author(
        scenario: Scenario) -> None:
    standard_id, successor_id = scenario.standard(), scenario.standard()

    scenario.bus.handle(RetireStandard(standard_id=standard_id, reason="merged",
                                       replaced_by=successor_id), scenario.committee, NOW)

    [event] = recorded(scenario, standard_id, Standard.StandardRetired)
    assert (event.reason, event.replaced_by, event.successors, event.by) == (
        "merged", successor_id, [successor_id], "carla.committee")


def test_retiring_in_favour_of_a_retired_standard_is_refused(scenario: Scenario) -> None:
    standard_id, successor_id = scenario.standard(), scenario.standard()
    scenario.retire(successor_id)

    with pytest.raises(StandardRetiredError) as refused:
        scenario.bus.handle(RetireStandard(standard_id=standard_id, reason="merged",
                                           replaced_by=successor_id), scenario.committee, NOW)

    assert refused.value.field == "status"


def test_retiring_in_favour_of_an_unknown_standard_is_refused(scenario: Scenario) -> None:
    standard_id = scenario.standard()

    with pytest.raises(NotFoundError) as refused:
        scenario.bus.handle(RetireStandard(standard_id=standard_id, reason="merged",
                                           replaced_by=uuid4()), scenario.committee, NOW)

    assert refused.value.field == "standard_id"


def test_a_split_records_every_successor_in_order_the_reason_and_the_author(scenario: Scenario) -> None:
    standard_id, first, second = scenario.standard(), scenario.standard(), scenario.standard()

    scenario.bus.handle(SplitStandard(standard_id=standard_id, successors=[first, second],
                                      reason="too broad"), scenario.committee, NOW)

    [event] = recorded(scenario, standard_id, Standard.StandardRetired)
    assert (event.reason, event.replaced_by, event.successors, event.by) == (
        "too broad", first, [first, second], "carla.committee")


def test_a_split_into_a_retired_standard_is_refused(scenario: Scenario) -> None:
    standard_id, first, second = scenario.standard(), scenario.standard(), scenario.standard()
    scenario.retire(second)

    with pytest.raises(StandardRetiredError):
        scenario.bus.handle(SplitStandard(standard_id=standard_id, successors=[first, second],
                                          reason="too broad"), scenario.committee, NOW)

    assert recorded(scenario, standard_id, Standard.StandardRetired) == []


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_a_confirmed_review_records_the_time_given_or_of_the_call_the_note_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    standard_id = scenario.standard()

    scenario.bus.handle(ConfirmStandardReviewed(standard_id=standard_id, reviewed_at=given,
                                                note="still right"), scenario.committee, NOW)

    [event] = recorded(scenario, standard_id, Standard.StandardReviewed)
    assert (event.reviewed_at, event.note, event.by) == (expected, "still right", "carla.committee")


def changes(scenario: Scenario, stale: bool) -> list[Command]:
    standard_id, draft_id = scenario.standard(), scenario.standard(publish=False)
    first, second = scenario.standard(), scenario.standard()
    at = version(scenario, standard_id) - 1 if stale else None
    # the draft is at its first version, so "stale" is one it has not reached
    return [PublishStandard(standard_id=draft_id,
                            expected_version=version(scenario, draft_id) + 1 if stale else None),
            ReviseStandard(standard_id=standard_id, changes={"priority": Priority.LOW}, reason="lower",
                           expected_version=at),
            RetireStandard(standard_id=standard_id, reason="gone", expected_version=at),
            SplitStandard(standard_id=standard_id, successors=[first, second], reason="broad",
                          expected_version=at),
            ConfirmStandardReviewed(standard_id=standard_id, expected_version=at)]


@pytest.mark.parametrize("position", range(5))
def test_every_standard_change_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    assert refused_as_stale(scenario, changes(scenario, True)[position], NOW).field == "expected_version"


@pytest.mark.parametrize("position", range(5))
def test_every_standard_change_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, position: int) -> None:
    assert replayed_without_recording(scenario, changes(scenario, False)[position], NOW)


def test_drafting_sent_again_under_its_idempotency_key_records_nothing_more(scenario: Scenario) -> None:
    assert replayed_without_recording(scenario, draft(), NOW)


