"""Benchmark: catch-up rate of our batch projector vs the library's ``ProjectionRunner``.

One process, one embedded PostgreSQL, one log of exactly 50,000 events written through the
ledger in big batches: a library of published standards, then clients that each run two
alignment reviews (answers, a few changed answers, ratings of misaligned answers, completion).
Every event is one the client-alignment read model consumes.

- ours: ``BatchProjector.catch_up()`` of ``ClientAlignmentProjection`` under a fresh
  projection name (many events per transaction, one tracking write per batch); the median
  of three catch-ups, each into a projection of its own.
- library: ``eventsourcing.projection.ProjectionRunner`` following the same ledger, with a
  ``PostgresTrackingRecorder`` view that, for each event, opens its own transaction, applies
  the same row writes through ``ClientAlignmentProjection.apply`` into its own schema and
  records the library's tracking row (its ``search_path`` is set once per connection, so an
  event costs its own statements, the tracking row and the commit). Timed from starting the
  runner until its tracking position reaches the head of the log; if that would take the
  whole run past its time limit, the rate is taken over the events applied until then.

When both finish, their tables are compared row for row. The last line is ``ratio: X.XX``
(ours / library, events per second). No arguments; under two minutes.
"""

import shutil
import statistics
import sys
import tempfile
import time
import uuid
import weakref
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TOTAL_EVENTS = 50_000
STANDARDS = 100
CHANGED_ANSWERS = 10
RATINGS = 8
REVIEWS_PER_CLIENT = 2
SAVE_BATCH_EVENTS = 10_000
OUR_ROUNDS = 3
# The whole run must stay under two minutes; where one transaction per event is slower than
# that allows, the library's rate is taken over the events it applied by then.
RUN_SECONDS = 95.0

TABLES = ("standards", "standard_revisions", "clients", "reviews", "answers")


def generate(ledger: Any, tenant: str) -> int:
    """Write exactly TOTAL_EVENTS events through the ledger; returns the head position."""
    from aggregates.client import Client
    from aggregates.review_state import StandardFacts
    from aggregates.standard import Standard
    from events.vocabulary import Answer, ExpectedAnswer, Priority, Rating, ReviewFrequency

    by = "bench.tam"
    started = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    standards = [
        Standard.create_with_id(
            uuid.uuid4(), tenant=tenant, key=f"STD-{n:03d}", category=f"cat-{n % 12}",
            question=f"Is control number {n} in place and checked every quarter?",
            expected_answer=ExpectedAnswer.YES if n % 5 else ExpectedAnswer.NO,
            how_to_check="Look at the console.", why_it_matters="An unchecked control fails.",
            priority=(Priority.HIGH, Priority.MEDIUM, Priority.LOW)[n % 3],
            review_frequency=ReviewFrequency.QUARTERLY, authority_references=["CIS 1.1"], by=by)
        for n in range(STANDARDS)
    ]
    for standard in standards:
        standard.publish(by=by)
    ledger.save(*standards)
    written = 2 * STANDARDS
    facts = [StandardFacts(s.id, s.text.category, s.revision, s.text.expected_answer,
                           s.is_answerable, s.status.value) for s in standards]

    def steps(client: Client, number: int) -> list[Any]:
        """The client's events as a list of actions; any prefix of it is a valid history."""
        actions: list[Any] = []
        for review in range(REVIEWS_PER_CLIENT):
            review_id = uuid.uuid4()
            when = started + timedelta(days=90 * review)
            answers = {f.standard_id: (Answer.YES, Answer.NO, Answer.NOT_APPLICABLE)[
                (n + number + review) % 3] for n, f in enumerate(facts)}
            changed = {f.standard_id: Answer.NO for f in facts[:CHANGED_ANSWERS]}
            final = answers | changed
            misaligned = [f for f in facts if final[f.standard_id] is not Answer.NOT_APPLICABLE
                          and final[f.standard_id].value != f.expected_answer.value][:RATINGS]
            actions.append(lambda r=review_id, w=when: client.start_review(
                review_id=r, categories=[], in_scope=len(facts), started_at=w, by=by))
            for fact in facts:
                actions.append(lambda r=review_id, f=fact, a=answers[fact.standard_id], w=when:
                               client.record_answer(review_id=r, standard=f, answer=a,
                                                    note="seen on site", observed_at=w, by=by))
            for fact in facts[:CHANGED_ANSWERS]:
                actions.append(lambda r=review_id, f=fact, w=when: client.record_answer(
                    review_id=r, standard=f, answer=Answer.NO, note="changed after a second look",
                    observed_at=w, by=by))
            for n, fact in enumerate(misaligned):
                actions.append(lambda r=review_id, f=fact, n=n: client.rate_answer(
                    review_id=r, standard_id=f.standard_id,
                    rating=(Rating.MARGINAL, Rating.HIGHLY_VULNERABLE)[n % 2], by=by))
            actions.append(lambda r=review_id, w=when: client.complete_review(
                review_id=r, completed_at=w + timedelta(days=1), by="bench.vcio"))
        return actions

    pending: list[Client] = []
    pending_events = 0
    number = 0
    while written < TOTAL_EVENTS:
        client = Client.create_with_id(
            uuid.uuid4(), tenant=tenant, name=f"Client {number}", mrr="3000", user_count=40,
            complexity=5, industry="law", fiscal_year_start_month=1, vcio="bench.vcio", tam=by,
            by=by)
        for action in steps(client, number)[:TOTAL_EVENTS - written - 1]:
            action()
        count = len(client.pending_events)
        pending.append(client)
        pending_events += count
        written += count
        number += 1
        if pending_events >= SAVE_BATCH_EVENTS or written >= TOTAL_EVENTS:
            ledger.save(*pending)
            pending, pending_events = [], 0
    head = ledger.recorder.max_notification_id()
    return int(head)


