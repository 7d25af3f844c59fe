"""Benchmark: one ``RecordAnswer`` through the bus vs a raw single-row insert+commit.

Both sides run in the same process against the same embedded PostgreSQL, at 1, 8 and 32
threads, interleaved level by level and repeated three times; each figure is the median of the
three.

- application: each thread sends ``RecordAnswer`` commands through ``CommandBus.handle`` for
  a client of its own, whose open review already holds 300 answers (so a load that deep-copied
  the aggregate would pay for all of them): load, decide, transcode, save (table lock, NOTIFY,
  insert, commit), answer the log position.
- raw: each thread inserts one row (the event table's columns, a state of the same size) into
  a plain table with ``INSERT`` + ``COMMIT`` on its own open psycopg connection.
- raw, locked (a reference, not in the ratio): the same row, but taking the lock every writer
  of the event table takes (the library's ``LOCK TABLE ... IN EXCLUSIVE MODE``, which keeps
  notification ids in commit order for followers), all in one message
  (``BEGIN; LOCK; INSERT; COMMIT``): the fastest a single-row save can go under that lock,
  since the lock is held through each commit's WAL flush and so serialises the flushes.

Prints ops/s, p50, p99 and the CPU time per op of this process (``time.process_time``: Python
and the client library) and of the PostgreSQL server (its processes' user + system time from
``/proc``, in clock ticks: coarse over a 1.5 s run) per level and side, the ratio per level, and last
``ratio: X.XX`` for 8 threads (the headline). No arguments; about a minute.
"""

import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

LEVELS = (1, 8, 32)
REPEATS = 3
SECONDS = 1.5
ANSWERS = 300
RAW_TABLE = "bench_raw_commands"


def run_threads(threads: int, work: Callable[[int, int], None]) -> tuple[float, list[float]]:
    """Run ``work(thread, n)`` in ``threads`` threads for SECONDS; (ops/s, latencies)."""
    stop = time.perf_counter() + SECONDS
    latencies: list[list[float]] = [[] for _ in range(threads)]
    start = threading.Barrier(threads + 1)

    def loop(thread: int) -> None:
        own = latencies[thread]
        start.wait()
        n = 0
        while time.perf_counter() < stop:
            began = time.perf_counter()
            work(thread, n)
            own.append(time.perf_counter() - began)
            n += 1

    workers = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    start.wait()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    merged = sorted(x for own in latencies for x in own)
    return len(merged) / elapsed, merged


