"""What a Kafka feeder knows about each partition it was assigned, and how far it may apply.

A partition's deliveries are held in memory until they can be applied in log order. A
partition read up to the offset the relay recorded with its position W holds every event up
to W; one still behind holds every event up to the highest position it has delivered (the
relay publishes each partition in log order and re-sends from W after a failure, so what a
partition has delivered so far never skips an earlier event of that partition).
"""

import logging
import time
from dataclasses import dataclass, field

from kafka import KafkaConsumer, TopicPartition

from streaming.envelope import Delivered, EnvelopeError, decode
from streaming.relay_send import partition_key

log = logging.getLogger(__name__)

MAX_HELD_PER_PARTITION = 20_000


@dataclass
class PartitionState:
    """One assigned partition: its stored progress and the deliveries not yet applied."""

    tp: TopicPartition
    next_offset: int
    applied: int
    watermark: int
    held: list[tuple[int, Delivered]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return partition_key(self.tp.topic, self.tp.partition)

    def highest_held(self) -> int:
        return max((d.position for _, d in self.held), default=self.watermark)


def fill(consumer: KafkaConsumer, states: dict[TopicPartition, PartitionState],
         required: dict[TopicPartition, int], poll_timeout: float, name: str) -> None:
    """Poll until every partition is read up to its required offset, or time runs out.
    A partition holding too much is paused, so memory stays bounded on a long catch-up."""
    deadline = time.monotonic() + poll_timeout
    while time.monotonic() < deadline:
        full = {tp for tp, s in states.items() if len(s.held) >= MAX_HELD_PER_PARTITION}
        if all(consumer.position(tp) >= required[tp] or tp in full for tp in states):
            return
        consumer.pause(*full)
        consumer.resume(*(set(states) - full))
        for tp, records in consumer.poll(timeout_ms=100).items():
            for record in records:
                try:
                    states[tp].held.append((record.offset, decode(record.value)))
                except EnvelopeError as error:  # not the relay's: no ledger event to apply
                    log.error("kafka feeder %s: skipped %s:%s: %s", name, tp.topic,
                              record.offset, error)


def frontier(states: dict[TopicPartition, PartitionState], complete: dict[TopicPartition, bool],
             confirmed: int) -> int:
    """The log position up to which every event of every partition is in hand."""
    return min((confirmed if complete[tp] else min(confirmed, state.highest_held())
                for tp, state in states.items()), default=confirmed)
