"""What each Standard command records on success: the event's fields and the state they leave."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from aggregates.errors import InvalidValueError, StandardNotDraftError, StandardRetiredError
from aggregates.standard import Standard, StandardText
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus
from tests.unit.client_steps import last_event

REVIEWED_AT = datetime(2026, 11, 16, 10, tzinfo=UTC)


def drafted(**overrides: Any) -> Standard:
    fields: dict[str, Any] = dict(
        tenant="msp-1", key="FIR-001", category="firewalls", question="Is the firmware current?",
        expected_answer=ExpectedAnswer.YES, how_to_check="Look at the console.",
        why_it_matters="Old firmware has known holes.", priority=Priority.HIGH,
        review_frequency=ReviewFrequency.QUARTERLY, authority_references=["CIS 12.1"], by="carla")
    fields.update(overrides)
    standard = Standard.create_with_id(uuid4(), **fields)
    return standard


def test_a_drafted_standard_records_every_field_it_was_drafted_with() -> None:
    standard = drafted()

    event = last_event(standard)
    assert (event.tenant, event.key, event.category, event.question, event.expected_answer,
            event.how_to_check, event.why_it_matters, event.priority, event.review_frequency,
            event.authority_references, event.by) == (
        "msp-1", "FIR-001", "firewalls", "Is the firmware current?", ExpectedAnswer.YES,
        "Look at the console.", "Old firmware has known holes.", Priority.HIGH,
        ReviewFrequency.QUARTERLY, ["CIS 12.1"], "carla")


def test_a_drafted_standard_is_a_draft_at_revision_1_with_its_text() -> None:
    standard = drafted()

    assert (standard.status, standard.revision, standard.key, standard.tenant) == (
        StandardStatus.DRAFT, 1, "FIR-001", "msp-1")
    assert standard.text == StandardText(
        category="firewalls", question="Is the firmware current?", expected_answer=ExpectedAnswer.YES,
        how_to_check="Look at the console.", why_it_matters="Old firmware has known holes.",
        priority=Priority.HIGH, review_frequency=ReviewFrequency.QUARTERLY,
        authority_references=("CIS 12.1",))


def test_a_new_draft_has_no_successor_retirement_reason_or_review() -> None:
    standard = drafted()

    assert (standard.replaced_by, standard.successors, standard.retired_reason,
            standard.last_reviewed_at) == (None, (), None, None)


def test_a_draft_is_not_answerable_until_published() -> None:
    standard = drafted()
    before = standard.is_answerable

    standard.publish(by="carla")

    assert (before, standard.is_answerable, standard.status) == (False, True, StandardStatus.PUBLISHED)


def test_publishing_records_who_published() -> None:
    standard = drafted()

    standard.publish(by="carla")

    assert (type(last_event(standard)), last_event(standard).by) == (Standard.StandardPublished, "carla")


def test_a_revision_records_its_number_changes_reason_and_author() -> None:
    standard = drafted()

    standard.revise(changes={"priority": "low", "how_to_check": "Ask the vendor."},
                    reason="less risky than thought", by="carla")

    event = last_event(standard)
    assert (event.revision, event.changes, event.reason, event.meaning_changed, event.by) == (
        2, {"priority": "low", "how_to_check": "Ask the vendor."}, "less risky than thought", False,
        "carla")


def test_a_revision_keeps_the_old_text_and_makes_the_new_one_current() -> None:
    standard = drafted()

    standard.revise(changes={"priority": "low"}, reason="less risky", by="carla")

    assert (standard.revision, standard.texts[1].priority, standard.text.priority) == (
        2, Priority.HIGH, Priority.LOW)


def test_a_revision_records_only_the_fields_that_really_change() -> None:
    standard = drafted()

    standard.revise(changes={"priority": "high", "category": "routers"}, reason="moved", by="carla")

    assert last_event(standard).changes == {"category": "routers"}


@pytest.mark.parametrize(("changes", "meaning_changed"), [
    ({"question": "Is the firmware under 12 months old?"}, True),
    ({"expected_answer": "no"}, True),
    ({"category": "routers"}, False),
    ({"authority_references": ["NIST 800-53 SI-2"]}, False),
])
def test_a_revision_says_whether_the_question_s_meaning_changed(changes: dict[str, Any],
                                                                meaning_changed: bool) -> None:
    standard = drafted()

    standard.revise(changes=changes, reason="clearer", by="carla")

    assert last_event(standard).meaning_changed is meaning_changed


def test_revised_references_are_recorded_as_a_list_and_kept_as_a_tuple() -> None:
    standard = drafted()

    standard.revise(changes={"authority_references": ("A", "B")}, reason="sources", by="carla")

    assert (last_event(standard).changes, standard.text.authority_references) == (
        {"authority_references": ["A", "B"]}, ("A", "B"))


def test_revised_enums_are_recorded_as_their_values_and_kept_as_enums() -> None:
    standard = drafted()

    standard.revise(changes={"review_frequency": ReviewFrequency.ANNUAL}, reason="slower", by="carla")

    assert (last_event(standard).changes, standard.text.review_frequency) == (
        {"review_frequency": "annual"}, ReviewFrequency.ANNUAL)


def test_two_revisions_are_numbered_2_and_3() -> None:
    standard = drafted()

    standard.revise(changes={"priority": "low"}, reason="less risky", by="carla")
    standard.revise(changes={"priority": "medium"}, reason="middle ground", by="carla")

    assert ([e.revision for e in standard.pending_events[1:]], sorted(standard.texts)) == (
        [2, 3], [1, 2, 3])


@pytest.mark.parametrize("field", ["category", "question", "how_to_check", "why_it_matters"])
def test_blank_revision_text_is_refused_naming_the_field(field: str) -> None:
    standard = drafted()

    with pytest.raises(InvalidValueError) as refused:
        standard.revise(changes={field: "  "}, reason="tidy", by="carla")

    assert refused.value.field == field


def test_a_revision_of_an_unknown_field_is_refused_naming_it() -> None:
    standard = drafted()

    with pytest.raises(InvalidValueError) as refused:
        standard.revise(changes={"colour": "red"}, reason="tidy", by="carla")

    assert (refused.value.field, "question" in refused.value.reason) == ("colour", True)


def test_a_revision_without_a_reason_is_refused_naming_the_reason() -> None:
    standard = drafted()

    with pytest.raises(InvalidValueError) as refused:
        standard.revise(changes={"priority": "low"}, reason=" ", by="carla")

    assert refused.value.field == "reason"


def test_a_draft_can_be_revised_and_a_published_standard_too() -> None:
    standard = drafted()
    standard.revise(changes={"priority": "low"}, reason="first", by="carla")
    standard.publish(by="carla")

    standard.revise(changes={"priority": "medium"}, reason="second", by="carla")

    assert (standard.revision, standard.status) == (3, StandardStatus.PUBLISHED)


def test_retiring_records_the_reason_the_successors_and_the_author() -> None:
    standard = drafted()
    first, second = uuid4(), uuid4()

    standard.retire(reason="split in two", replaced_by=None, successors=[first, second], by="carla")

    event = last_event(standard)
    assert (event.reason, event.replaced_by, event.successors, event.by) == (
        "split in two", first, [first, second], "carla")


def test_a_retired_standard_keeps_its_successors_and_reason() -> None:
    standard = drafted()
    replacement = uuid4()

    standard.retire(reason="superseded", replaced_by=replacement, by="carla")

    assert (standard.status, standard.replaced_by, standard.successors, standard.retired_reason) == (
        StandardStatus.RETIRED, replacement, (replacement,), "superseded")


def test_retiring_without_a_successor_names_none() -> None:
    standard = drafted()

    standard.retire(reason="obsolete", replaced_by=None, by="carla")

    assert (last_event(standard).replaced_by, last_event(standard).successors) == (None, [])


def test_a_retired_standard_is_not_answerable() -> None:
    standard = drafted()
    standard.publish(by="carla")

    standard.retire(reason="obsolete", replaced_by=None, by="carla")

    assert standard.is_answerable is False


@pytest.mark.parametrize("reason", ["", "   "])
def test_retiring_without_a_reason_is_refused_naming_the_reason(reason: str) -> None:
    standard = drafted()

    with pytest.raises(InvalidValueError) as refused:
        standard.retire(reason=reason, replaced_by=None, by="carla")

    assert refused.value.field == "reason"


def test_a_replacement_that_is_not_the_first_successor_is_refused_naming_replaced_by() -> None:
    standard = drafted()
    first, second = uuid4(), uuid4()

    with pytest.raises(InvalidValueError) as refused:
        standard.retire(reason="split", replaced_by=second, successors=[first, second], by="carla")

    assert refused.value.field == "replaced_by"


def test_a_replacement_that_is_the_first_successor_is_accepted() -> None:
    standard = drafted()
    first, second = uuid4(), uuid4()

    standard.retire(reason="split", replaced_by=first, successors=[first, second], by="carla")

    assert standard.successors == (first, second)


def test_naming_a_successor_twice_is_refused_naming_the_successors() -> None:
    standard = drafted()
    twice = uuid4()

    with pytest.raises(InvalidValueError) as refused:
        standard.retire(reason="merge", replaced_by=None, successors=[twice, twice], by="carla")

    assert refused.value.field == "successors"


def test_a_standard_cannot_replace_itself() -> None:
    standard = drafted()

    with pytest.raises(InvalidValueError) as refused:
        standard.retire(reason="loop", replaced_by=standard.id, by="carla")

    assert (refused.value.field, refused.value.reason) == ("successors", "a standard cannot replace itself")


def test_retiring_twice_is_refused_naming_the_status() -> None:
    standard = drafted()
    standard.retire(reason="obsolete", replaced_by=None, by="carla")

    with pytest.raises(StandardRetiredError) as refused:
        standard.retire(reason="again", replaced_by=None, by="carla")

    assert (refused.value.field, refused.value.reason) == ("status", "standard is retired")


def test_publishing_a_retired_draft_is_refused_naming_its_status() -> None:
    standard = drafted()
    standard.retire(reason="obsolete", replaced_by=None, by="carla")

    with pytest.raises(StandardNotDraftError) as refused:
        standard.publish(by="carla")

    assert refused.value.reason == "standard is retired, not draft"


def test_a_confirmed_review_records_its_date_note_and_author() -> None:
    standard = drafted()

    standard.confirm_reviewed(reviewed_at=REVIEWED_AT, note="still right", by="carla")

    event = last_event(standard)
    assert (event.reviewed_at, event.note, event.by, standard.last_reviewed_at) == (
        REVIEWED_AT, "still right", "carla", REVIEWED_AT)


def test_a_retired_standard_cannot_be_confirmed_as_reviewed() -> None:
    standard = drafted()
    standard.retire(reason="obsolete", replaced_by=None, by="carla")

    with pytest.raises(StandardRetiredError):
        standard.confirm_reviewed(reviewed_at=REVIEWED_AT, note="", by="carla")


def test_a_confirmed_review_changes_neither_revision_nor_status() -> None:
    standard = drafted()
    standard.publish(by="carla")

    standard.confirm_reviewed(reviewed_at=REVIEWED_AT, note="", by="carla")

    assert (standard.revision, standard.status) == (1, StandardStatus.PUBLISHED)


def test_a_version_1_retirement_with_a_replacement_reads_it_as_the_only_successor() -> None:
    replacement = uuid4()
    state: dict[str, Any] = {"reason": "superseded", "replaced_by": replacement, "by": "carla"}

    Standard.StandardRetired.upcast_v1_v2(state)

    assert state == {"reason": "superseded", "replaced_by": replacement, "successors": [replacement],
                     "by": "carla"}


def test_a_version_1_retirement_without_a_replacement_reads_as_no_successors() -> None:
    state: dict[str, Any] = {"reason": "obsolete", "replaced_by": None, "by": "carla"}

    Standard.StandardRetired.upcast_v1_v2(state)

    assert state["successors"] == []


def test_a_version_1_retirement_missing_its_replacement_reads_as_no_successors() -> None:
    state: dict[str, Any] = {"reason": "obsolete", "by": "carla"}

    Standard.StandardRetired.upcast_v1_v2(state)

    assert state["successors"] == []
