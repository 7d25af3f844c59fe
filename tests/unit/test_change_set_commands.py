"""What each change-set command records through the bus, and how publishing applies the
proposals: new standards created and published, revisions, weight changes and retirements
applied with the change set named in their reason, successors checked, a lost race decided
again up to the ledger's attempts, then refused; the aggregate's rules are pinned in
test_change_sets.py."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from aggregates.change_set import LibraryChangeSet, StaleProposalError
from aggregates.errors import ConflictError, NotFoundError, StandardRetiredError
from aggregates.standard import Standard
from commands.base import Command
from commands.change_sets import (
    DiscardChangeSet,
    OpenChangeSet,
    ProposeNewStandard,
    ProposeRetirement,
    ProposeRevision,
    ProposeWeightChange,
    PublishChangeSet,
    WithdrawProposal,
)
from commands.ledger import MAX_ATTEMPTS, StoreBusyError
from commands.standards import DraftStandard
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus
from tests.unit.command_checks import admin, recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 4, 5, 10, 0, tzinfo=UTC)
AT = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
NEW = DraftStandard(key="MFA-009", category="identity", question="Is MFA enforced for admins?",
                    expected_answer=ExpectedAnswer.YES, how_to_check="Check the conditional access policy.",
                    why_it_matters="Stolen passwords.", priority=Priority.HIGH,
                    review_frequency=ReviewFrequency.SEMI_ANNUAL, authority_references=["CIS 6.5"])


def opened(scenario: Scenario) -> UUID:
    return scenario.bus.handle(OpenChangeSet(title="spring review", reason="yearly"), scenario.committee,
                               NOW).aggregate_id


def send(scenario: Scenario, command: Command) -> Any:
    return scenario.bus.handle(command, scenario.committee, NOW)


def one_proposal_of_each_kind(scenario: Scenario) -> tuple[UUID, tuple[UUID, UUID, UUID, UUID]]:
    """An open change set revising one standard ("tooling"), lowering another's priority
    ("lower") and retiring a third ("obsolete") in favour of a fourth; answers the set and the
    four standards in that order."""
    revised, weighed, doomed, kept = (scenario.standard() for _ in range(4))
    change_set = opened(scenario)
    send(scenario, ProposeRevision(change_set_id=change_set, standard_id=revised,
                                   changes={"how_to_check": "Run the script."}, reason="tooling"))
    send(scenario, ProposeWeightChange(change_set_id=change_set, standard_id=weighed, priority=Priority.LOW,
                                       reason="lower"))
    send(scenario, ProposeRetirement(change_set_id=change_set, standard_id=doomed, reason="obsolete",
                                     successors=[kept]))
    return change_set, (revised, weighed, doomed, kept)


def standard_events(scenario: Scenario, standard_id: UUID) -> list[tuple[str, str]]:
    """(event name, its reason or '') of a standard, after its drafting and publishing."""
    return [(type(e).__name__, getattr(e, "reason", "")) for e in
            scenario.ledger.repository.event_store.get(standard_id)][2:]


def test_opening_records_the_title_the_reason_the_tenant_and_the_author(scenario: Scenario) -> None:
    change_set = opened(scenario)

    [event] = recorded(scenario, change_set, LibraryChangeSet.ChangeSetOpened)
    assert (event.tenant, event.title, event.reason, event.by) == (
        scenario.tenant, "spring review", "yearly", "carla.committee")


def test_opening_under_an_idempotency_key_gives_the_change_set_the_id_derived_from_that_key(
        scenario: Scenario) -> None:
    result = scenario.bus.handle(OpenChangeSet(title="t", reason="r"), scenario.committee, NOW, "open-1")

    assert result.aggregate_id == scenario.ledger.new_id(scenario.committee, "open-1", "change-set")


def test_a_new_standard_is_proposed_with_every_field_under_an_id_derived_from_the_set_and_item(
        scenario: Scenario) -> None:
    change_set = opened(scenario)

    result = send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))

    [event] = recorded(scenario, change_set, LibraryChangeSet.NewStandardProposed)
    assert (event.item_id, event.standard_id, event.key, event.category, event.question,
            event.expected_answer, event.how_to_check, event.why_it_matters, event.priority,
            event.review_frequency, event.authority_references, event.by) == (
        result.created_id, uuid5(change_set, f"new-standard:{result.created_id}"), "MFA-009", "identity",
        "Is MFA enforced for admins?",
        ExpectedAnswer.YES, "Check the conditional access policy.", "Stolen passwords.", Priority.HIGH,
        ReviewFrequency.SEMI_ANNUAL, ["CIS 6.5"], "carla.committee")


def test_a_revision_is_proposed_against_the_standards_current_revision(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    change_set = opened(scenario)

    result = send(scenario, ProposeRevision(change_set_id=change_set, standard_id=standard_id,
                                            changes={"priority": "low"}, reason="lower"))

    [event] = recorded(scenario, change_set, LibraryChangeSet.RevisionProposed)
    assert (event.item_id, event.standard_id, event.against_revision, event.changes, event.reason,
            event.by) == (
        result.created_id, standard_id, 1, {"priority": "low"}, "lower", "carla.committee")


def test_a_weight_change_is_proposed_against_the_standards_current_revision(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    change_set = opened(scenario)

    result = send(scenario, ProposeWeightChange(change_set_id=change_set, standard_id=standard_id,
                                                priority=Priority.LOW, reason="lower"))

    [event] = recorded(scenario, change_set, LibraryChangeSet.WeightChangeProposed)
    assert (event.item_id, event.standard_id, event.against_revision, event.priority, event.reason,
            event.by) == (
        result.created_id, standard_id, 1, Priority.LOW, "lower", "carla.committee")


def test_a_retirement_may_name_library_standards_and_standards_the_set_adds_as_successors(
        scenario: Scenario) -> None:
    doomed, kept = scenario.standard(), scenario.standard()
    change_set = opened(scenario)
    added = send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW)).created_id
    [new] = recorded(scenario, change_set, LibraryChangeSet.NewStandardProposed)

    result = send(scenario, ProposeRetirement(change_set_id=change_set, standard_id=doomed, reason="split",
                                              successors=[kept, new.standard_id]))

    [event] = recorded(scenario, change_set, LibraryChangeSet.RetirementProposed)
    assert added != result.created_id
    assert (event.item_id, event.standard_id, event.against_revision, event.successors, event.by) == (
        result.created_id, doomed, 1, [kept, new.standard_id], "carla.committee")


def test_a_retirement_naming_an_unknown_successor_is_refused_naming_the_successors(
        scenario: Scenario) -> None:
    doomed = scenario.standard()
    change_set = opened(scenario)

    with pytest.raises(NotFoundError) as refused:
        send(scenario, ProposeRetirement(change_set_id=change_set, standard_id=doomed, reason="gone",
                                         successors=[uuid4()]))

    assert refused.value.field == "successors"


def test_withdrawing_records_the_item_and_the_author(scenario: Scenario) -> None:
    change_set = opened(scenario)
    item_id = send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW)).created_id

    send(scenario, WithdrawProposal(change_set_id=change_set, item_id=item_id))

    [event] = recorded(scenario, change_set, LibraryChangeSet.ProposalWithdrawn)
    assert (event.item_id, event.by) == (item_id, "carla.committee")


def test_discarding_records_the_reason_and_the_author(scenario: Scenario) -> None:
    change_set = opened(scenario)

    send(scenario, DiscardChangeSet(change_set_id=change_set, reason="superseded"))

    [event] = recorded(scenario, change_set, LibraryChangeSet.ChangeSetDiscarded)
    assert (event.reason, event.by) == ("superseded", "carla.committee")


def test_publishing_creates_and_publishes_the_new_standards_as_proposed(scenario: Scenario) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))
    [new] = recorded(scenario, change_set, LibraryChangeSet.NewStandardProposed)

    send(scenario, PublishChangeSet(change_set_id=change_set))

    standard = scenario.ledger.load_standard(scenario.committee, new.standard_id)
    text = standard.text
    assert (standard.tenant, standard.key, standard.status, text.category, text.question,
            text.expected_answer, text.how_to_check, text.why_it_matters, text.priority,
            text.review_frequency, text.authority_references) == (
        scenario.tenant, "MFA-009", StandardStatus.PUBLISHED, "identity", "Is MFA enforced for admins?",
        ExpectedAnswer.YES, "Check the conditional access policy.", "Stolen passwords.", Priority.HIGH,
        ReviewFrequency.SEMI_ANNUAL, ("CIS 6.5",))
    assert [e.by for e in scenario.ledger.repository.event_store.get(new.standard_id)] == [
        "carla.committee", "carla.committee"]


def test_publishing_applies_each_proposal_with_the_change_set_named_in_its_reason(
        scenario: Scenario) -> None:
    change_set, (revised, weighed, doomed, kept) = one_proposal_of_each_kind(scenario)

    send(scenario, PublishChangeSet(change_set_id=change_set))

    assert [standard_events(scenario, s) for s in (revised, weighed, doomed)] == [
        [("StandardRevised", "tooling (change set 'spring review')")],
        [("StandardRevised", "lower (change set 'spring review')")],
        [("StandardRetired", "obsolete (change set 'spring review')")]]
    assert scenario.ledger.load_standard(scenario.committee, weighed).text.priority is Priority.LOW
    retired = scenario.ledger.load_standard(scenario.committee, doomed)
    assert (retired.replaced_by, retired.successors) == (kept, (kept,))


def test_a_retirement_whose_successor_was_retired_since_is_refused_at_publishing(
        scenario: Scenario) -> None:
    doomed, kept = scenario.standard(), scenario.standard()
    change_set = opened(scenario)
    send(scenario, ProposeRetirement(change_set_id=change_set, standard_id=doomed, reason="obsolete",
                                     successors=[kept]))
    scenario.retire(kept)

    with pytest.raises(StandardRetiredError):
        send(scenario, PublishChangeSet(change_set_id=change_set))

    assert recorded(scenario, change_set, LibraryChangeSet.ChangeSetPublished) == []


def test_a_retirement_in_favour_of_a_standard_the_set_adds_publishes_both(scenario: Scenario) -> None:
    doomed = scenario.standard()
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))
    [new] = recorded(scenario, change_set, LibraryChangeSet.NewStandardProposed)
    send(scenario, ProposeRetirement(change_set_id=change_set, standard_id=doomed, reason="moved",
                                     successors=[new.standard_id]))

    send(scenario, PublishChangeSet(change_set_id=change_set))

    assert scenario.ledger.load_standard(scenario.committee, doomed).successors == (new.standard_id,)


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_publishing_records_the_time_given_or_of_the_call_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))

    send(scenario, PublishChangeSet(change_set_id=change_set, published_at=given))

    [event] = recorded(scenario, change_set, LibraryChangeSet.ChangeSetPublished)
    assert (event.published_at, event.by) == (expected, "carla.committee")


def test_publishing_returns_the_position_of_its_last_event(scenario: Scenario) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))

    result = send(scenario, PublishChangeSet(change_set_id=change_set))

    assert (result.aggregate_id, result.version, result.position, result.replayed) == (
        change_set, 3, scenario.ledger.recorder.max_notification_id(), False)


def test_publishing_a_published_change_set_again_answers_without_recording(scenario: Scenario) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))
    send(scenario, PublishChangeSet(change_set_id=change_set))
    head = scenario.ledger.recorder.max_notification_id()

    again = send(scenario, PublishChangeSet(change_set_id=change_set))

    assert (again.aggregate_id, again.version, again.position, again.replayed) == (change_set, 3, None, True)
    assert scenario.ledger.recorder.max_notification_id() == head


def test_publishing_with_a_stale_expected_version_is_refused_naming_both_versions(
        scenario: Scenario) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))

    with pytest.raises(ConflictError) as refused:
        send(scenario, PublishChangeSet(change_set_id=change_set, expected_version=1))

    assert (refused.value.field, refused.value.reason) == (
        "expected_version", "change set is at version 2, not 1")


def test_publishing_with_the_current_expected_version_publishes(scenario: Scenario) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))

    assert send(scenario, PublishChangeSet(change_set_id=change_set, expected_version=2)).version == 3


def test_a_publication_that_loses_a_race_is_decided_again_from_fresh_state(
        scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))
    save, calls = scenario.ledger.save, []

    def lose_once(*aggregates: Any, **kwargs: Any) -> Any:
        calls.append(len(aggregates))
        if len(calls) == 1:
            raise IntegrityError("another process saved first")
        return save(*aggregates, **kwargs)

    monkeypatch.setattr(scenario.ledger, "save", lose_once)

    result = send(scenario, PublishChangeSet(change_set_id=change_set))

    assert (calls, result.version) == ([2, 2], 3)


def test_a_publication_that_keeps_losing_races_is_refused_after_the_ledgers_attempts(
        scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))
    calls: list[int] = []

    def always_lose(*aggregates: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise IntegrityError("another process saved first")

    monkeypatch.setattr(scenario.ledger, "save", always_lose)

    with pytest.raises(ConflictError) as refused:
        send(scenario, PublishChangeSet(change_set_id=change_set))

    assert (refused.value.field, refused.value.reason, len(calls)) == (
        "change_set_id", "the library kept changing while publishing; retry", MAX_ATTEMPTS)


def test_a_publication_the_database_cannot_take_is_refused_as_busy(
        scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))

    def unavailable(*aggregates: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(scenario.ledger, "save", unavailable)

    with pytest.raises(StoreBusyError, match="^connection refused$"):
        send(scenario, PublishChangeSet(change_set_id=change_set))


def test_a_stale_proposal_is_refused_at_publishing_naming_the_item(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    change_set = opened(scenario)
    item_id = send(scenario, ProposeRevision(change_set_id=change_set, standard_id=standard_id,
                                             changes={"priority": "low"}, reason="lower")).created_id
    scenario.retire(standard_id)

    with pytest.raises(StaleProposalError) as refused:
        send(scenario, PublishChangeSet(change_set_id=change_set))

    assert refused.value.field == f"items[{item_id}]"


def proposals(scenario: Scenario, stale: bool) -> list[Command]:
    standard_id, kept = scenario.standard(), scenario.standard()
    change_set = opened(scenario)
    item_id = send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW)).created_id
    at = version(scenario, change_set) - 1 if stale else None
    return [ProposeNewStandard(change_set_id=change_set, expected_version=at,
                               standard=NEW.model_copy(update={"key": "MFA-010"})),
            ProposeRevision(change_set_id=change_set, standard_id=standard_id, changes={"priority": "low"},
                            reason="lower", expected_version=at),
            ProposeWeightChange(change_set_id=change_set, standard_id=standard_id, priority=Priority.LOW,
                                reason="lower", expected_version=at),
            ProposeRetirement(change_set_id=change_set, standard_id=standard_id, reason="gone",
                              successors=[kept], expected_version=at),
            WithdrawProposal(change_set_id=change_set, item_id=item_id, expected_version=at),
            DiscardChangeSet(change_set_id=change_set, reason="not now", expected_version=at)]


@pytest.mark.parametrize("position", range(6))
def test_every_change_set_command_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    assert refused_as_stale(scenario, proposals(scenario, True)[position], NOW).field == "expected_version"


@pytest.mark.parametrize("position", range(6))
def test_every_change_set_command_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, position: int) -> None:
    assert replayed_without_recording(scenario, proposals(scenario, False)[position], NOW)


def test_opening_sent_again_under_its_idempotency_key_records_nothing_more(scenario: Scenario) -> None:
    assert replayed_without_recording(scenario, OpenChangeSet(title="t", reason="r"), NOW)


def test_proposing_under_an_idempotency_key_gives_the_item_the_id_derived_from_that_key(
        scenario: Scenario) -> None:
    change_set = opened(scenario)

    result = scenario.bus.handle(ProposeNewStandard(change_set_id=change_set, standard=NEW),
                                 scenario.committee, NOW, "item-1")

    assert result.created_id == scenario.ledger.new_id(scenario.committee, "item-1", "change-set-item")


def test_a_standard_new_in_a_change_set_is_a_standard_aggregate(scenario: Scenario) -> None:
    change_set = opened(scenario)
    send(scenario, ProposeNewStandard(change_set_id=change_set, standard=NEW))
    [new] = recorded(scenario, change_set, LibraryChangeSet.NewStandardProposed)
    send(scenario, PublishChangeSet(change_set_id=change_set))

    assert isinstance(scenario.ledger.repository.get(new.standard_id), Standard)


def test_the_standards_a_publication_changes_are_changed_by_its_publisher(scenario: Scenario) -> None:
    change_set, (revised, weighed, doomed, kept) = one_proposal_of_each_kind(scenario)

    scenario.bus.handle(PublishChangeSet(change_set_id=change_set), admin(scenario), NOW)

    authors = [[e.by for e in scenario.ledger.repository.event_store.get(s)][2:]
               for s in (revised, weighed, doomed)]
    assert authors == [["ada.admin"], ["ada.admin"], ["ada.admin"]]


def test_a_command_on_an_unknown_change_set_is_refused_naming_the_change_set(scenario: Scenario) -> None:
    with pytest.raises(NotFoundError) as refused:
        send(scenario, DiscardChangeSet(change_set_id=uuid4(), reason="gone"))

    assert (refused.value.field, refused.value.reason) == (
        "change_set_id", "no librarychangeset with this id")


def test_a_proposal_on_an_unknown_standard_is_refused_naming_the_standard(scenario: Scenario) -> None:
    change_set = opened(scenario)

    with pytest.raises(NotFoundError) as refused:
        send(scenario, ProposeWeightChange(change_set_id=change_set, standard_id=uuid4(),
                                           priority=Priority.LOW, reason="lower"))

    assert refused.value.field == "standard_id"


def test_a_proposal_on_a_retired_standard_is_refused(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    scenario.retire(standard_id)
    change_set = opened(scenario)

    with pytest.raises(ConflictError) as refused:
        send(scenario, ProposeRevision(change_set_id=change_set, standard_id=standard_id,
                                       changes={"priority": "low"}, reason="lower"))

    assert (refused.value.field, refused.value.reason) == ("standard_id", "the standard is retired")


def proposal_on(kind: str, change_set: UUID, standard_id: UUID) -> Command:
    if kind == "revision":
        return ProposeRevision(change_set_id=change_set, standard_id=standard_id, changes={"priority": "low"},
                               reason="lower")
    if kind == "weight":
        return ProposeWeightChange(change_set_id=change_set, standard_id=standard_id, priority=Priority.LOW,
                                   reason="lower")
    return ProposeRetirement(change_set_id=change_set, standard_id=standard_id, reason="gone")


@pytest.mark.parametrize("kind", ["revision", "weight", "retirement"])
def test_a_proposal_under_an_idempotency_key_is_an_item_whose_id_derives_from_that_key(
        scenario: Scenario, kind: str) -> None:
    standard_id = scenario.standard()
    change_set = opened(scenario)

    result = scenario.bus.handle(proposal_on(kind, change_set, standard_id), scenario.committee, NOW,
                                 "item-2")

    [item_id] = [e.item_id for e in list(scenario.ledger.repository.event_store.get(change_set))[1:]]
    derived = scenario.ledger.new_id(scenario.committee, "item-2", "change-set-item")
    assert result.created_id == item_id == derived


@pytest.mark.parametrize("kind", ["revision", "weight", "retirement"])
def test_each_proposal_without_a_key_is_a_new_item_of_its_own(scenario: Scenario, kind: str) -> None:
    first, second = scenario.standard(), scenario.standard()
    change_set = opened(scenario)

    ids = [send(scenario, proposal_on(kind, change_set, s)).created_id for s in (first, second)]

    assert None not in ids and ids[0] != ids[1]
