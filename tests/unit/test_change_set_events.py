"""Whether a change set's proposals are still current, and what publishing and discarding record."""

from typing import Any
from uuid import uuid4

import pytest

from aggregates.change_set import (
    ChangeSetNotOpenError,
    LibraryChangeSet,
    StaleProposalError,
    jsonable,
)
from aggregates.errors import InvalidValueError
from events.vocabulary import Priority, StandardStatus
from tests.unit.change_set_steps import PUBLISHED_AT, new_standard, opened, revision, snapshot
from tests.unit.client_steps import last_event, refusal

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
