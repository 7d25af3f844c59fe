"""Arranging a library change set for the unit tests: an open one, a standard's snapshot, and
proposals of each kind with the fields that do not matter to the test filled in."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from aggregates.change_set import LibraryChangeSet, StandardSnapshot
from aggregates.standard import StandardText
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus

PUBLISHED_AT = datetime(2027, 2, 1, 9, tzinfo=UTC)
TEXT = StandardText(
    category="firewalls", question="Is the firmware current?", expected_answer=ExpectedAnswer.YES,
    how_to_check="Look at the console.", why_it_matters="Old firmware has holes.",
    priority=Priority.MEDIUM, review_frequency=ReviewFrequency.QUARTERLY, authority_references=("CIS 1",))


def opened() -> LibraryChangeSet:
    return LibraryChangeSet(tenant="msp-1", title="Spring update", reason="new threats", by="carla")


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




def proposal_blocked_by(state: str) -> tuple[LibraryChangeSet, StandardSnapshot, UUID]:
    """A change set, a standard and an item id such that one more proposal is refused for
    ``state``: "discarded", "item in use", "standard taken" (another proposal names the
    standard) or "retired" (the standard is)."""
    change_set = opened()
    standard = snapshot(StandardStatus.RETIRED if state == "retired" else StandardStatus.PUBLISHED)
    item_id = uuid4()
    if state == "discarded":
        change_set.discard(reason="x", by="carla")
    elif state == "item in use":
        revision(change_set, snapshot(), item_id=item_id)
    elif state == "standard taken":
        revision(change_set, standard)
    return change_set, standard, item_id
