"""Benchmark: ``PUT .../answers/{standard}`` over HTTP vs ``GET /health`` of the same server.

The real app served by ``vcio serve`` in a process of its own (``served.py``: uvicorn, its
projection runner child following every read model) over the benchmark's embedded PostgreSQL,
and asyncio HTTP/1.1 client processes of at most 25 connections each (``load.py``); at 8 and 32
connections the write and the health check run alternately, three times each, and each figure
is the median. Every connection
writes to a client of its own (whose open review holds 300 answers).

Prints requests/s per side and level, the ratio per level, and last ``ratio: X.XX`` for 8
connections (the headline). No arguments; about a minute.
"""

import os
import shutil
import statistics
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from load import PER_PROCESS, Load, LoadClient, Run
from served import served

LEVELS = (8, 32)
REPEATS = 3
SECONDS = 2.0
ANSWERS = 300


def writes(targets: list[list[str]], connections: int) -> Load:
    """Connection ``c`` answers the standards of its own client (``targets[c]``) in turn,
    yes and no alternately."""
    return Load("PUT", [targets[c][k] for k in range(ANSWERS) for c in range(connections)],
                ({"answer": "yes"}, {"answer": "no"}))


def main() -> int:
    from commands.clients import OnboardClient
    from commands.results import Actor
    from commands.reviews import AnswerInput, RecordAnswers, StartReview
    from commands.standards import DraftStandard, PublishStandard
    from events.vocabulary import Answer, ExpectedAnswer, Priority, ReviewFrequency
    from runtime.database import start_embedded
    from runtime.services import build_services
    from runtime.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-http-"))
    data_dir.chmod(0o755)
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    services = build_services(Settings(database_url=None, data_dir=data_dir), database)
    try:
        bus, now, tenant = services.bus, datetime.now(UTC), f"bench-{uuid.uuid4().hex[:6]}"
        committee, tam = Actor(tenant, "carla", "committee"), Actor(tenant, "tom.tam", "tam")
        vcio = Actor(tenant, "vera.vcio", "vcio")
        standards = []
        for n in range(ANSWERS):
            standard = bus.handle(DraftStandard(
                key=f"STD-{n:03d}", category=f"cat-{n % 12}", question=f"Is control {n} in place?",
                expected_answer=ExpectedAnswer.YES, how_to_check="Look.", why_it_matters="Risk.",
                priority=Priority.HIGH, review_frequency=ReviewFrequency.QUARTERLY), committee, now)
            bus.handle(PublishStandard(standard_id=standard.aggregate_id), committee, now)
            standards.append(standard.aggregate_id)
        targets: list[list[str]] = []
        for n in range(max(LEVELS)):
            client = bus.handle(OnboardClient(
                name=f"Client {n}", mrr="3000.00", user_count=40, complexity=5, industry="law",
                vcio=vcio.name, tam=tam.name), vcio, now).aggregate_id
            review = bus.handle(StartReview(client_id=client), tam, now).created_id
            bus.handle(RecordAnswers(client_id=client, review_id=review, answers=[
                AnswerInput(standard_id=s, answer=Answer.YES) for s in standards]), tam, now)
            targets.append([f"/api/v1/clients/{client}/reviews/{review}/answers/{s}"
                            for s in standards])
        token = services.tokens.create(tenant, "tam", "bench.tam")

        runs: dict[tuple[str, int], list[Run]] = {}
        with served(database, data_dir) as base, LoadClient(max(LEVELS)) as load:
            for _ in range(REPEATS):
                for level in LEVELS:
                    runs.setdefault(("write", level), []).append(
                        load.run(base, token, level, writes(targets, level), SECONDS))
                    runs.setdefault(("health", level), []).append(
                        load.run(base, token, level, Load("GET", ["/health"]), SECONDS))

        print(f"PUT answer vs GET /health on one server; {SECONDS}s per run, median of {REPEATS}")
        ratios = {}
        for level in LEVELS:
            write = statistics.median(r.rate for r in runs["write", level])
            health = statistics.median(r.rate for r in runs["health", level])
            failed = sum(r.errors for side in ("write", "health") for r in runs[side, level])
            ratios[level] = write / health
            print(f"{level:>2} connections  write {write:8,.0f} req/s  health {health:8,.0f} req/s"
                  f"  ratio {ratios[level]:.2f}  not 2xx: {failed}")
        busiest = max(r.client_cpu for found in runs.values() for r in found)
        print(f"load client: {PER_PROCESS} connections a process at most; the busiest client"
              f" process used {busiest:.0%} of a core")
        print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        print(f"ratio: {ratios[8]:.2f}")
        return 0
    finally:
        services.close()
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
