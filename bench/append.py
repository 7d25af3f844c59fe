"""Benchmark: saving a 300-answer review through the ledger vs raw psycopg binary ``COPY``.

Both sides run in the same process against the same embedded PostgreSQL, alternating round by
round so that any drift of the machine hits both alike.

- application: each round onboards a fresh client, starts a review and lets the ``Client``
  aggregate record 300 answers (not timed); the timed part is ``ledger.save(client)`` of those
  300 pending ``AnswerRecorded`` events, i.e. everything the ``record_answers`` handler pays
  after deciding: transcoding, the table lock, NOTIFY, the insert (a group this large goes in
  by binary ``COPY`` inside one message from BEGIN to COMMIT, its notification ids counted on
  from the id sequence read under the table lock: see ``runtime.group_inserts``), the
  notification ids and the commit.
- raw: one binary ``COPY`` of 300 rows into a plain table with the event table's columns,
  carrying the very bytes the application stored (same topic, same state sizes), in one
  committed transaction on an open connection (the fastest way psycopg has to load rows).
  ``executemany`` of the same rows is reported too, for reference, and the same binary
  ``COPY`` with its rows packed by hand (``runtime.copy_rows``, as the application's COPY
  packs them: psycopg's bytes, sent every 32 kB), to show what a hand-packed raw COPY costs.
- reference: the same save through a second ledger on the same database whose mapper is the
  library's own (``eventsourcing.persistence:Mapper``, with the same fast transcoder), to show
  what the shaped state writers of ``runtime.event_mapper`` gain, in the same process.

The headline is the median of each side's rounds; the last line is ``ratio: X.XX``
(application events/s divided by binary COPY events/s). No arguments; a few seconds.
"""

import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ANSWERS = 300
STANDARDS = 300
WARMUP_ROUNDS = 3
ROUNDS = 50
RAW_TABLE = "bench_raw_events"


def same_shapes(one: list[tuple[str, bytes]], other: list[tuple[str, bytes]]) -> bool:
    """Whether two rounds stored rows of the same topics and state sizes. The events differ
    (another client, other timestamps), and a timestamp whose microsecond is 0 is written
    without its 7 characters ``.000000`` (``datetime.isoformat``; two timestamps per answer),
    so sizes may differ by 7 or 14 characters."""
    return len(one) == len(other) and all(
        a_topic == b_topic and abs(len(a_state) - len(b_state)) in (0, 7, 14)
        for (a_topic, a_state), (b_topic, b_state) in zip(one, other, strict=True))


