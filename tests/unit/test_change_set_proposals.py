"""What opening a change set and proposing new standards, revisions and weight changes record
and refuse."""

from uuid import uuid4

import pytest

from aggregates.change_set import (
    ChangeSetNotOpenError,
    ConflictingProposalError,
    LibraryChangeSet,
    ProposedNewStandard,
    ProposedRevision,
    ProposedWeightChange,
)
from aggregates.errors import InvalidValueError, NothingToReviseError
from aggregates.standard import StandardText
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus
from tests.unit.change_set_steps import (
    PUBLISHED_AT,
    new_standard,
    opened,
    proposal_blocked_by,
    revision,
    snapshot,
)
from tests.unit.client_steps import last_event, refusal

# --- opening -----------------------------------------------------------------------------------

def test_an_opened_change_set_records_its_title_reason_and_author() -> None:
    change_set = opened()

    event = last_event(change_set)
    assert (type(event), event.tenant, event.title, event.reason, event.by) == (
        LibraryChangeSet.ChangeSetOpened, "msp-1", "Spring update", "new threats", "carla")


def test_an_opened_change_set_is_open_empty_and_unpublished() -> None:
    change_set = opened()

    assert (change_set.title, change_set.reason, change_set.status, change_set.items,
            change_set.published_at, change_set.is_published) == (
        "Spring update", "new threats", "open", {}, None, False)


# --- new standards -----------------------------------------------------------------------------

def test_a_new_standard_proposal_records_every_field_as_typed_values() -> None:
    change_set = opened()
    item_id = uuid4()

    standard_id = new_standard(change_set, item_id=item_id)

    event = last_event(change_set)
    assert (type(event), event.item_id, event.standard_id, event.key, event.category, event.question,
            event.expected_answer, event.how_to_check, event.why_it_matters, event.priority,
            event.review_frequency, event.authority_references, event.by) == (
        LibraryChangeSet.NewStandardProposed, item_id, standard_id, "FIR-009", "email",
        "Is DMARC enforced?", ExpectedAnswer.YES, "Read the DNS record.", "Spoofing.", Priority.HIGH,
        ReviewFrequency.ANNUAL, ["CIS 9"], "carla")


def test_a_proposed_new_standard_holds_its_whole_text() -> None:
    change_set = opened()
    item_id = uuid4()

    standard_id = new_standard(change_set, item_id=item_id)

    assert change_set.items[item_id] == ProposedNewStandard(item_id, standard_id, "FIR-009", StandardText(
        category="email", question="Is DMARC enforced?", expected_answer=ExpectedAnswer.YES,
        how_to_check="Read the DNS record.", why_it_matters="Spoofing.", priority=Priority.HIGH,
        review_frequency=ReviewFrequency.ANNUAL, authority_references=("CIS 9",)))
    assert (change_set.new_standards, change_set.proposals_on_existing) == (
        [change_set.items[item_id]], [])


def test_a_second_new_standard_with_the_same_key_is_refused() -> None:
    change_set = opened()
    new_standard(change_set, key="FIR-009")

    assert refusal(ConflictingProposalError, lambda: new_standard(change_set, key="FIR-009")) == (
        "key", "this change set already adds a standard with that key")


def test_a_proposal_under_an_item_id_in_use_is_refused() -> None:
    change_set = opened()
    item_id = uuid4()
    new_standard(change_set, key="A", item_id=item_id)

    assert refusal(ConflictingProposalError, lambda: new_standard(change_set, key="B", item_id=item_id)) == (
        "item_id", "this change set already has that item")


def test_proposing_into_a_discarded_change_set_is_refused_naming_its_state() -> None:
    change_set = opened()
    change_set.discard(reason="wrong plan", by="carla")

    assert refusal(ChangeSetNotOpenError, lambda: new_standard(change_set)) == (
        "change_set_id", "the change set is discarded")


# --- revisions and weight changes --------------------------------------------------------------

def test_a_revision_proposal_records_the_plain_changes_its_revision_and_no_change_of_meaning() -> None:
    change_set = opened()
    standard = snapshot(revision=4)

    item_id = revision(change_set, standard, changes={
        "how_to_check": "Ask the vendor.", "authority_references": ("CIS 2", "NIST 3"),
        "priority": Priority.MEDIUM})

    event = last_event(change_set)
    assert (type(event), event.item_id, event.standard_id, event.against_revision, event.changes,
            event.reason, event.meaning_changed, event.by) == (
        LibraryChangeSet.RevisionProposed, item_id, standard.standard_id, 4,
        {"how_to_check": "Ask the vendor.", "authority_references": ["CIS 2", "NIST 3"]}, "clearer",
        False, "carla")


