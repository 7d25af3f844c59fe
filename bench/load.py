"""Load for the HTTP benchmarks: kept-alive HTTP/1.1 connections in asyncio loops, spread over
client processes (not a benchmark itself).

The load shares the two cores with the server it measures, so it must cost as little as it
can: each connection speaks HTTP/1.1 with h11 straight over an asyncio stream. An httpx client
did the same work with five times the CPU: under the dashboard benchmark at 10 connections its
busiest process used 62-75 % of a core, and ``/health`` answered 334 req/s with a p99 of 85 ms;
with h11, 15-16 % of a core, and 385-542 req/s with a p99 of 34-45 ms (measured here,
2026-11-28). One process drives at most ``PER_PROCESS`` connections (with httpx, ``/health``
answered 225 requests/s to one process of 10 connections, 43 to one process of 100, and
187-229 to four processes of 25), so a level of ``n`` connections runs in
``ceil(n / PER_PROCESS)`` spawned processes that share the connections; their counts and
latencies are added up, and each process reports its own CPU share (near 100 % of a core would
mean the client, not the server, sets the pace).
"""

import asyncio
import json
import math
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import h11

PER_PROCESS = 25
TIMEOUT = 10.0  # seconds without an answer: counted as not answered
READ_BYTES = 65_536


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
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def loop(number: int) -> None:
        nonlocal errors
        k = 0
        http = _Connection(base, token)
        try:
            while time.perf_counter() < stop:
                url = load.urls[(number + k * total) % len(load.urls)]
                body = load.bodies[k % len(load.bodies)] if load.bodies else None
                began = time.perf_counter()
                k += 1
                try:
                    status = await asyncio.wait_for(http.request(load.method, url, body), TIMEOUT)
                except (OSError, TimeoutError, h11.ProtocolError):  # dropped, or no answer
                    errors += 1
                    http.close()
                    continue
                if 200 <= status < 300:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1
        finally:
            http.close()

    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(loop(c) for c in connections))
    return len(latencies), latencies, errors, time.perf_counter() - began, time.process_time() - cpu


class _Connection:
    """One kept-alive HTTP/1.1 connection, reopened after a failure; h11 speaks the protocol."""

    def __init__(self, base: str, token: str) -> None:
        url = urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.prefix = url.path.rstrip("/")
        self.headers = [("Host", url.netloc), ("Authorization", f"Bearer {token}")]
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.protocol = h11.Connection(h11.CLIENT)

    async def request(self, method: str, url: str, body: dict[str, str] | None) -> int:
        """Send one request and read its whole response; its status."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
            self.protocol = h11.Connection(h11.CLIENT)
        reader, writer = self.streams
        content = json.dumps(body).encode() if body is not None else b""
        headers = [*self.headers, ("Content-Length", str(len(content)))]
        if body is not None:
            headers.append(("Content-Type", "application/json"))
        protocol = self.protocol
        writer.write(protocol.send(h11.Request(method=method, target=self.prefix + url,
                                               headers=headers))
                     + protocol.send(h11.Data(data=content)) + protocol.send(h11.EndOfMessage()))
        status = 0
        while True:
            event = protocol.next_event()
            if event is h11.NEED_DATA:
                protocol.receive_data(await reader.read(READ_BYTES))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("the server closed the connection")
        if protocol.our_state is h11.MUST_CLOSE or protocol.their_state is h11.MUST_CLOSE:
            self.close()
        else:
            protocol.start_next_cycle()
        return status

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


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
