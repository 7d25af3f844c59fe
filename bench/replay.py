"""Benchmark: re-score every client's latest completed review against a proposed change set.

The committee's budget is 2 seconds for 1,000 clients x 300 standards on this machine. The
bench starts an embedded PostgreSQL, creates the ``as_of`` read model's tables and fills the
ones the replay reads directly with COPY (no events): 300 published standards with their
revision and number, 1,000 clients with two completed reviews each (the replay must pick the
latest), each review's 300 answers (600,000 in all, realistic answers and vCIO ratings) written
as the review vector the projection keeps for a completed review.

The proposed change set is a real ``LibraryChangeSet`` (in memory): 10 expected answers
inverted, 10 priorities changed and 10 standards retired. The timed part is
``ImpactView.replay``: reading the 1,000 latest vectors, judging every answer under both
libraries, 2,000 ``score()`` calls and the report. Reported: every round, the median, and last the line
``ratio: X.XX`` = the 2.0 s budget divided by the median (above 1 is within budget).
No arguments; about twenty seconds, most of it generating and loading the rows.
"""

import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from psycopg.sql import SQL, Identifier

CLIENTS = 1000
STANDARDS = 300
REVIEWS_PER_CLIENT = 2
ROUNDS = 7
BUDGET_SECONDS = 2.0
TENANT = "bench-msp"
CATEGORIES = ("firewalls", "email", "backup", "servers", "desktops", "switches", "wireless",
              "antivirus", "patch management", "cloud services", "power", "disaster recovery")


def fill(conn: Any, schema: str, rng: random.Random) -> list[tuple[uuid.UUID, str, str, str]]:
    """Write the rows; returns the standards as (id, key, priority, expected answer)."""
    from projections.review_vectors import answer_token

    now = datetime.now(UTC)
    standards = [(uuid.uuid4(), f"STD-{n:03d}", rng.choice(("high", "medium", "medium", "low")),
                  "no" if n % 17 == 0 else "yes") for n in range(STANDARDS)]
    with conn.cursor() as cur:
        cur.execute(SQL("SET search_path TO {}, public").format(Identifier(schema)))
        with cur.copy("COPY standards (standard_id, tenant, key, status, revision, category,"
                      " question, expected_answer, how_to_check, why_it_matters, priority,"
                      " review_frequency, authority_references, drafted_at, updated_at)"
                      " FROM STDIN") as copy:
            for n, (sid, key, priority, expected) in enumerate(standards):
                copy.write_row((sid, TENANT, key, "published", 1, CATEGORIES[n % 12],
                                f"Is control {n} in place?", expected, "Look.", "Risk.", priority,
                                "quarterly", "[]", now, now))
        with cur.copy("COPY standard_revisions (standard_id, revision, tenant, category, question,"
                      " expected_answer, how_to_check, why_it_matters, priority, review_frequency,"
                      " authority_references, changes, reason, meaning_changed, decided_by,"
                      " recorded_at, position) FROM STDIN") as copy:
            for n, (sid, _key, priority, expected) in enumerate(standards):
                copy.write_row((sid, 1, TENANT, CATEGORIES[n % 12], f"Is control {n} in place?",
                                expected, "Look.", "Risk.", priority, "quarterly", "[]", "{}",
                                "drafted", True, "bench", now, n + 1))
        clients = [(uuid.uuid4(), f"Client {c:04d}") for c in range(CLIENTS)]
        with cur.copy("COPY clients (client_id, tenant, name, vcio, tam, review_count)"
                      " FROM STDIN") as copy:
            for client_id, name in clients:
                copy.write_row((client_id, TENANT, name, "vera", "tom", REVIEWS_PER_CLIENT))
        reviews = [(uuid.uuid4(), client_id, seq, rng.random(),
                    now - timedelta(days=90 * (REVIEWS_PER_CLIENT - seq + 1)))
                   for client_id, _ in clients for seq in range(1, REVIEWS_PER_CLIENT + 1)]
        with cur.copy("COPY reviews (review_id, client_id, tenant, seq, categories, started_at,"
                      " started_by, completed_at, completed_by) FROM STDIN") as copy:
            for review_id, client_id, seq, _skill, at in reviews:
                copy.write_row((review_id, client_id, TENANT, seq, [], at, "tom",
                                at + timedelta(hours=3), "vera"))
        with cur.copy("COPY standard_numbers (standard_id, tenant, number) FROM STDIN") as copy:
            for number, (sid, _key, _priority, _expected) in enumerate(standards, start=1):
                copy.write_row((sid, TENANT, number))
        with cur.copy("COPY review_vectors (review_id, client_id, tenant, seq, completed_at, items)"
                      " FROM STDIN") as copy:
            for review_id, client_id, seq, skill, at in reviews:
                tokens = []
                for number, (_sid, _key, _priority, expected) in enumerate(standards, start=1):
                    roll = rng.random()
                    answer = ("not_applicable" if roll < 0.08 else
                              expected if roll < 0.08 + 0.9 * skill else
                              ("no" if expected == "yes" else "yes"))
                    rating = (rng.choice(("marginal", "highly_vulnerable", None))
                              if answer not in (expected, "not_applicable") else None)
                    tokens.append(answer_token(number, 1, expected, answer, rating))
                copy.write_row((review_id, client_id, TENANT, seq, at + timedelta(hours=3),
                                " ".join(tokens)))
        for table in ("standards", "standard_revisions", "clients", "reviews", "standard_numbers",
                      "review_vectors"):
            cur.execute(SQL("ANALYZE {}.{}").format(Identifier(schema), Identifier(table)))
    conn.commit()
    return standards


