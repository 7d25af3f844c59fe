"""The ``LibraryChangeSet`` aggregate: the committee's proposed change to the library.

A change set collects proposals (new standards, revisions, weight changes, retirements) while it
is open, and changes nothing in the library until it is published. Publishing is one step:
the command handler applies every proposal to its ``Standard`` and saves those standards together
with ``ChangeSetPublished`` in one transaction, so the library never shows half a change set,
and publishing twice records nothing twice.

Each proposal on an existing standard remembers the revision it was made against; if the
standard was revised since, publishing refuses rather than apply a change to words nobody saw.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.errors import ConflictError, InvalidValueError, NotFoundError, NothingToReviseError
from aggregates.standard import MEANING_FIELDS, StandardText, coerce_field
from aggregates.tenanted import TenantAggregate
from events import change_sets as ev
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus


class ChangeSetNotOpenError(ConflictError):
    pass


class ConflictingProposalError(ConflictError):
    pass


class StaleProposalError(ConflictError):
    pass


@dataclass(frozen=True)
class StandardSnapshot:
    """What a handler looked up about an existing standard before proposing a change to it."""

    standard_id: UUID
    key: str
    revision: int
    status: StandardStatus
    text: StandardText


@dataclass(frozen=True)
class ProposedNewStandard:
    item_id: UUID
    standard_id: UUID
    key: str
    text: StandardText


@dataclass(frozen=True)
class ProposedRevision:
    item_id: UUID
    standard_id: UUID
    against_revision: int
    changes: dict[str, Any]
    reason: str
    meaning_changed: bool


@dataclass(frozen=True)
class ProposedWeightChange:
    item_id: UUID
    standard_id: UUID
    against_revision: int
    priority: Priority
    reason: str


@dataclass(frozen=True)
class ProposedRetirement:
    item_id: UUID
    standard_id: UUID
    against_revision: int
    reason: str
    successors: tuple[UUID, ...]


Proposal = ProposedNewStandard | ProposedRevision | ProposedWeightChange | ProposedRetirement


class LibraryChangeSet(TenantAggregate):
    """A proposed set of library changes, open until published or discarded."""

    ChangeSetOpened = ev.ChangeSetOpened
    NewStandardProposed = ev.NewStandardProposed
    RevisionProposed = ev.RevisionProposed
    WeightChangeProposed = ev.WeightChangeProposed
    RetirementProposed = ev.RetirementProposed
    ProposalWithdrawn = ev.ProposalWithdrawn
    ChangeSetPublished = ev.ChangeSetPublished
    ChangeSetDiscarded = ev.ChangeSetDiscarded

    @event(ChangeSetOpened)
    def __init__(self, *, tenant: str, title: str, reason: str, by: str) -> None:
        self.tenant = tenant
        self.title = title
        self.reason = reason
        self.status = "open"
        self.items: dict[UUID, Proposal] = {}
        self.published_at: datetime | None = None

    # --- what it proposes ------------------------------------------------------------------

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def new_standards(self) -> list[ProposedNewStandard]:
        return [i for i in self.items.values() if isinstance(i, ProposedNewStandard)]

    @property
    def proposals_on_existing(self) -> list[ProposedRevision | ProposedWeightChange | ProposedRetirement]:
        return [i for i in self.items.values() if not isinstance(i, ProposedNewStandard)]

    def proposal_for(self, standard_id: UUID) -> Proposal | None:
        return next((i for i in self.items.values() if i.standard_id == standard_id), None)

    # --- invariants ------------------------------------------------------------------------

    def check_is_open(self) -> None:
        if self.status != "open":
            raise ChangeSetNotOpenError("change_set_id", f"the change set is {self.status}")

    def check_item_is_new(self, item_id: UUID) -> None:
        if item_id in self.items:
            raise ConflictingProposalError("item_id", "this change set already has that item")

    def check_standard_is_free(self, standard_id: UUID) -> None:
        if self.proposal_for(standard_id) is not None:
            raise ConflictingProposalError(
                "standard_id", "this change set already proposes a change to that standard;"
                " withdraw it first")

    def check_standard_is_in_force(self, standard: StandardSnapshot) -> None:
        if standard.status is StandardStatus.RETIRED:
            raise ConflictingProposalError("standard_id", "the standard is retired")

    # --- proposing -------------------------------------------------------------------------

    def propose_new_standard(self, *, item_id: UUID, standard_id: UUID, key: str, category: str,
                             question: str, expected_answer: ExpectedAnswer, how_to_check: str,
                             why_it_matters: str, priority: Priority,
                             review_frequency: ReviewFrequency, authority_references: list[str],
                             by: str) -> None:
        self.check_is_open()
        self.check_item_is_new(item_id)
        if any(n.key == key for n in self.new_standards):
            raise ConflictingProposalError("key", "this change set already adds a standard with that key")
        self._new_standard_proposed(
            item_id=item_id, standard_id=standard_id, key=key, category=category,
            question=question, expected_answer=ExpectedAnswer(expected_answer),
            how_to_check=how_to_check, why_it_matters=why_it_matters, priority=Priority(priority),
            review_frequency=ReviewFrequency(review_frequency),
            authority_references=list(authority_references), by=by)

    @event(NewStandardProposed)
    def _new_standard_proposed(self, item_id: UUID, standard_id: UUID, key: str, category: str,
                               question: str, expected_answer: ExpectedAnswer, how_to_check: str,
                               why_it_matters: str, priority: Priority,
                               review_frequency: ReviewFrequency,
                               authority_references: list[str], by: str) -> None:
        self.items[item_id] = ProposedNewStandard(item_id, standard_id, key, StandardText(
            category=category, question=question, expected_answer=ExpectedAnswer(expected_answer),
            how_to_check=how_to_check, why_it_matters=why_it_matters, priority=Priority(priority),
            review_frequency=ReviewFrequency(review_frequency),
            authority_references=tuple(authority_references)))

    def propose_revision(self, *, item_id: UUID, standard: StandardSnapshot,
                         changes: dict[str, Any], reason: str, by: str) -> None:
        self.check_is_open()
        self.check_item_is_new(item_id)
        self.check_standard_is_free(standard.standard_id)
        self.check_standard_is_in_force(standard)
        differences = standard.text.differences(changes)
        if not differences:
            raise NothingToReviseError("changes", "no field differs from the current revision")
        if not reason.strip():
            raise InvalidValueError("reason", "a revision needs a reason")
        plain = {name: jsonable(coerce_field(name, value)) for name, value in differences.items()}
        self._revision_proposed(item_id=item_id, standard_id=standard.standard_id,
                                against_revision=standard.revision, changes=plain, reason=reason,
                                meaning_changed=bool(MEANING_FIELDS & plain.keys()), by=by)

    @event(RevisionProposed)
    def _revision_proposed(self, item_id: UUID, standard_id: UUID, against_revision: int,
                           changes: dict[str, Any], reason: str, meaning_changed: bool,
                           by: str) -> None:
        self.items[item_id] = ProposedRevision(item_id, standard_id, against_revision,
                                               dict(changes), reason, meaning_changed)

    def propose_weight_change(self, *, item_id: UUID, standard: StandardSnapshot,
                              priority: Priority, reason: str, by: str) -> None:
        self.check_is_open()
        self.check_item_is_new(item_id)
        self.check_standard_is_free(standard.standard_id)
        self.check_standard_is_in_force(standard)
        if Priority(priority) is standard.text.priority:
            raise NothingToReviseError("priority", "the standard already has this priority")
        self._weight_change_proposed(item_id=item_id, standard_id=standard.standard_id,
                                     against_revision=standard.revision,
                                     priority=Priority(priority), reason=reason, by=by)

    @event(WeightChangeProposed)
    def _weight_change_proposed(self, item_id: UUID, standard_id: UUID, against_revision: int,
                                priority: Priority, reason: str, by: str) -> None:
        self.items[item_id] = ProposedWeightChange(item_id, standard_id, against_revision,
                                                   Priority(priority), reason)

    def propose_retirement(self, *, item_id: UUID, standard: StandardSnapshot, reason: str,
                           successors: list[StandardSnapshot | UUID], by: str) -> None:
        """Successors are library standards (as snapshots) or ids of standards this set adds."""
        self.check_is_open()
        self.check_item_is_new(item_id)
        self.check_standard_is_free(standard.standard_id)
        self.check_standard_is_in_force(standard)
        if not reason.strip():
            raise InvalidValueError("reason", "retiring a standard needs a reason")
        new_ids = {n.standard_id for n in self.new_standards}
        successor_ids: list[UUID] = []
        for successor in successors:
            if isinstance(successor, StandardSnapshot):
                self.check_standard_is_in_force(successor)
                if isinstance(self.proposal_for(successor.standard_id), ProposedRetirement):
                    raise ConflictingProposalError("successors", "a successor is retired by this change set")
                successor_ids.append(successor.standard_id)
            elif successor in new_ids:
                successor_ids.append(successor)
            else:
                raise NotFoundError("successors", "names no standard of the library or of this change set")
        if standard.standard_id in successor_ids:
            raise InvalidValueError("successors", "a standard cannot replace itself")
        if len(set(successor_ids)) != len(successor_ids):
            raise InvalidValueError("successors", "names the same standard twice")
        if any(isinstance(i, ProposedRetirement) and standard.standard_id in i.successors
               for i in self.items.values()):
            raise ConflictingProposalError("standard_id", "the standard is a successor in this change set")
        self._retirement_proposed(item_id=item_id, standard_id=standard.standard_id,
                                  against_revision=standard.revision, reason=reason,
                                  successors=successor_ids, by=by)

    @event(RetirementProposed)
    def _retirement_proposed(self, item_id: UUID, standard_id: UUID, against_revision: int,
                             reason: str, successors: list[UUID], by: str) -> None:
        self.items[item_id] = ProposedRetirement(item_id, standard_id, against_revision, reason,
                                                 tuple(successors))

    def withdraw_proposal(self, *, item_id: UUID, by: str) -> None:
        self.check_is_open()
        item = self.items.get(item_id)
        if item is None:
            raise NotFoundError("item_id", "no such item in this change set")
        if isinstance(item, ProposedNewStandard) and any(
                isinstance(i, ProposedRetirement) and item.standard_id in i.successors
                for i in self.items.values()):
            raise ConflictingProposalError("item_id", "a proposed retirement names this new standard"
                                           " as its successor; withdraw that first")
        self._proposal_withdrawn(item_id=item_id, by=by)

    @event(ProposalWithdrawn)
    def _proposal_withdrawn(self, item_id: UUID, by: str) -> None:
        del self.items[item_id]

    # --- deciding --------------------------------------------------------------------------

    def check_is_current(self, item: Proposal, revision: int, status: StandardStatus) -> None:
        """A proposal on an existing standard still applies to the words it was made against."""
        if isinstance(item, ProposedNewStandard):
            return
        if status is StandardStatus.RETIRED:
            raise StaleProposalError(f"items[{item.item_id}]", "the standard was retired since")
        if revision != item.against_revision:
            raise StaleProposalError(
                f"items[{item.item_id}]",
                f"the standard is at revision {revision}, the proposal was made against"
                f" revision {item.against_revision}; propose it again")

    def publish(self, *, published_at: datetime, by: str) -> None:
        self.check_is_open()
        if not self.items:
            raise InvalidValueError("items", "an empty change set cannot be published")
        self._published(published_at=published_at, by=by)

    @event(ChangeSetPublished)
    def _published(self, published_at: datetime, by: str) -> None:
        self.status = "published"
        self.published_at = published_at

    def discard(self, *, reason: str, by: str) -> None:
        self.check_is_open()
        self._discarded(reason=reason, by=by)

    @event(ChangeSetDiscarded)
    def _discarded(self, reason: str, by: str) -> None:
        self.status = "discarded"


def jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return getattr(value, "value", value)
