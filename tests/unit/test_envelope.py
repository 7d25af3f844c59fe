"""The published envelope: spliced from the stored JSON exactly as the decoded event would be
written, and readable whether its position is the old JSON number or the new string."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregates.client import Client
from aggregates.review_state import StandardFacts
from commands.ledger import Ledger
from events.vocabulary import Answer, ExpectedAnswer
from projections.runner import RawEvent
from streaming.envelope import decode, encode, fast_envelope, to_envelope

FAST = {"PERSISTENCE_MODULE": "runtime.event_store:InMemoryLedgerFactory",
        "TRANSCODER_TOPIC": "runtime.event_store:FastJSONTranscoder"}
SOURCE = "vcio-ledger/x"
# Text the splice must carry through untouched: quotes, backslashes, the transcoder's own tag
# shape written as text, and characters outside ASCII. NUL is refused before recording.
NOTES = st.lists(st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8),
    st.sampled_from(['"', "\\", '{"_type_":"uuid_hex","_data_":"ab"}', "é"])), max_size=6).map("".join)


@pytest.fixture(scope="module")
def ledger() -> Iterator[Ledger]:
    built = Ledger(env=FAST)
    yield built
    built.close()


def stored(ledger: Ledger, note: str) -> list[tuple[RawEvent, Any]]:
    """A client onboarded, a review started and one answer with ``note``: each event as the
    log holds it, with the event the mapper decodes from it."""
    now = datetime.now(UTC)
    client = Client.create_with_id(
        uuid.uuid4(), tenant="msp-\"quoted\"", name="Client \\ A", mrr="3000", user_count=40,
        complexity=5, industry="law", fiscal_year_start_month=1, vcio="v", tam="t", by="v")
    review_id = uuid.uuid4()
    client.start_review(review_id=review_id, categories=[], in_scope=1, started_at=now, by="t")
    fact = StandardFacts(uuid.uuid4(), "backup", 1, ExpectedAnswer.YES, True, "published")
    client.record_answer(review_id=review_id, standard=fact, answer=Answer.NO, note=note,
                         observed_at=now, by="t")
    found = []
    for position, event in enumerate(client.collect_events(), start=1):
        state = ledger.mapper.to_stored_event(event)
        found.append((RawEvent(position, state.originator_id, state.originator_version,
                               state.topic, state.state), ledger.mapper.to_domain_event(state)))
    return found


@settings(max_examples=60, deadline=None)
@given(note=NOTES)
def test_the_spliced_envelope_is_byte_for_byte_the_one_written_from_the_decoded_event(
        ledger: Ledger, note: str) -> None:
    events = stored(ledger, note)

    spliced = [fast_envelope(raw, SOURCE) for raw, _ in events]

    assert spliced == [encode(to_envelope(raw, event, SOURCE)) for raw, event in events]


def test_an_envelope_with_the_old_numeric_position_and_one_with_a_string_read_the_same(
        ledger: Ledger) -> None:
    raw, event = stored(ledger, "no offsite copy")[-1]
    new = to_envelope(raw, event, SOURCE)
    old = {**new, "position": raw.position}

    read_new, read_old = decode(encode(new)), decode(encode(old))

    assert new["position"] == str(raw.position)
    assert read_new == read_old
    assert read_new.raw == raw
