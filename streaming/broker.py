"""Kafka clients configured the one way the ledger uses them.

Producers are idempotent with ``acks="all"`` (set explicitly: a conflicting option would
otherwise turn idempotence off silently). Consumers never join a group: partitions are
assigned explicitly and their offsets live in PostgreSQL, next to what was done with them.
No client creates a topic by asking for it: the relay creates its topics with the declared
partition count and configuration (``streaming.topics``), so a key never moves partition
because some client's metadata request made a topic with the broker's default count.
"""

from collections.abc import Iterable

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from streaming.config import StreamingSettings


def build_producer(settings: StreamingSettings, **overrides: object) -> KafkaProducer:
    timeout = settings.request_timeout_ms
    config: dict[str, object] = {
        "bootstrap_servers": settings.bootstrap_servers.split(","),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "batch_size": 256 * 1024,
        "max_block_ms": timeout,
        "request_timeout_ms": timeout,
        "delivery_timeout_ms": timeout * 3,
        "reconnect_backoff_max_ms": 1000,
        "allow_auto_create_topics": False,
    }
    config.update(overrides)
    return KafkaProducer(**config)


def build_consumer(settings: StreamingSettings, **overrides: object) -> KafkaConsumer:
    config: dict[str, object] = {
        "bootstrap_servers": settings.bootstrap_servers.split(","),
        "group_id": None,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "max_poll_records": 2000,
        "fetch_max_wait_ms": 100,
        "request_timeout_ms": max(settings.request_timeout_ms, 5000),
        "reconnect_backoff_max_ms": 1000,
        "allow_auto_create_topics": False,
    }
    config.update(overrides)
    return KafkaConsumer(**config)


def partitions_of(consumer: KafkaConsumer, topic: str, wanted: Iterable[int] | None = None
                  ) -> list[TopicPartition]:
    """The topic's partitions (all, or the ``wanted`` ones), checked against the broker."""
    known = consumer.partitions_for_topic(topic)
    if not known:
        raise LookupError(f"topic {topic!r} does not exist on the broker")
    chosen = sorted(known) if wanted is None else sorted(set(wanted))
    unknown = set(chosen) - known
    if unknown:
        raise LookupError(f"topic {topic!r} has no partition {sorted(unknown)}")
    return [TopicPartition(topic, p) for p in chosen]
