"""What proposing and withdrawing retirements (with their successors) records in a change set,
and what it refuses."""

from uuid import uuid4

import pytest

from aggregates.change_set import (
    ChangeSetNotOpenError,
    ConflictingProposalError,
    LibraryChangeSet,
    ProposedRetirement,
)
from aggregates.errors import InvalidValueError, NotFoundError
from events.vocabulary import StandardStatus
from tests.unit.change_set_steps import (
    new_standard,
    opened,
    proposal_blocked_by,
    retirement,
    revision,
    snapshot,
)
from tests.unit.client_steps import last_event, refusal

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
    change_set, standard, item_id = proposal_blocked_by(state)

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
