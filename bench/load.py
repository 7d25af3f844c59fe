"""Load for the HTTP benchmarks: async httpx loops spread over client processes (not a
benchmark itself).

One httpx client process cannot drive many connections: measured here against one served app,
``/health`` answered 225 requests/s to one process of 10 connections, 43 to one process of 100,
and 187-229 to four processes of 25. So a level of ``n`` connections runs in
``ceil(n / PER_PROCESS)`` spawned processes that share the connections; their counts and
latencies are added up, and each process reports its own CPU share (near 100 % of a core would
mean the client, not the server, sets the pace).
"""

import asyncio
import math
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

PER_PROCESS = 25


@dataclass(frozen=True)
class Load:
    """What the connections send: request ``k`` of connection ``c`` (of ``n`` in all) goes to
    ``urls[(c + k * n) % len(urls)]``, with body ``bodies[k % len(bodies)]`` when there are
    bodies."""

    method: str
    urls: list[str]
    bodies: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Run:
    """Requests/s answered 2xx, their latencies (seconds), the others, and the busiest client
    process' CPU share of its wall time."""

    rate: float
    latencies: list[float] = field(repr=False)
    errors: int
    client_cpu: float


async def _loops(base: str, token: str, load: Load, connections: range, total: int,
                 seconds: float) -> tuple[int, list[float], int, float, float]:
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=len(connections))
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as http:
        stop = time.perf_counter() + seconds

        async def loop(number: int) -> None:
            nonlocal errors
            k = 0
            while time.perf_counter() < stop:
                url = load.urls[(number + k * total) % len(load.urls)]
                body = load.bodies[k % len(load.bodies)] if load.bodies else None
                began = time.perf_counter()
                k += 1
                try:
                    response = await http.request(load.method, url, json=body)
                except httpx.HTTPError:  # a connection the server dropped or a timeout
                    errors += 1
                    continue
                if response.is_success:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

        began, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(loop(c) for c in connections))
        return len(latencies), latencies, errors, time.perf_counter() - began, time.process_time() - cpu


def _process(base: str, token: str, load: Load, connections: range, total: int,
             seconds: float) -> tuple[int, list[float], int, float, float]:
    return asyncio.run(_loops(base, token, load, connections, total, seconds))


class LoadClient:
    """Client processes for up to ``max_connections`` connections; a context manager."""

    def __init__(self, max_connections: int) -> None:
        self.pool = ProcessPoolExecutor(math.ceil(max_connections / PER_PROCESS),
                                        mp_context=multiprocessing.get_context("spawn"))

    def __enter__(self) -> "LoadClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown()

    def run(self, base: str, token: str, connections: int, load: Load, seconds: float) -> Run:
        """``connections`` concurrent loops sending ``load`` for ``seconds``."""
        processes = math.ceil(connections / PER_PROCESS)
        shares = [range(p, connections, processes) for p in range(processes)]
        found = list(self.pool.map(_process, *zip(*[
            (base, token, load, share, connections, seconds) for share in shares], strict=True)))
        return Run(rate=sum(done / wall for done, _, _, wall, _ in found),
                   latencies=[lat for _, lats, _, _, _ in found for lat in lats],
                   errors=sum(errors for _, _, errors, _, _ in found),
                   client_cpu=max(cpu / wall for _, _, _, wall, cpu in found))
