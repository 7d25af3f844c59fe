"""Benchmark: catching up every read model, ours vs the library's ``ProjectionRunner``.

One process, one embedded PostgreSQL, one log written through the ledger's batch path with
the real mix of event kinds (``bench/rebuild.py``'s generator: standards, clients with
decision makers, profile changes, two completed reviews each with changed answers and
ratings, recommendations, meetings, touches, a committee round). It covers **all eleven
product read models**, each under a private name.

- ours: one ``LogFeed`` catch-up of all of them (the log read once per batch, each read
  model in one transaction per batch, each event in a savepoint only when one fails).
- library: ``eventsourcing.projection.ProjectionRunner`` following the same ledger with one
  library projection over the union of the read models' topics, whose view applies each
  event, in its own transaction, to every read model that reads it (the library's way: one
  transaction and one tracking row per event). It runs to the head of the log: the log is
  sized so that it finishes within the time limit on a 2-core machine.

When both are done, every table of every read model is compared row for row. The last line
is ``ratio: X.XX`` (ours / library, events per second). No arguments; under two minutes.
"""

import copy
import shutil
import sys
import tempfile
import time
import uuid
import weakref
from pathlib import Path
from typing import Any

TOTAL_EVENTS = 1_500


def private_copies(run_id: str) -> list[Any]:
    from runtime.services import all_projections

    copies = []
    for projection in all_projections():
        private = copy.copy(projection)
        private.__class__ = type(f"Bench{type(projection).__name__}", (type(projection),),
                                 {"name": f"b{run_id}_{projection.name}"})
        copies.append(private)
    return copies


def all_rows(conninfo: str, schema: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg
    from psycopg.sql import SQL, Identifier

    with psycopg.connect(conninfo) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
            " AND table_name <> 'tracking' ORDER BY table_name", (schema,)).fetchall()]
        return {table: sorted(conn.execute(SQL("SELECT * FROM {}.{}").format(
            Identifier(schema), Identifier(table))).fetchall(), key=repr) for table in tables}


def main() -> int:
    from eventsourcing.persistence import Tracking
    from eventsourcing.postgres import PostgresTrackingRecorder
    from eventsourcing.projection import Projection as LibraryProjection
    from eventsourcing.projection import ProjectionRunner
    from eventsourcing.utils import get_topic
    from psycopg.rows import tuple_row
    from psycopg.sql import SQL, Identifier
    from rebuild import generate

    from commands.ledger import Ledger
    from projections.catalog import generation_schema, use_schema
    from projections.feed import LogFeed
    from runtime.database import start_embedded
    from runtime.services import build_services
    from runtime.settings import Settings

    run_id = uuid.uuid4().hex[:6]
    ours = private_copies(run_id)
    theirs = private_copies(run_id + "l")
    topics = sorted({t for p in theirs for t in p.topics})

    class LibraryView(PostgresTrackingRecorder):
        """Every read model, kept the library's way: one transaction per event."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.configured: weakref.WeakSet[Any] = weakref.WeakSet()

        def create_table(self) -> None:
            super().create_table()
            with self.datastore.transaction(commit=True) as cur:
                for projection in theirs:
                    schema = generation_schema(projection.name, 1)
                    cur.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
                    use_schema(cur, schema)  # type: ignore[arg-type]
                    projection.create_tables(cur)  # type: ignore[arg-type]

        def apply(self, event: Any, tracking: Tracking) -> None:
            topic = get_topic(type(event))
            with self.datastore.get_connection() as conn, conn.transaction(), \
                    conn.cursor(row_factory=tuple_row) as cur:
                for projection in theirs:
                    if topic in projection.topics:
                        use_schema(cur, generation_schema(projection.name, 1))  # type: ignore[arg-type]
                        projection.apply(cur, event, tracking.notification_id)
                self._insert_tracking(cur, tracking)  # type: ignore[arg-type]

    class LibraryAllProjection(LibraryProjection[LibraryView]):
        name = f"bench_library_{run_id}"

        def process_event(self, domain_event: Any, tracking: Tracking) -> None:
            self.view.apply(domain_event, tracking)

    LibraryAllProjection.topics = tuple(topics)
    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-projection-"))
    data_dir.chmod(0o755)
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    settings = Settings(database_url=None, data_dir=data_dir)
    services = build_services(settings, database, ours)
    try:
        started = time.perf_counter()
        head = generate(services.ledger, f"bench-{run_id}", TOTAL_EVENTS)
        print(f"wrote {head:,} events of the real mix through the ledger in"
              f" {time.perf_counter() - started:.1f} s")
        print("read models covered: " + ", ".join(p.name.split("_", 1)[1] for p in ours))

        started = time.perf_counter()
        with database.connect() as conn:
            LogFeed(list(services.projectors.values())).run_to_head(conn)
        ours_seconds = time.perf_counter() - started
        ours_rate = head / ours_seconds
        print(f"ours (one LogFeed for all, batch {settings.projection_batch_size}):"
              f" {ours_rate:,.0f} events/s  [{ours_seconds:.2f} s]")

        started = time.perf_counter()
        runner = ProjectionRunner(application_class=Ledger, projection_class=LibraryAllProjection,
                                  view_class=LibraryView, env=database.eventsourcing_env(settings))
        with runner:
            while (runner.view.max_tracking_id(runner.app_name) or 0) < head:
                runner.run_forever(timeout=0.01)  # re-raises a failure of the runner
        library_seconds = time.perf_counter() - started
        library_rate = head / library_seconds
        print(f"library (ProjectionRunner, one transaction per event):"
              f" {library_rate:,.0f} events/s  [{library_seconds:.2f} s]")

        for mine, library in zip(ours, theirs, strict=True):
            if all_rows(database.conninfo, generation_schema(mine.name, 1)) != all_rows(
                    database.conninfo, generation_schema(library.name, 1)):
                raise RuntimeError(f"read model {mine.name} differs from the library's")
        print(f"all {len(ours)} read models identical, table by table")
        print(f"ratio: {ours_rate / library_rate:.2f}")
        return 0
    finally:
        services.close()
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
