"""Benchmark: ``PUT .../answers/{standard}`` over HTTP vs ``GET /health`` of the same server.

The real app served by ``vcio serve`` in a process of its own (``served.py``: uvicorn, its
projection runner child following every read model) over the benchmark's embedded PostgreSQL,
and an async httpx client in the benchmark's process; at 8 and 32 connections the write and the health
check run alternately, three times each, and each figure is the median. Every connection
writes to a client of its own (whose open review holds 300 answers).

Prints requests/s per side and level, the ratio per level, and last ``ratio: X.XX`` for 8
connections (the headline). No arguments; about a minute.
"""

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from served import served

LEVELS = (8, 32)
REPEATS = 3
SECONDS = 2.0
ANSWERS = 300


async def drive(base: str, token: str, connections: int, targets: list[list[str]] | None) -> float:
    """Requests/s of ``connections`` concurrent loops: PUT answers to ``targets[c]`` (one list
    of answer URLs per connection), or GET /health when ``targets`` is None."""
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=connections)
    done = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as http:
        stop = time.perf_counter() + SECONDS

        async def loop(number: int) -> None:
            nonlocal done
            n = 0
            while time.perf_counter() < stop:
                if targets is None:
                    response = await http.get("/health")
                else:
                    response = await http.put(targets[number][n % ANSWERS],
                                              json={"answer": ("yes", "no")[n % 2]})
                if response.status_code >= 300:
                    raise RuntimeError(f"{response.status_code}: {response.text}")
                done += 1
                n += 1

        began = time.perf_counter()
        await asyncio.gather(*(loop(c) for c in range(connections)))
        return done / (time.perf_counter() - began)


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

        with served(database, data_dir) as base:
            rates: dict[tuple[str, int], list[float]] = {}
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(REPEATS):
                for level in LEVELS:
                    rates.setdefault(("write", level), []).append(asyncio.run(drive(
                        base, token, level, targets)))
                    rates.setdefault(("health", level), []).append(asyncio.run(drive(
                        base, token, level, None)))
            client_cpu = (time.process_time() - cpu) / (time.perf_counter() - wall)

        print(f"PUT answer vs GET /health on one server; {SECONDS}s per run, median of {REPEATS}")
        ratios = {}
        for level in LEVELS:
            write = statistics.median(rates[("write", level)])
            health = statistics.median(rates[("health", level)])
            ratios[level] = write / health
            print(f"{level:>2} connections  write {write:8,.0f} req/s  health {health:8,.0f} req/s"
                  f"  ratio {ratios[level]:.2f}")
        print(f"load client CPU: {client_cpu:.0%} of one core while the runs went on")
        print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        print(f"ratio: {ratios[8]:.2f}")
        return 0
    finally:
        services.close()
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
