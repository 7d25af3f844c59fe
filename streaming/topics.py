"""The relay's topics on the broker: created with a declared partition count and configuration,
and checked against what the relay stored, so that lost history is noticed, never skipped.

A topic has lost history when it is gone, when it carries another id than the one stored with
the offsets (deleted and created again), or when a partition ends below the offset the relay
recorded as acknowledged (a broker restarted on empty storage). Any of these starts a new epoch:
the relay republishes the log from the beginning into the topics as they now are.
"""

import logging
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import OffsetOutOfRangeError, TopicAlreadyExistsError

from streaming.broker import refusing_auto_creation
from streaming.config import StreamingSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicsState:
    """The relay's topics as found on the broker, and whether history was lost."""

    topic_ids: dict[str, str]
    lost: list[str]  # why each lost topic counts as lost; empty when all is well


def admin_client(settings: StreamingSettings) -> KafkaAdminClient:
    return KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers.split(","),
                            request_timeout_ms=settings.request_timeout_ms)


def describe(admin: KafkaAdminClient, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The topics that exist among ``names``, by name (id and partition count)."""
    found = admin.describe_topics(sorted(set(names)))
    return {t["name"]: {"id": str(t["topic_id"]), "partitions": len(t["partitions"])}
            for t in found if t["error_code"] == 0 and t.get("topic_id")}


def create_missing(admin: KafkaAdminClient, settings: StreamingSettings, names: Iterable[str],
                   existing: dict[str, dict[str, Any]]) -> None:
    missing = [NewTopic(name, settings.partitions, settings.replication_factor,
                        topic_configs=dict(settings.topic_config))
               for name in sorted(set(names) - set(existing))]
    if not missing:
        return
    with suppress(TopicAlreadyExistsError):  # another process made one between the look and now
        admin.create_topics(missing)
    log.info("kafka: created topics %s with %d partitions and %s", [t.name for t in missing],
             settings.partitions, settings.topic_config)


def ensure_topics(settings: StreamingSettings, names: Iterable[str]) -> dict[str, str]:
    """Create the topics that do not exist yet; every topic's id."""
    wanted = set(names)
    admin = admin_client(settings)
    try:
        create_missing(admin, settings, wanted, describe(admin, wanted))
        found = describe(admin, wanted)
    finally:
        admin.close()
    for name, info in found.items():
        if info["partitions"] != settings.partitions:
            log.error("kafka: topic %s has %d partitions, %d declared; keys map to other"
                      " partitions than the declared count gives", name, info["partitions"],
                      settings.partitions)
    return {name: info["id"] for name, info in found.items()}


def split_key(key: str) -> TopicPartition:
    """``topic:partition`` (the relay's offset keys) -> the partition."""
    topic, _, partition = key.rpartition(":")
    return TopicPartition(topic, int(partition))


def short_partitions(consumer: KafkaConsumer, stored: dict[TopicPartition, int],
                     timeout: float = 3.0) -> dict[TopicPartition, int]:
    """The partitions that no longer hold the message before their stored offset, with the
    end the broker reports. A reported end below the stored offset is confirmed by reading
    that message (tansu reports the start of the last record batch plus one as the end)."""
    wanted = {tp: offset for tp, offset in stored.items() if offset > 0}
    ends = consumer.end_offsets(list(wanted)) if wanted else {}
    suspects = {tp: offset for tp, offset in wanted.items() if ends.get(tp, 0) < offset}
    short = {}
    for tp, offset in suspects.items():
        consumer.assign([tp])
        consumer.seek(tp, offset - 1)
        found = False
        deadline = time.monotonic() + timeout
        try:
            while not found and time.monotonic() < deadline:
                records = consumer.poll(timeout_ms=200, max_records=1).get(tp, [])
                found = any(r.offset >= offset - 1 for r in records)
        except OffsetOutOfRangeError:
            pass
        if not found:
            short[tp] = int(ends.get(tp, 0))
    consumer.unsubscribe()
    return short


def check_consumer(settings: StreamingSettings) -> KafkaConsumer:
    # "none": an offset out of range raises instead of jumping to the start or the end
    return refusing_auto_creation(KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers.split(","), group_id=None,
        allow_auto_create_topics=False, enable_auto_commit=False, auto_offset_reset="none",
        fetch_max_wait_ms=100, request_timeout_ms=max(settings.request_timeout_ms, 5000)))


def check_topics(settings: StreamingSettings, names: Iterable[str], stored_ids: dict[str, str],
                 stored_offsets: dict[str, int]) -> TopicsState:
    """Create missing topics; report every sign that a stored offset's history is gone."""
    wanted = set(names) | set(stored_ids)
    admin = admin_client(settings)
    try:
        before = describe(admin, wanted)
    finally:
        admin.close()
    lost = [f"topic {name} is gone" for name in sorted(set(stored_ids) - set(before))]
    lost += [f"topic {name} was recreated (id {stored_ids[name]} -> {info['id']})"
             for name, info in sorted(before.items())
             if name in stored_ids and stored_ids[name] != info["id"]]
    stored = {split_key(key): offset for key, offset in stored_offsets.items()}
    lost += [f"topic {tp.topic} of the stored offsets is gone" for tp in sorted(stored)
             if tp.topic not in before and tp.topic not in stored_ids]
    consumer = check_consumer(settings)
    try:
        short = short_partitions(consumer, {tp: offset for tp, offset in stored.items()
                                            if tp.topic in before})
    finally:
        consumer.close()
    lost += [f"partition {tp.topic}:{tp.partition} ends at {end}, below the acknowledged"
             f" {stored[tp]}" for tp, end in sorted(short.items())]
    return TopicsState(ensure_topics(settings, wanted), lost)