def main() -> int:
    from eventsourcing.persistence import StoredEvent
    from psycopg.sql import SQL, Identifier

    from aggregates.client import Client
    from aggregates.review_state import StandardFacts
    from aggregates.standard import Standard
    from commands.ledger import Ledger
    from commands.results import Actor
    from events.vocabulary import Answer, ExpectedAnswer, Priority, ReviewFrequency
    from runtime.copy_rows import write_rows
    from runtime.database import start_embedded
    from runtime.services import build_ledger
    from runtime.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-append-"))
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    settings = Settings(database_url=None, data_dir=data_dir)
    ledger = build_ledger(settings, database)
    library_mapper = Ledger(env={**database.eventsourcing_env(settings),
                                 "MAPPER_TOPIC": "eventsourcing.persistence:Mapper"})
    try:
        actor = Actor("bench-msp", "bench.tam", "tam")
        now = datetime.now(UTC)

        standards = [
            Standard.create_with_id(
                uuid.uuid4(), tenant=actor.tenant, key=f"STD-{n:03d}", category=f"cat-{n % 12}",
                question=f"Is control number {n} in place and checked every quarter?",
                expected_answer=ExpectedAnswer.YES, how_to_check="Look at the console.",
                why_it_matters="An unchecked control fails silently.", priority=Priority.HIGH,
                review_frequency=ReviewFrequency.QUARTERLY, authority_references=["CIS 1.1"],
                by=actor.name)
            for n in range(STANDARDS)
        ]
        for standard in standards:
            standard.publish(by=actor.name)
        ledger.save(*standards)
        facts = [StandardFacts(s.id, s.text.category, s.revision, s.text.expected_answer,
                               s.is_answerable, s.status.value) for s in standards]
        answers = (Answer.YES, Answer.NO, Answer.NOT_APPLICABLE)

        def answered_client() -> Client:
            """A fresh client with an open review and 300 pending answers (not timed)."""
            client = Client.create_with_id(
                uuid.uuid4(), tenant=actor.tenant, name="Bench Client", mrr="3000",
                user_count=40, complexity=5, industry="law", fiscal_year_start_month=1,
                vcio="bench.vcio", tam=actor.name, by=actor.name)
            review_id = uuid.uuid4()
            client.start_review(review_id=review_id, categories=[], in_scope=1, started_at=now, by=actor.name)
            ledger.save(client)
            for n, fact in enumerate(facts[:ANSWERS]):
                client.record_answer(review_id=review_id, standard=fact, answer=answers[n % 3],
                                     note=f"checked on site, item {n}", observed_at=now,
                                     by=actor.name)
            return client

        def app_round(saver: Ledger = ledger) -> tuple[float, list[tuple[str, bytes]]]:
            client = answered_client()
            started = time.perf_counter()
            recordings = saver.save(client)
            elapsed = time.perf_counter() - started
            if len(recordings) != ANSWERS:
                raise RuntimeError(f"expected {ANSWERS} recordings, got {len(recordings)}")
            stored = ledger.recorder.select_events(client.id, gt=2)
            return elapsed, [(e.topic, e.state) for e in stored]

        table = Identifier(RAW_TABLE)
        with database.connect() as conn:
            conn.execute(SQL("DROP TABLE IF EXISTS {}").format(table))
            conn.execute(SQL(
                "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL,"
                " topic text, state bytea, notification_id bigserial,"
                " PRIMARY KEY (originator_id, originator_version))").format(table))
            conn.execute(SQL("CREATE UNIQUE INDEX ON {} (notification_id)").format(table))
            conn.commit()
            insert = SQL("INSERT INTO {} (originator_id, originator_version, topic, state)"
                         " VALUES (%s, %s, %s, %s)").format(table)

            copy_sql = SQL("COPY {} (originator_id, originator_version, topic, state)"
                           " FROM STDIN (FORMAT BINARY)").format(table)

            def rows_of(payload: list[tuple[str, bytes]]) -> list[tuple[object, ...]]:
                originator = uuid.uuid4()
                return [(originator, version, topic, state)
                        for version, (topic, state) in enumerate(payload, start=3)]

            def executemany_round(payload: list[tuple[str, bytes]]) -> float:
                rows = rows_of(payload)
                started = time.perf_counter()
                with conn.transaction(), conn.cursor() as cur:
                    cur.executemany(insert, rows)
                return time.perf_counter() - started

            def raw_round(payload: list[tuple[str, bytes]]) -> float:
                rows = rows_of(payload)
                started = time.perf_counter()
                with conn.transaction(), conn.cursor() as cur, cur.copy(copy_sql) as copy:
                    copy.set_types(["uuid", "int8", "text", "bytea"])
                    for row in rows:
                        copy.write_row(row)
                return time.perf_counter() - started

            def packed_round(payload: list[tuple[str, bytes]]) -> float:
                events = [StoredEvent(originator_id=i, originator_version=v, topic=t, state=b)
                          for i, v, t, b in rows_of(payload)]
                started = time.perf_counter()
                with conn.transaction(), conn.cursor() as cur, cur.copy(copy_sql) as copy:
                    write_rows(copy, events, "uuid", conn.info.encoding)
                return time.perf_counter() - started

            app_times: list[float] = []
            raw_times: list[float] = []
            packed_times: list[float] = []
            many_times: list[float] = []
            library_times: list[float] = []
            for round_number in range(WARMUP_ROUNDS + ROUNDS):
                app_elapsed, payload = app_round()
                raw_elapsed = raw_round(payload)
                many_elapsed = executemany_round(payload)
                packed_elapsed = packed_round(payload)
                library_elapsed, library_payload = app_round(library_mapper)
                if not same_shapes(library_payload, payload):
                    raise RuntimeError("the two mappers stored rows of different shapes")
                if round_number >= WARMUP_ROUNDS:
                    app_times.append(app_elapsed)
                    raw_times.append(raw_elapsed)
                    many_times.append(many_elapsed)
                    packed_times.append(packed_elapsed)
                    library_times.append(library_elapsed)

        state_bytes = statistics.mean(len(state) for _, state in payload)
        app_rate = ANSWERS / statistics.median(app_times)
        raw_rate = ANSWERS / statistics.median(raw_times)
        print(f"{ROUNDS} rounds of {ANSWERS} AnswerRecorded events"
              f" (mean state {state_bytes:.0f} bytes), medians:")
        print(f"application (ledger.save of the pending answers): {app_rate:,.0f} events/s"
              f"  [{statistics.median(app_times) * 1000:.2f} ms per review]")
        many_rate = ANSWERS / statistics.median(many_times)
        print(f"raw psycopg binary COPY:                          {raw_rate:,.0f} events/s"
              f"  [{statistics.median(raw_times) * 1000:.2f} ms per review]")
        print(f"raw psycopg executemany (reference):              {many_rate:,.0f} events/s"
              f"  [{statistics.median(many_times) * 1000:.2f} ms per review]")
        packed_rate = ANSWERS / statistics.median(packed_times)
        print(f"raw COPY, rows packed by hand (reference):       {packed_rate:,.0f} events/s"
              f"  [{statistics.median(packed_times) * 1000:.2f} ms per review]")
        library_rate = ANSWERS / statistics.median(library_times)
        print(f"application, the library's mapper (reference):   {library_rate:,.0f} events/s"
              f"  [{statistics.median(library_times) * 1000:.2f} ms per review]")
        print(f"ratio: {app_rate / raw_rate:.2f}")
        return 0
    finally:
        library_mapper.close()
        ledger.close()
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