def test_a_revision_of_the_question_or_expected_answer_changes_the_meaning() -> None:
    change_set = opened()
    standard = snapshot()

    item_id = revision(change_set, standard, changes={"expected_answer": ExpectedAnswer.NO})

    assert change_set.items[item_id] == ProposedRevision(
        item_id, standard.standard_id, 3, {"expected_answer": "no"}, "clearer", True)
    assert change_set.proposals_on_existing == [change_set.items[item_id]]


def test_a_revision_that_changes_nothing_is_refused() -> None:
    change_set = opened()

    assert refusal(NothingToReviseError, lambda: revision(
        change_set, snapshot(), changes={"question": "Is the firmware current?"})) == (
        "changes", "no field differs from the current revision")


def test_a_revision_without_a_reason_is_refused() -> None:
    change_set = opened()

    assert refusal(InvalidValueError, lambda: revision(change_set, snapshot(), reason="  ")) == (
        "reason", "a revision needs a reason")


def test_a_revision_of_a_retired_standard_is_refused() -> None:
    change_set = opened()

    assert refusal(ConflictingProposalError, lambda: revision(
        change_set, snapshot(StandardStatus.RETIRED))) == ("standard_id", "the standard is retired")


def test_a_second_proposal_on_the_same_standard_is_refused() -> None:
    change_set = opened()
    standard = snapshot()
    revision(change_set, standard)

    assert refusal(ConflictingProposalError, lambda: revision(
        change_set, standard, changes={"question": "Is it patched?"})) == (
        "standard_id", "this change set already proposes a change to that standard; withdraw it first")


def test_a_revision_under_an_item_id_in_use_is_refused() -> None:
    change_set = opened()
    item_id = revision(change_set, snapshot())

    assert refusal(ConflictingProposalError,
                   lambda: revision(change_set, snapshot(), item_id=item_id))[0] == "item_id"


def test_a_revision_into_a_published_change_set_is_refused() -> None:
    change_set = opened()
    revision(change_set, snapshot())
    change_set.publish(published_at=PUBLISHED_AT, by="carla")

    assert refusal(ChangeSetNotOpenError, lambda: revision(change_set, snapshot())) == (
        "change_set_id", "the change set is published")


def test_a_weight_change_records_the_new_priority_its_revision_and_reason() -> None:
    change_set = opened()
    standard = snapshot(revision=2)
    item_id = uuid4()

    change_set.propose_weight_change(item_id=item_id, standard=standard, priority="high",  # type: ignore[arg-type]
                                     reason="more attacks", by="carla")

    event = last_event(change_set)
    assert (type(event), event.item_id, event.standard_id, event.against_revision, event.priority,
            event.reason, event.by) == (
        LibraryChangeSet.WeightChangeProposed, item_id, standard.standard_id, 2, Priority.HIGH,
        "more attacks", "carla")
    assert change_set.items[item_id] == ProposedWeightChange(
        item_id, standard.standard_id, 2, Priority.HIGH, "more attacks")


def test_a_weight_change_to_the_current_priority_is_refused() -> None:
    change_set = opened()

    assert refusal(NothingToReviseError, lambda: change_set.propose_weight_change(
        item_id=uuid4(), standard=snapshot(), priority=Priority.MEDIUM, reason="x", by="carla")) == (
        "priority", "the standard already has this priority")


@pytest.mark.parametrize("state", ["discarded", "item in use", "standard taken", "retired"])
def test_a_weight_change_is_refused_like_every_proposal_on_an_existing_standard(state: str) -> None:
    change_set, standard, item_id = proposal_blocked_by(state)

    with pytest.raises((ChangeSetNotOpenError, ConflictingProposalError)) as raised:
        change_set.propose_weight_change(item_id=item_id, standard=standard, priority=Priority.HIGH,
                                         reason="x", by="carla")

    assert raised.value.field == {"discarded": "change_set_id", "item in use": "item_id",
                                  "standard taken": "standard_id", "retired": "standard_id"}[state]
