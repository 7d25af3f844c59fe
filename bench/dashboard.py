"""Benchmark: does the vCIO dashboard stay flat as clients grow?

One process, one embedded PostgreSQL, two tenants built the same way through the ledger's
batch path: ``SMALL`` clients and ten times as many, spread over the same 25 vCIOs. A library
of 24 published standards in 12 categories (6 categories quarterly, 6 annual); each client
with a decision maker, one finalised review 100 days before "today" answering every standard
(one misaligned, rated), so its 6 quarterly areas are overdue, a recommendation, four meetings
and three touches. The vCIO dashboard read model is caught up; then the view behind the
dashboard page and ``GET /vcio/dashboard`` (``VcioDashboardView.dashboard``: the MSP's figures
and each vCIO's, overdue areas listed) is called for each tenant in turn, interleaved,
``ROUNDS`` times; the median of each is printed with the number of overdue areas it listed.

``ratio:`` = median time at ``SMALL`` clients / median time at 10x ``SMALL`` (1.00 = flat,
0.10 = linear in clients). No arguments; under two minutes.
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

SMALL = 100
VCIOS = 25
STANDARDS = 24
ROUNDS = 15
TODAY = date(2026, 6, 1)
SAVE_BATCH_CLIENTS = 100


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


def main() -> int:
    from projections.fiscal import Period
    from runtime.database import start_embedded
    from runtime.services import build_services
    from runtime.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-dashboard-"))
    data_dir.chmod(0o755)
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    try:
        services = build_services(Settings(database_url=None, data_dir=data_dir), database)
        started = time.perf_counter()
        sizes = {"msp-small": SMALL, "msp-large": 10 * SMALL}
        for tenant, clients in sizes.items():
            tenant_with(services.ledger, tenant, clients)
        services.projectors["vcio_dashboard"].catch_up()
        print(f"log and read model: {sum(sizes.values())} clients in"
              f" {time.perf_counter() - started:.1f} s")
        period = Period(TODAY - timedelta(days=90), TODAY)
        seconds: dict[str, list[float]] = {tenant: [] for tenant in sizes}
        overdue: dict[str, int] = {}
        for _ in range(ROUNDS):
            for tenant in sizes:
                began = time.perf_counter()
                found = services.vcio_dashboard.dashboard(tenant, period, TODAY)
                seconds[tenant].append(time.perf_counter() - began)
                overdue[tenant] = found.msp.overdue_review_areas
        for tenant, clients in sizes.items():
            print(f"  {clients:5d} clients, {VCIOS} vCIOs: median"
                  f" {statistics.median(seconds[tenant]) * 1000:7.1f} ms per dashboard"
                  f" ({overdue[tenant]} overdue areas listed)")
        services.close()
        small, large = (statistics.median(seconds[t]) for t in sizes)
        print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        print(f"ratio: {small / large:.2f}")
    finally:
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