def table_rows(conninfo: str, schema: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg
    from psycopg.sql import SQL, Identifier

    result = {}
    with psycopg.connect(conninfo) as conn:
        for table in TABLES:
            rows = conn.execute(SQL("SELECT * FROM {}.{}").format(
                Identifier(schema), Identifier(table))).fetchall()
            result[table] = sorted(rows, key=repr)
    return result


def main() -> int:
    from eventsourcing.persistence import Tracking
    from eventsourcing.postgres import PostgresTrackingRecorder
    from eventsourcing.projection import Projection as LibraryProjection
    from eventsourcing.projection import ProjectionRunner
    from psycopg.rows import tuple_row
    from psycopg.sql import SQL, Identifier

    from commands.ledger import Ledger
    from projections.catalog import generation_schema, use_schema
    from projections.client_alignment import ClientAlignmentProjection
    from runtime.database import start_embedded
    from runtime.services import build_services
    from runtime.settings import Settings

    run_id = uuid.uuid4().hex[:8]
    ours = [type("BenchAlignment", (ClientAlignmentProjection,),
                 {"name": f"bench_alignment_{run_id}_{n}"})() for n in range(OUR_ROUNDS)]
    library_schema = f"bench_library_{run_id}"

    class LibraryAlignmentView(PostgresTrackingRecorder):
        """The same read model, kept the library's way: one transaction per event."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.projection = ClientAlignmentProjection()
            self.configured: weakref.WeakSet[Any] = weakref.WeakSet()

        def create_table(self) -> None:
            super().create_table()
            with self.datastore.transaction(commit=True) as cur:
                cur.execute(SQL("CREATE SCHEMA {}").format(Identifier(library_schema)))
                use_schema(cur, library_schema)  # type: ignore[arg-type]
                self.projection.create_tables(cur)  # type: ignore[arg-type]

        def apply(self, event: Any, tracking: Tracking) -> None:
            with self.datastore.get_connection() as conn:
                if conn not in self.configured:
                    conn.execute(SQL("SET search_path TO {}, public").format(
                        Identifier(library_schema)))
                    self.configured.add(conn)
                with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
                    self.projection.apply(cur, event, tracking.notification_id)
                    self._insert_tracking(cur, tracking)  # type: ignore[arg-type]

    class LibraryAlignmentProjection(LibraryProjection[LibraryAlignmentView]):
        name = f"bench_library_{run_id}"
        topics = ClientAlignmentProjection.topics

        def process_event(self, domain_event: Any, tracking: Tracking) -> None:
            self.view.apply(domain_event, tracking)

    run_started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-projection-"))
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    settings = Settings(database_url=None, data_dir=data_dir)
    services = build_services(settings, database, list(ours))
    try:
        started = time.perf_counter()
        head = generate(services.ledger, tenant=f"bench-{run_id}")
        print(f"wrote {TOTAL_EVENTS:,} events through the ledger in"
              f" {time.perf_counter() - started:.1f} s (head {head})")

        rates = []
        for projection in ours:
            projector = services.projectors[projection.name]
            started = time.perf_counter()
            applied = projector.catch_up()
            seconds = time.perf_counter() - started
            if applied != TOTAL_EVENTS or projector.status().position != head:
                raise RuntimeError(f"ours applied {applied} events, expected {TOTAL_EVENTS}")
            rates.append(applied / seconds)
        ours_rate = statistics.median(rates)
        print(f"ours (BatchProjector, batch {settings.projection_batch_size}, median of"
              f" {OUR_ROUNDS} catch-ups into fresh projections): {ours_rate:,.0f} events/s"
              f"  [{TOTAL_EVENTS / ours_rate:.2f} s]")

        env = database.eventsourcing_env(settings)
        deadline = run_started + RUN_SECONDS
        started = time.perf_counter()
        runner = ProjectionRunner(application_class=Ledger,
                                  projection_class=LibraryAlignmentProjection,
                                  view_class=LibraryAlignmentView, env=env)
        with runner:
            while (applied := runner.view.max_tracking_id(runner.app_name) or 0) < head:
                runner.run_forever(timeout=0.01)  # re-raises a failure of the runner
                if time.perf_counter() > deadline:
                    break
            library_seconds = time.perf_counter() - started
        # Every event of the log is one the projection reads, so positions count events.
        library_rate = applied / library_seconds
        print(f"library (ProjectionRunner, one transaction per event):"
              f" {library_rate:,.0f} events/s  [{library_seconds:.2f} s]")

        if applied < head:
            print(f"library stopped at the time limit after {applied:,} of {TOTAL_EVENTS:,}"
                  " events; its rate is over those, and the tables are not compared")
        else:
            ours_rows = table_rows(database.conninfo, generation_schema(ours[0].name, 1))
            library_rows = table_rows(database.conninfo, library_schema)
            if ours_rows != library_rows:
                raise RuntimeError("the two read models differ")
            print("read models identical: " + ", ".join(
                f"{table} {len(rows):,}" for table, rows in ours_rows.items()))
        print(f"ratio: {ours_rate / library_rate:.2f}")
        return 0
    finally:
        services.close()
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
