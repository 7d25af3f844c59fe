"""Benchmark: do the reads a vCIO opens all day stay flat at 1,000 clients?

The benchmark's process holds an embedded PostgreSQL; the real app is served by ``vcio serve``
in a process of its own (``served.py``: uvicorn, its runner child) and the load comes from
asyncio HTTP/1.1 client processes of at most 25 connections each (``load.py``), so client and
server share no GIL and the client does not set the pace (the busiest client process' CPU share
is printed). One tenant of ``CLIENTS`` clients over 25 vCIOs, built through the ledger's batch path: a library
of 24 published standards in 12 categories (6 categories quarterly, 6 annual); each client with
a decision maker, one finalised review 100 days before "today" answering every standard (one
misaligned, rated), so its 6 quarterly areas are overdue, a recommendation, four meetings and
three touches. Every read model is caught up before the clock starts (its runner idles). The
server runs as configured by default (a pool of 8 connections, 1 s to get one, then 503): a
request answered otherwise than 200, or not at all within 10 s, is counted and printed.

Over HTTP, after each read and ``/health`` ran ``WARM_UP_SECONDS`` unmeasured (a fresh server
plans its first statements and fills its pool), at 10 and 100 connections, each of these runs
``SECONDS`` in turn (interleaved with ``GET /health`` on the same server, ``REPEATS`` times):
the vCIO dashboard of a quarter (``GET /api/v1/vcio-dashboard``), the client list's first page
(``GET /api/v1/clients``), a client's alignment and score history (a different client each
request). Prints req/s, p50 and
p99 per read and level (the medians over the repeats), and the load average.

``ratio:`` = dashboard req/s / ``/health`` req/s at 10 connections (target >= 0.3, p99 < 100 ms).
No arguments; under two minutes.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from load import PER_PROCESS, Load, LoadClient, Run
from served import served

CLIENTS = 1000
VCIOS = 25
STANDARDS = 24
TODAY = date(2026, 6, 1)
SAVE_BATCH_CLIENTS = 100
LEVELS = (10, 100)
REPEATS = 1
SECONDS = 3.0  # a run of a read at 10 connections: some 600-1,200 latencies for its p99
WARM_UP_SECONDS = 0.5  # each read and /health, before the clock starts


def library(ledger: Any, tenant: str) -> list[Any]:
    """Publish the tenant's standards; returns the facts a review needs about them."""
    from aggregates.review_state import StandardFacts
    from aggregates.standard import Standard
    from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency

    standards = [Standard.create_with_id(
        uuid.uuid4(), tenant=tenant, key=f"STD-{n:03d}", category=f"cat-{n % 12}",
        question=f"Is control number {n} in place?", expected_answer=ExpectedAnswer.YES,
        how_to_check="Look at the console.", why_it_matters="An unchecked control fails.",
        priority=Priority.MEDIUM, authority_references=["CIS 1.1"], by="bench.committee",
        review_frequency=(ReviewFrequency.QUARTERLY, ReviewFrequency.ANNUAL)[n % 12 // 6])
        for n in range(STANDARDS)]
    for standard in standards:
        standard.publish(by="bench.committee")
    ledger.save(*standards)
    return [StandardFacts(s.id, s.text.category, s.revision, s.text.expected_answer,
                          s.is_answerable, s.status.value) for s in standards]


def client(tenant: str, number: int, facts: list[Any]) -> Any:
    """One client with a finalised review 100 days before ``TODAY`` and a little strategy."""
    from aggregates.client import Client
    from events.vocabulary import Answer, MeetingKind, Priority, Rating, TouchKind

    vcio = f"vcio-{number % VCIOS:02d}"
    reviewed = datetime.combine(TODAY, datetime.min.time(), UTC) - timedelta(days=100)
    new = Client.create_with_id(
        uuid.uuid4(), tenant=tenant, name=f"Client {number:05d}", mrr="3000", user_count=40,
        complexity=5, industry="law", fiscal_year_start_month=1, vcio=vcio, tam="bench.tam",
        by=vcio)
    dm = uuid.uuid4()
    new.add_decision_maker(decision_maker_id=dm, title="CEO", sealed_name="sealed",
                           sealed_email="sealed", sealed_phone="sealed", by=vcio)
    review = uuid.uuid4()
    new.start_review(review_id=review, categories=[], in_scope=len(facts), started_at=reviewed,
                     by="bench.tam")
    for n, fact in enumerate(facts):
        new.record_answer(review_id=review, standard=fact, answer=Answer.NO if n == 0 else Answer.YES,
                          note="", observed_at=reviewed, by="bench.tam")
    new.rate_answer(review_id=review, standard_id=facts[0].standard_id, rating=Rating.MARGINAL,
                    by=vcio)
    new.complete_review(review_id=review, completed_at=reviewed, by=vcio)
    new.propose_recommendation(
        recommendation_id=uuid.uuid4(), title="Replace the firewall", business_impact="Risk.",
        finding_standard_ids=[facts[0].standard_id], one_time_budget=Decimal("4000.00"),
        recurring_monthly_budget=Decimal("50.00"), estimated_hours=Decimal("6"),
        target_quarter_start=None, priority=Priority.HIGH, owner=vcio, capital_expense=True,
        by=vcio)
    for n in range(4):
        new.schedule_meeting(meeting_id=uuid.uuid4(), kind=MeetingKind.STRATEGY_MEETING,
                             scheduled_for=reviewed + timedelta(days=91 * n), attendees=[vcio],
                             by=vcio)
    for n in range(3):
        new.log_touch(touch_id=uuid.uuid4(), kind=TouchKind.CALL, decision_maker_id=dm,
                      contact_role="", happened_at=reviewed + timedelta(days=30 * n), note="",
                      by=vcio)
    return new


def tenant_with(ledger: Any, tenant: str, clients: int) -> None:
    facts = library(ledger, tenant)
    pending = []
    for number in range(clients):
        pending.append(client(tenant, number, facts))
        if len(pending) == SAVE_BATCH_CLIENTS:
            ledger.save(*pending)
            pending = []
    if pending:
        ledger.save(*pending)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values) or [float("nan")]
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    from runtime.database import start_embedded
    from runtime.services import build_services
    from runtime.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-dashboard-"))
    data_dir.chmod(0o755)
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    services = build_services(Settings(database_url=None, data_dir=data_dir), database)
    try:
        started, tenant = time.perf_counter(), f"bench-{uuid.uuid4().hex[:6]}"
        tenant_with(services.ledger, tenant, CLIENTS)
        services.catch_up()  # the served app's runner child then finds nothing to do
        clients = [c.client_id for c in services.client_directory.clients(tenant)]
        print(f"log and read models: {len(clients)} clients, {VCIOS} vCIOs in"
              f" {time.perf_counter() - started:.1f} s")
        token = services.tokens.create(tenant, "admin", "bench.admin")

        quarter = (f"start={(TODAY - timedelta(days=90)).isoformat()}&end={TODAY.isoformat()}"
                   f"&today={TODAY.isoformat()}")
        reads = {
            "vCIO dashboard": Load("GET", [f"/api/v1/vcio-dashboard?{quarter}"]),
            "clients, first page": Load("GET", ["/api/v1/clients?limit=50"]),
            "alignment": Load("GET", [f"/api/v1/clients/{c}/alignment" for c in clients]),
            "score history": Load("GET", [f"/api/v1/clients/{c}/score-history" for c in clients]),
        }
        health = Load("GET", ["/health"])
        runs: dict[tuple[str, int], list[Run]] = {}
        with served(database, data_dir) as base, LoadClient(max(LEVELS)) as load:
            for warm in (*reads.values(), health):  # a fresh server: first plans, pool, imports
                load.run(base, token, LEVELS[0], warm, WARM_UP_SECONDS)
            for _ in range(REPEATS):
                for level in LEVELS:
                    for name, read in reads.items():
                        for label, which in ((name, read), ("/health", health)):
                            runs.setdefault((label, level), []).append(
                                load.run(base, token, level, which, SECONDS))

        print(f"GET over HTTP on one server; {SECONDS}s per run, each read followed by /health;"
              f" median of {REPEATS * len(reads)} /health runs, of {REPEATS} per read")
        rate: dict[tuple[str, int], float] = {}
        for level in LEVELS:
            for name in (*reads, "/health"):
                found = runs[name, level]
                rate[name, level] = statistics.median(r.rate for r in found)
                p50 = statistics.median(percentile(r.latencies, 0.50) for r in found) * 1000
                p99 = statistics.median(percentile(r.latencies, 0.99) for r in found) * 1000
                errors = sum(r.errors for r in found)
                print(f"{level:>3} connections  {name:<20} {rate[name, level]:8,.0f} req/s"
                      f"  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  not 200: {errors}")
        for level in LEVELS:
            print(f"{level:>3} connections  dashboard / health:"
                  f" {rate['vCIO dashboard', level] / rate['/health', level]:.2f}")
        busiest = max(r.client_cpu for found in runs.values() for r in found)
        print(f"load client: {PER_PROCESS} connections a process at most; the busiest client"
              f" process used {busiest:.0%} of a core")
        print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        print(f"ratio: {rate['vCIO dashboard', 10] / rate['/health', 10]:.2f}")
        return 0
    finally:
        services.close()
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
