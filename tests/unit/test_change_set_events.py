"""What each ``LibraryChangeSet`` command records on success, and what it refuses."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.change_set import (
    ChangeSetNotOpenError,
    ConflictingProposalError,
    LibraryChangeSet,
    ProposedNewStandard,
    ProposedRetirement,
    ProposedRevision,
    ProposedWeightChange,
    StaleProposalError,
    StandardSnapshot,
    jsonable,
)
from aggregates.errors import InvalidValueError, NotFoundError, NothingToReviseError
from aggregates.standard import StandardText
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus

PUBLISHED_AT = datetime(2027, 2, 1, 9, tzinfo=UTC)
TEXT = StandardText(
    category="firewalls", question="Is the firmware current?", expected_answer=ExpectedAnswer.YES,
    how_to_check="Look at the console.", why_it_matters="Old firmware has holes.",
    priority=Priority.MEDIUM, review_frequency=ReviewFrequency.QUARTERLY, authority_references=("CIS 1",))


def opened() -> LibraryChangeSet:
    return LibraryChangeSet(tenant="msp-1", title="Spring update", reason="new threats", by="carla")


def last_event(change_set: LibraryChangeSet) -> Any:
    return change_set.pending_events[-1]


def snapshot(status: StandardStatus = StandardStatus.PUBLISHED, revision: int = 3) -> StandardSnapshot:
    return StandardSnapshot(uuid4(), "FIR-001", revision, status, TEXT)


def new_standard(change_set: LibraryChangeSet, key: str = "FIR-009", item_id: UUID | None = None) -> UUID:
    standard_id = uuid4()
    change_set.propose_new_standard(
        item_id=item_id or uuid4(), standard_id=standard_id, key=key, category="email",
        question="Is DMARC enforced?", expected_answer="yes",  # type: ignore[arg-type]
        how_to_check="Read the DNS record.", why_it_matters="Spoofing.", priority="high",  # type: ignore[arg-type]
        review_frequency="annual", authority_references=["CIS 9"], by="carla")  # type: ignore[arg-type]
    return standard_id


def revision(change_set: LibraryChangeSet, standard: StandardSnapshot, item_id: UUID | None = None,
             changes: dict[str, Any] | None = None, reason: str = "clearer") -> UUID:
    item_id = item_id or uuid4()
    change_set.propose_revision(item_id=item_id, standard=standard,
                                changes=changes or {"how_to_check": "Ask the vendor."}, reason=reason,
                                by="carla")
    return item_id


def retirement(change_set: LibraryChangeSet, standard: StandardSnapshot,
               successors: list[StandardSnapshot | UUID] | None = None, reason: str = "obsolete") -> UUID:
    item_id = uuid4()
    change_set.propose_retirement(item_id=item_id, standard=standard, reason=reason,
                                  successors=successors or [], by="carla")
    return item_id


def refusal(error: type[Exception], act: Any) -> tuple[str, str]:
    with pytest.raises(error) as raised:
        act()
    return raised.value.field, raised.value.reason  # type: ignore[attr-defined]


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
    change_set = opened()
    standard = snapshot(StandardStatus.RETIRED if state == "retired" else StandardStatus.PUBLISHED)
    item_id = uuid4()
    if state == "discarded":
        change_set.discard(reason="x", by="carla")
    elif state == "item in use":
        revision(change_set, snapshot(), item_id=item_id)
    elif state == "standard taken":
        revision(change_set, standard)

    with pytest.raises((ChangeSetNotOpenError, ConflictingProposalError)) as raised:
        change_set.propose_weight_change(item_id=item_id, standard=standard, priority=Priority.HIGH,
                                         reason="x", by="carla")

    assert raised.value.field == {"discarded": "change_set_id", "item in use": "item_id",
                                  "standard taken": "standard_id", "retired": "standard_id"}[state]


# --- retirements -------------------------------------------------------------------------------

def test_a_retirement_records_its_reason_revision_and_successors_in_order() -> None:
    change_set = opened()
    standard = snapshot(revision=5)
    library_successor = snapshot()
    added = new_standard(change_set)

    item_id = retirement(change_set, standard, [added, library_successor])

    event = last_event(change_set)
    assert (type(event), event.item_id, event.standard_id, event.against_revision, event.reason,
            event.successors, event.by) == (
        LibraryChangeSet.RetirementProposed, item_id, standard.standard_id, 5, "obsolete",
        [added, library_successor.standard_id], "carla")
    assert change_set.items[item_id] == ProposedRetirement(
        item_id, standard.standard_id, 5, "obsolete", (added, library_successor.standard_id))


def test_a_retirement_without_a_reason_is_refused() -> None:
    change_set = opened()

    assert refusal(InvalidValueError, lambda: retirement(change_set, snapshot(), reason=" ")) == (
        "reason", "retiring a standard needs a reason")


def test_a_retired_successor_is_refused() -> None:
    change_set = opened()

    assert refusal(ConflictingProposalError, lambda: retirement(
        change_set, snapshot(), [snapshot(StandardStatus.RETIRED)])) == (
        "standard_id", "the standard is retired")


def test_a_successor_this_change_set_retires_is_refused() -> None:
    change_set = opened()
    retired_here = snapshot()
    retirement(change_set, retired_here)

    assert refusal(ConflictingProposalError, lambda: retirement(change_set, snapshot(), [retired_here])) == (
        "successors", "a successor is retired by this change set")


def test_a_successor_this_change_set_revises_is_accepted() -> None:
    change_set = opened()
    revised_here = snapshot()
    revision(change_set, revised_here)

    retirement(change_set, snapshot(), [revised_here])

    assert last_event(change_set).successors == [revised_here.standard_id]


def test_a_successor_id_that_names_no_standard_is_refused() -> None:
    change_set = opened()

    assert refusal(NotFoundError, lambda: retirement(change_set, snapshot(), [uuid4()])) == (
        "successors", "names no standard of the library or of this change set")


def test_a_standard_replacing_itself_is_refused() -> None:
    change_set = opened()
    standard = snapshot()

    assert refusal(InvalidValueError, lambda: retirement(change_set, standard, [standard])) == (
        "successors", "a standard cannot replace itself")


def test_the_same_successor_twice_is_refused() -> None:
    change_set = opened()
    added = new_standard(change_set)

    assert refusal(InvalidValueError, lambda: retirement(change_set, snapshot(), [added, added])) == (
        "successors", "names the same standard twice")


def test_retiring_a_standard_named_as_a_successor_in_this_change_set_is_refused() -> None:
    change_set = opened()
    successor = snapshot()
    retirement(change_set, snapshot(), [successor])

    assert refusal(ConflictingProposalError, lambda: retirement(change_set, successor)) == (
        "standard_id", "the standard is a successor in this change set")


def test_retiring_with_a_revision_elsewhere_in_the_change_set_is_accepted() -> None:
    change_set = opened()
    revision(change_set, snapshot())
    standard = snapshot()

    retirement(change_set, standard)

    assert last_event(change_set).standard_id == standard.standard_id


@pytest.mark.parametrize("state", ["discarded", "item in use", "standard taken", "retired"])
def test_a_retirement_is_refused_like_every_proposal_on_an_existing_standard(state: str) -> None:
    change_set = opened()
    standard = snapshot(StandardStatus.RETIRED if state == "retired" else StandardStatus.PUBLISHED)
    item_id = uuid4()
    if state == "discarded":
        change_set.discard(reason="x", by="carla")
    elif state == "item in use":
        revision(change_set, snapshot(), item_id=item_id)
    elif state == "standard taken":
        revision(change_set, standard)

    with pytest.raises((ChangeSetNotOpenError, ConflictingProposalError)) as raised:
        change_set.propose_retirement(item_id=item_id, standard=standard, reason="x", successors=[],
                                      by="carla")

    assert raised.value.field == {"discarded": "change_set_id", "item in use": "item_id",
                                  "standard taken": "standard_id", "retired": "standard_id"}[state]


# --- withdrawing -------------------------------------------------------------------------------

def test_withdrawing_a_proposal_records_it_and_removes_the_item() -> None:
    change_set = opened()
    item_id = revision(change_set, snapshot())

    change_set.withdraw_proposal(item_id=item_id, by="carla")

    event = last_event(change_set)
    assert (type(event), event.item_id, event.by, change_set.items) == (
        LibraryChangeSet.ProposalWithdrawn, item_id, "carla", {})


def test_withdrawing_an_unknown_item_is_refused() -> None:
    change_set = opened()

    assert refusal(NotFoundError, lambda: change_set.withdraw_proposal(item_id=uuid4(), by="carla")) == (
        "item_id", "no such item in this change set")


def test_withdrawing_a_new_standard_a_retirement_names_as_successor_is_refused() -> None:
    change_set = opened()
    item_id = uuid4()
    added = new_standard(change_set, item_id=item_id)
    retirement(change_set, snapshot(), [added])

    assert refusal(ConflictingProposalError,
                   lambda: change_set.withdraw_proposal(item_id=item_id, by="carla")) == (
        "item_id", "a proposed retirement names this new standard as its successor; withdraw that first")


def test_withdrawing_a_new_standard_no_retirement_names_is_accepted() -> None:
    change_set = opened()
    item_id = uuid4()
    new_standard(change_set, item_id=item_id)
    retirement(change_set, snapshot(), [snapshot()])

    change_set.withdraw_proposal(item_id=item_id, by="carla")

    assert item_id not in change_set.items


def test_withdrawing_from_a_discarded_change_set_is_refused() -> None:
    change_set = opened()
    item_id = revision(change_set, snapshot())
    change_set.discard(reason="x", by="carla")

    assert refusal(ChangeSetNotOpenError,
                   lambda: change_set.withdraw_proposal(item_id=item_id, by="carla"))[0] == "change_set_id"


# --- currency, publishing, discarding ----------------------------------------------------------

def test_a_proposal_made_against_the_current_revision_is_current() -> None:
    change_set = opened()
    item_id = revision(change_set, snapshot(revision=3))

    current = change_set.check_is_current(change_set.items[item_id], 3, StandardStatus.PUBLISHED)

    assert current is None  # no StaleProposalError


def test_a_new_standard_is_always_current() -> None:
    change_set = opened()
    item_id = uuid4()
    new_standard(change_set, item_id=item_id)

    current = change_set.check_is_current(change_set.items[item_id], 9, StandardStatus.RETIRED)

    assert current is None  # no StaleProposalError


def test_a_proposal_on_a_standard_revised_since_is_stale() -> None:
    change_set = opened()
    item_id = revision(change_set, snapshot(revision=3))

    assert refusal(StaleProposalError, lambda: change_set.check_is_current(
        change_set.items[item_id], 4, StandardStatus.PUBLISHED)) == (
        f"items[{item_id}]", "the standard is at revision 4, the proposal was made against revision 3;"
        " propose it again")


def test_a_proposal_on_a_standard_retired_since_is_stale() -> None:
    change_set = opened()
    item_id = revision(change_set, snapshot(revision=3))

    assert refusal(StaleProposalError, lambda: change_set.check_is_current(
        change_set.items[item_id], 3, StandardStatus.RETIRED)) == (
        f"items[{item_id}]", "the standard was retired since")


def test_publishing_records_when_and_who_and_marks_the_change_set_published() -> None:
    change_set = opened()
    revision(change_set, snapshot())

    change_set.publish(published_at=PUBLISHED_AT, by="carla")

    event = last_event(change_set)
    assert (type(event), event.published_at, event.by) == (
        LibraryChangeSet.ChangeSetPublished, PUBLISHED_AT, "carla")
    assert (change_set.status, change_set.is_published, change_set.published_at) == (
        "published", True, PUBLISHED_AT)


def test_publishing_an_empty_change_set_is_refused() -> None:
    change_set = opened()

    assert refusal(InvalidValueError, lambda: change_set.publish(published_at=PUBLISHED_AT, by="carla")) == (
        "items", "an empty change set cannot be published")


def test_publishing_twice_is_refused() -> None:
    change_set = opened()
    revision(change_set, snapshot())
    change_set.publish(published_at=PUBLISHED_AT, by="carla")

    assert refusal(ChangeSetNotOpenError,
                   lambda: change_set.publish(published_at=PUBLISHED_AT, by="carla"))[1] == (
        "the change set is published")


def test_discarding_records_the_reason_and_closes_the_change_set_unpublished() -> None:
    change_set = opened()

    change_set.discard(reason="wrong plan", by="carla")

    event = last_event(change_set)
    assert (type(event), event.reason, event.by, change_set.status, change_set.is_published) == (
        LibraryChangeSet.ChangeSetDiscarded, "wrong plan", "carla", "discarded", False)


def test_discarding_a_published_change_set_is_refused() -> None:
    change_set = opened()
    revision(change_set, snapshot())
    change_set.publish(published_at=PUBLISHED_AT, by="carla")

    assert refusal(ChangeSetNotOpenError,
                   lambda: change_set.discard(reason="x", by="carla"))[0] == "change_set_id"


@pytest.mark.parametrize(("value", "plain"), [
    (("a", "b"), ["a", "b"]), (Priority.LOW, "low"), ("text", "text"), (3, 3)])
def test_a_proposed_value_is_stored_as_plain_json(value: Any, plain: Any) -> None:
    assert jsonable(value) == plain


def test_a_later_proposal_carries_the_change_set_s_tenant() -> None:
    change_set = opened()

    revision(change_set, snapshot())

    assert (change_set.tenant, last_event(change_set).tenant) == ("msp-1", "msp-1")
