"""The committee's proposed change sets, and the lineage a retirement records.

A change set collects proposals without touching the library; publishing applies them all in
one save, refuses proposals made against words that have changed since, and is a no-op the
second time. A stored version-1 ``StandardRetired`` (before ``successors``) still loads.
"""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from aggregates.change_set import ConflictingProposalError, StaleProposalError
from aggregates.errors import NothingToReviseError
from aggregates.standard import Standard
from commands.change_sets import (
    OpenChangeSet,
    ProposeRetirement,
    ProposeRevision,
    PublishChangeSet,
)
from commands.ledger import Ledger
from commands.standards import ReviseStandard, SplitStandard
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus
from projections.impact import counted_policy
from projections.scoring import DEFAULT_POLICY, ScoredItem, score
from tests.unit.scenario import Scenario

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
V1_RETIRED = Path(__file__).parents[1] / "data" / "standard_retired_v1.json"
V1_REPLACEMENT = UUID("9d4c2b7e-1f3a-4c5d-8e6f-7a8b9c0d1e2f")


def opened(scenario: Scenario) -> UUID:
    return scenario.bus.handle(OpenChangeSet(
        title="spring review", reason="the yearly library review"), scenario.committee).aggregate_id


def test_proposing_changes_records_nothing_on_the_standards(scenario: Scenario) -> None:
    standard = scenario.standard()
    change_set = opened(scenario)

    scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=standard, changes={"expected_answer": "no"},
        reason="inverted"), scenario.committee)

    loaded = scenario.ledger.load_standard(scenario.committee, standard)
    assert (loaded.version, loaded.revision, loaded.text.expected_answer) == (2, 1, ExpectedAnswer.YES)


def test_publishing_applies_every_proposal_in_one_save(scenario: Scenario) -> None:
    kept, doomed = scenario.standard(), scenario.standard()
    change_set = opened(scenario)
    scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=kept, changes={"priority": "low"}, reason="lower"),
        scenario.committee)
    scenario.bus.handle(ProposeRetirement(
        change_set_id=change_set, standard_id=doomed, reason="obsolete", successors=[kept]),
        scenario.committee)
    head = scenario.ledger.recorder.max_notification_id() or 0

    result = scenario.bus.handle(PublishChangeSet(change_set_id=change_set), scenario.committee, NOW)

    assert result.position == head + 3
    retired = scenario.ledger.load_standard(scenario.committee, doomed)
    assert (retired.status, retired.successors) == (StandardStatus.RETIRED, (kept,))
    assert scenario.ledger.load_standard(scenario.committee, kept).text.priority is Priority.LOW


def test_a_proposal_on_a_standard_revised_since_is_refused_at_publishing(scenario: Scenario) -> None:
    standard = scenario.standard()
    change_set = opened(scenario)
    scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=standard, changes={"priority": "low"}, reason="lower"),
        scenario.committee)
    scenario.bus.handle(ReviseStandard(
        standard_id=standard, changes={"how_to_check": "Run the audit script."}, reason="tooling"),
        scenario.committee)
    head = scenario.ledger.recorder.max_notification_id()

    with pytest.raises(StaleProposalError):
        scenario.bus.handle(PublishChangeSet(change_set_id=change_set), scenario.committee, NOW)

    assert scenario.ledger.recorder.max_notification_id() == head


def test_a_standard_appears_once_in_a_change_set(scenario: Scenario) -> None:
    standard = scenario.standard()
    change_set = opened(scenario)
    scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=standard, changes={"priority": "low"}, reason="lower"),
        scenario.committee)

    with pytest.raises(ConflictingProposalError):
        scenario.bus.handle(ProposeRetirement(
            change_set_id=change_set, standard_id=standard, reason="obsolete"), scenario.committee)


def test_a_revision_proposal_that_changes_nothing_is_refused(scenario: Scenario) -> None:
    standard = scenario.standard(priority=Priority.HIGH)
    change_set = opened(scenario)

    with pytest.raises(NothingToReviseError):
        scenario.bus.handle(ProposeRevision(
            change_set_id=change_set, standard_id=standard, changes={"priority": "high"},
            reason="no-op"), scenario.committee)


def test_splitting_a_standard_names_every_successor(scenario: Scenario) -> None:
    old, first, second = scenario.standard(), scenario.standard(), scenario.standard()

    scenario.bus.handle(SplitStandard(
        standard_id=old, successors=[first, second], reason="one control per device class"),
        scenario.committee)

    retired = scenario.ledger.load_standard(scenario.committee, old)
    assert (retired.replaced_by, retired.successors) == (first, (first, second))


def test_a_version_1_retirement_is_read_with_its_replacement_as_the_only_successor(
        memory_ledger: Ledger) -> None:
    standard = Standard(tenant="msp-v1-fixture", key="FW-001", category="firewalls",
                        question="Is the firewall firmware current?",
                        expected_answer=ExpectedAnswer.YES, how_to_check="Console.",
                        why_it_matters="Known flaws.", priority=Priority.HIGH,
                        review_frequency=ReviewFrequency.QUARTERLY, authority_references=[],
                        by="carla.committee")
    memory_ledger.save(standard)
    memory_ledger.recorder.insert_events([StoredEvent(
        standard.id, standard.version + 1, "aggregates.standard:Standard.StandardRetired",
        V1_RETIRED.read_bytes().strip())])

    loaded = memory_ledger.repository.get(standard.id)

    assert (loaded.status, loaded.replaced_by, loaded.successors) == (
        StandardStatus.RETIRED, V1_REPLACEMENT, (V1_REPLACEMENT,))


items = st.builds(ScoredItem, st.just("c"), st.sampled_from(["high", "medium", "low"]),
                  st.sampled_from(["yes", "no"]), st.sampled_from(["yes", "no", "not_applicable"]),
                  st.sampled_from([None, "marginal", "highly_vulnerable"]))


@given(st.lists(items, max_size=60))
def test_counted_items_score_exactly_like_the_items_they_stand_for(scored: list[ScoredItem]) -> None:
    groups: dict[ScoredItem, int] = {}
    for item in scored:
        groups[item] = groups.get(item, 0) + 1
    counted = [ScoredItem(i.category, f"{i.priority}*{n}", i.expected_answer, i.answer, i.rating)
               for i, n in groups.items()]

    assert score(counted, counted_policy(DEFAULT_POLICY)).score == score(scored).score


def test_counted_weights_scale_the_policy_weight() -> None:
    assert counted_policy(DEFAULT_POLICY).weights["medium*4"] == Decimal(12)