def server_cpu_seconds(postmaster: int) -> float:
    """CPU time (user + system) of the PostgreSQL server's processes so far: the postmaster and
    its children (the backends of both sides' connections, which live through the run)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended meanwhile
        if int(fields[1]) == postmaster or stat.parent.name == str(postmaster):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postmaster_of(backend: int) -> int:
    return int((Path("/proc") / str(backend) / "stat").read_text().rsplit(")", 1)[1].split()[1])


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> int:
    import psycopg
    from psycopg.sql import SQL, Identifier

    from commands.bus import CommandBus
    from commands.clients import OnboardClient
    from commands.results import Actor
    from commands.reviews import AnswerInput, RecordAnswer, RecordAnswers, StartReview
    from commands.standards import DraftStandard, PublishStandard
    from events.vocabulary import Answer, ExpectedAnswer, Priority, ReviewFrequency
    from runtime.database import start_embedded
    from runtime.services import build_ledger
    from runtime.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-command-"))
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    settings = Settings(database_url=None, data_dir=data_dir)
    ledger = build_ledger(settings, database)
    bus = CommandBus(ledger)
    try:
        now = datetime.now(UTC)
        committee = Actor("bench-msp", "carla.committee", "committee")
        tam = Actor("bench-msp", "tom.tam", "tam")
        vcio = Actor("bench-msp", "vera.vcio", "vcio")
        standards = []
        for n in range(ANSWERS):
            draft = DraftStandard(
                key=f"STD-{n:03d}", category=f"cat-{n % 12}",
                question=f"Is control number {n} in place and checked every quarter?",
                expected_answer=ExpectedAnswer.YES, how_to_check="Look at the console.",
                why_it_matters="An unchecked control fails silently.", priority=Priority.HIGH,
                review_frequency=ReviewFrequency.QUARTERLY)
            standard_id = bus.handle(draft, committee, now).aggregate_id
            bus.handle(PublishStandard(standard_id=standard_id), committee, now)
            standards.append(standard_id)
        reviews: list[tuple[uuid.UUID, uuid.UUID]] = []
        for n in range(max(LEVELS)):
            client = bus.handle(OnboardClient(
                name=f"Client {n}", mrr="3000.00", user_count=40, complexity=5, industry="law",
                vcio=vcio.name, tam=tam.name), vcio, now).aggregate_id
            review = bus.handle(StartReview(client_id=client), tam, now).created_id
            assert review is not None
            bus.handle(RecordAnswers(client_id=client, review_id=review, answers=[
                AnswerInput(standard_id=s, answer=Answer.YES) for s in standards]), tam, now)
            reviews.append((client, review))
        payload = ledger.recorder.select_events(reviews[0][0], desc=True, limit=1)
        state_size = len(payload[0].state) if payload else 400

        answers = (Answer.YES, Answer.NO, Answer.NOT_APPLICABLE)

        def command(thread: int, n: int) -> None:
            client, review = reviews[thread]
            bus.handle(RecordAnswer(client_id=client, review_id=review,
                                    standard_id=standards[n % ANSWERS], answer=answers[n % 3],
                                    note=f"checked on site, round {n}"), tam, now)

        table = Identifier(RAW_TABLE)
        with database.connect(autocommit=True) as admin:
            admin.execute(SQL("DROP TABLE IF EXISTS {}").format(table))
            admin.execute(SQL(
                "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL,"
                " topic text, state bytea, notification_id bigserial,"
                " PRIMARY KEY (originator_id, originator_version))").format(table))
            admin.execute(SQL("CREATE UNIQUE INDEX ON {} (notification_id)").format(table))
        insert = SQL("INSERT INTO {} (originator_id, originator_version, topic, state)"
                     " VALUES (%s, %s, %s, %s)").format(table)
        connections = [psycopg.connect(database.conninfo) for _ in range(max(LEVELS))]
        originators = [uuid.uuid4() for _ in connections]
        state = b"x" * state_size
        versions = [0] * len(connections)

        def raw(thread: int, n: int) -> None:
            conn = connections[thread]
            versions[thread] += 1
            conn.execute(insert, (originators[thread], versions[thread],
                                  "aggregates.client:Client.AnswerRecorded", state))
            conn.commit()

        locked_insert = SQL("BEGIN; LOCK TABLE {} IN EXCLUSIVE MODE; {}; COMMIT").format(
            table, insert)
        lockers = [psycopg.ClientCursor(psycopg.connect(database.conninfo, autocommit=True))
                   for _ in range(max(LEVELS))]

        def raw_locked(thread: int, n: int) -> None:
            versions[thread] += 1
            lockers[thread].execute(locked_insert, (
                originators[thread], versions[thread], "aggregates.client:Client.AnswerRecorded",
                state))

        command(0, 0)  # warm up caches and prepared statements on both sides
        raw(0, 0)
        raw_locked(0, 0)
        row = connections[0].execute("SELECT pg_backend_pid()").fetchone()
        postmaster = postmaster_of(row[0]) if row is not None else 0
        results: dict[tuple[str, int], list[tuple[float, ...]]] = {}
        for _ in range(REPEATS):
            for level in LEVELS:
                for side, work in (("application", command), ("raw", raw),
                                   ("raw, locked", raw_locked)):
                    cpu, server_cpu = time.process_time(), server_cpu_seconds(postmaster)
                    rate, latencies = run_threads(level, work)
                    ops = max(len(latencies), 1)
                    results.setdefault((side, level), []).append((
                        rate, percentile(latencies, 0.5), percentile(latencies, 0.99),
                        (time.process_time() - cpu) / ops,
                        (server_cpu_seconds(postmaster) - server_cpu) / ops))
        for conn in connections + [cursor.connection for cursor in lockers]:
            conn.close()

        print(f"RecordAnswer through the bus (client with {ANSWERS} answers in its open review) "
              f"vs raw INSERT+COMMIT, and raw under the event table's lock (reference);"
              f" {SECONDS}s per run, median of {REPEATS}")
        ratios: dict[int, float] = {}
        for level in LEVELS:
            for side in ("application", "raw", "raw, locked"):
                runs = results[(side, level)]
                rate = statistics.median(r[0] for r in runs)
                p50 = statistics.median(r[1] for r in runs) * 1000
                p99 = statistics.median(r[2] for r in runs) * 1000
                cpu = statistics.median(r[3] for r in runs) * 1e6
                server_us = statistics.median(r[4] for r in runs) * 1e6
                print(f"{level:>2} threads {side:<12} {rate:>8,.0f} ops/s"
                      f"  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  CPU/op: process {cpu:4.0f} us"
                      f", server {server_us:4.0f} us")
            ratios[level] = (statistics.median(r[0] for r in results[("application", level)])
                             / statistics.median(r[0] for r in results[("raw", level)]))
            locked = (statistics.median(r[0] for r in results[("raw, locked", level)])
                      / statistics.median(r[0] for r in results[("raw", level)]))
            print(f"{level:>2} threads ratio {ratios[level]:.2f}"
                  f"  (raw, locked / raw: {locked:.2f})")
        print(f"ratio: {ratios[8]:.2f}")
        return 0
    finally:
        ledger.close()
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