def change_set(standards: list[tuple[uuid.UUID, str, str, str]]) -> Any:
    from aggregates.change_set import LibraryChangeSet, StandardSnapshot
    from aggregates.standard import StandardText
    from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus

    proposal = LibraryChangeSet(tenant=TENANT, title="bench: 30 changes", reason="bench", by="bench")
    for n, (sid, key, priority, expected) in enumerate(standards[:30]):
        snapshot = StandardSnapshot(sid, key, 1, StandardStatus.PUBLISHED, StandardText(
            "firewalls", f"Is control {n} in place?", ExpectedAnswer(expected), "Look.", "Risk.",
            Priority(priority), ReviewFrequency.QUARTERLY, ()))
        if n < 10:
            proposal.propose_revision(item_id=uuid.uuid4(), standard=snapshot, reason="inverted",
                                      changes={"expected_answer": "no" if expected == "yes" else "yes"},
                                      by="bench")
        elif n < 20:
            proposal.propose_weight_change(item_id=uuid.uuid4(), standard=snapshot, reason="weight",
                                           priority=Priority.LOW if priority != "low" else Priority.HIGH,
                                           by="bench")
        else:
            proposal.propose_retirement(item_id=uuid.uuid4(), standard=snapshot, reason="obsolete",
                                        successors=[], by="bench")
    return proposal


def main() -> int:
    from psycopg_pool import ConnectionPool

    from projections.as_of import AsOfProjection
    from projections.catalog import ProjectionReader, generation_schema
    from projections.impact import ImpactView, ProposedLibrary, overlay_from_change_set
    from projections.runner import BatchProjector
    from runtime.database import start_embedded

    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-replay-"))
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    try:
        projector = BatchProjector(database.conninfo, AsOfProjection(), lambda raw: raw, "unused")
        projector.ensure_created()
        started = time.perf_counter()
        with database.connect() as conn:
            standards = fill(conn, generation_schema(AsOfProjection.name, 1), random.Random(7))
        print(f"loaded {CLIENTS} clients x {REVIEWS_PER_CLIENT} completed reviews x {STANDARDS} answers"
              f" ({CLIENTS * REVIEWS_PER_CLIENT * STANDARDS:,} answers, as review vectors) in"
              f" {time.perf_counter() - started:.1f} s")
        target = ProposedLibrary(overlay_from_change_set(change_set(standards)))
        with ConnectionPool(database.conninfo, min_size=1, max_size=2, open=True) as pool:
            view = ImpactView(ProjectionReader(pool))
            report = view.replay(TENANT, target)  # warm-up: connection, plans, imports
            times = []
            for round_number in range(1, ROUNDS + 1):
                started = time.perf_counter()
                report = view.replay(TENANT, target)
                times.append(time.perf_counter() - started)
                print(f"round {round_number}: {times[-1]:.3f} s")
        total = report.total
        print(f"clients re-scored: {total.clients}; clients changed: {total.clients_changed};"
              f" items changing state: {total.items_changed}")
        print(f"average score {total.average_old} -> {total.average_new}"
              f" (average delta {total.average_delta}); transitions: {total.transitions}")
        median = statistics.median(times)
        print(f"median: {median:.3f} s (best {min(times):.3f} s, worst {max(times):.3f} s;"
              f" budget {BUDGET_SECONDS:.1f} s)")
        print(f"ratio: {BUDGET_SECONDS / median:.2f}")
    finally:
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
