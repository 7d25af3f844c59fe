"""Kafka clients configured the one way the ledger uses them.

Producers are idempotent with ``acks="all"`` (set explicitly: a conflicting option would
otherwise turn idempotence off silently). Consumers never join a group: partitions are
assigned explicitly and their offsets live in PostgreSQL, next to what was done with them.
No client creates a topic by asking for it: the relay creates its topics with the declared
partition count and configuration (``streaming.topics``), so a key never moves partition
because some client's metadata request made a topic with the broker's default count.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from streaming.config import StreamingSettings

Client = TypeVar("Client", KafkaProducer, KafkaConsumer)


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
    return refusing_auto_creation(KafkaProducer(**config))


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
    return refusing_auto_creation(KafkaConsumer(**config))


def refusing_auto_creation(client: Client) -> Client:
    """The client, its metadata requests asking the broker not to create the topics they name.

    kafka-python 3.0 builds the cluster metadata a client shares without passing on the
    client's ``allow_auto_create_topics`` (``kafka/net/manager.py``), so every metadata request
    for named topics says "create them": a producer sending to a missing topic, or a consumer
    polling an assigned one, made it with the broker's default partition count (4 on tansu),
    and keys moved partition. Set on the metadata itself; no request names a topic before."""
    cluster: Any = getattr(client, "_metadata", None) or getattr(client, "_cluster", None)
    if cluster is None or "allow_auto_create_topics" not in cluster.config:
        raise RuntimeError("this kafka-python keeps its cluster metadata elsewhere: check that"
                           " its clients still ask brokers to create topics, and adapt")
    cluster.config["allow_auto_create_topics"] = False
    return client


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
