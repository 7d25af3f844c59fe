"""How stored events of an older version read today: each upcast fills exactly the field it added."""

from datetime import UTC, datetime
from typing import Any

import pytest

from events.clients import ClientProfileChanged
from events.reviews import AnswerRecorded, ReviewCompleted
from events.vocabulary import ReviewFrequency

RECORDED = datetime(2025, 3, 4, 10, tzinfo=UTC)


def test_a_version_1_answer_takes_its_recording_time_as_its_observation_time() -> None:
    state: dict[str, Any] = {"timestamp": RECORDED, "note": "seen"}

    AnswerRecorded.upcast_v1_v2(state)

    assert state == {"timestamp": RECORDED, "note": "seen", "observed_at": RECORDED}


def test_a_version_1_review_completion_reads_as_finalised_with_nothing_for_unrated_answers() -> None:
    state: dict[str, Any] = {"completed_at": RECORDED}

    ReviewCompleted.upcast_v1_v2(state)

    assert state == {"completed_at": RECORDED, "unrated_as": None}


def test_a_version_1_profile_change_holds_from_the_day_it_was_recorded() -> None:
    state: dict[str, Any] = {"changes": {"mrr": "10"}}

    ClientProfileChanged.upcast_v1_v2(state)

    assert state == {"changes": {"mrr": "10"}, "effective_on": None}


def test_the_versions_that_added_fields_are_2() -> None:
    assert (AnswerRecorded.class_version, ReviewCompleted.class_version,
            ClientProfileChanged.class_version) == (2, 2, 2)


@pytest.mark.parametrize(("frequency", "months"), [
    (ReviewFrequency.MONTHLY, 1), (ReviewFrequency.QUARTERLY, 3), (ReviewFrequency.SEMI_ANNUAL, 6),
    (ReviewFrequency.ANNUAL, 12)])
def test_a_review_frequency_is_a_number_of_months(frequency: ReviewFrequency, months: int) -> None:
    assert frequency.months == months
