"""Where the broker is and how the ledger's event streams map onto Kafka topics.

Read from ``VCIO_KAFKA_*`` variables (``VCIO_KAFKA_TOPICS`` is JSON), apart from the
composition root's ``Settings`` so that a process that never talks to Kafka needs none of it.
"""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def aggregate_of(topic: str) -> str:
    """The aggregate class name of a stored event topic (``aggregates.client:Client.X`` -> Client)."""
    _, _, qualname = topic.partition(":")
    return qualname.split(".", 1)[0]


class StreamingSettings(BaseSettings):
    """Broker address, topic routing, and the knobs of the relay, the feeders and the inbound."""

    model_config = SettingsConfigDict(env_prefix="VCIO_KAFKA_", extra="ignore")

    bootstrap_servers: str = Field(default="127.0.0.1:9092",
                                   description="Comma-separated host:port of the brokers.")
    topics: dict[str, str] = Field(
        default_factory=lambda: {"Client": "vcio.clients", "Standard": "vcio.standards",
                                 "MspCalendar": "vcio.msp-calendars",
                                 "MspSettings": "vcio.msp-settings",
                                 "LibraryChangeSet": "vcio.change-sets",
                                 "StandardSuggestion": "vcio.suggestions"},
        description="Aggregate class name -> topic of its stream family. Aggregates not listed"
                    " go to 'vcio.<name>s', so a new aggregate is published, never skipped.")
    partitions: int = Field(default=6, ge=1, description="Partitions of topics the relay creates.")
    replication_factor: int = Field(default=1, ge=1, description="Replicas of the relay's topics.")
    topic_config: dict[str, str] = Field(
        default_factory=lambda: {"cleanup.policy": "delete", "retention.ms": "-1",
                                 "retention.bytes": "-1"},
        description="Configuration of the topics the relay creates: history is kept for ever"
                    " (feeders rebuild from it).")
    relay_in_flight: int = Field(default=4, ge=1, le=16,
                                 description="Relay batches sent and not yet acknowledged.")
    verify_interval_seconds: float = Field(
        default=5.0, gt=0, description="How often the relay checks its topics for lost history.")
    inbound_max_attempts: int = Field(
        default=8, ge=1, description="Tries of a message that fails transiently, then dead-lettered.")
    relay_name: str = Field(default="ledger", description="Row of vcio_streaming.relay_position.")
    relay_batch_size: int = Field(default=2000, ge=1)
    feed_batch_size: int = Field(default=2000, ge=1)
    inbound_topic: str = "vcio.inbound"
    dead_letter_topic: str = "vcio.inbound.dead-letter"
    inbound_consumer: str = Field(default="inbound", description="Row key of inbound offsets.")
    request_timeout_ms: int = Field(default=10_000, ge=1000,
                                    description="How long one broker round trip may take.")

    def topic_for(self, event_topic: str) -> str:
        aggregate = aggregate_of(event_topic)
        return self.topics.get(aggregate) or f"vcio.{aggregate.lower()}s"
