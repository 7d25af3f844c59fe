"""Rebuilding read models aside, in one pass over the log, then swapping them in.

Each read model gets a new generation (an empty schema) beside its live one; the read models
are shared out between a few worker processes (:mod:`projections.rebuild_processes`) or
threads (:mod:`projections.rebuild_workers`), each of which reads the log once for its
share; each is then caught up to the head under its registry row's lock and swapped in,
while reads keep being served by the old generation until the swap commits. Poison events
become dead letters of the new generation. A rebuild that is interrupted drops the
generations it created; one killed outright leaves schemas that the next rebuild of the same
read model drops first.
"""

import logging
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from psycopg import Connection, Cursor
from psycopg.sql import SQL, Identifier

from projections.catalog import (
    CATALOG_SCHEMA,
    GENERATION_LOCK,
    generation_schema,
    lock_generation,
    use_schema,
)
from projections.log_window import DecodedEvents, read_window
from projections.rebuild_processes import ProcessWorkers
from projections.rebuild_workers import REBUILD_WORKERS, Workers, events_per_topic, share_out
from projections.rows import fetch_value
from projections.runner import BatchProjector

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
#: How long dropping a swapped-out generation waits for the readers still in it (see
#: :mod:`projections.catalog`) before leaving it to the next rebuild.
DROP_WAIT_SECONDS: float = 60
#: A rebuild reads larger windows than a runner (no reader waits on it): fewer round trips,
#: fewer transactions and per-batch loads. 10,000 rather than 5,000: 8-10 % less CPU (Python
#: and PostgreSQL) on the 200,000-event benchmark log, interleaved A/B on 2026-11-27 (20,000
#: and 50,000 measured no better than 10,000; the larger worker's peak 136 -> 150 MB, 179 MB
#: at 20,000, 272 MB at 50,000).
REBUILD_BATCH_EVENTS = 10_000
#: Build in worker processes (one core each) rather than threads (one interpreter lock), when
#: there is more than one worker's share: a single read model (a runner's upgrade on start,
#: inside the served process with its other threads running) is built by a thread, never in a
#: process forked from a multi-threaded one.
REBUILD_IN_PROCESSES = True


def rebuild_lock(name: str) -> str:
    return f"vcio-projection-rebuild:{name}"


def generations_of(conn: Connection[Any], name: str) -> list[int]:
    """Every generation schema of ``name`` that exists, live or not."""
    prefix = generation_schema(name, 0)[:-1]
    found = conn.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)",
                         (prefix,)).fetchall()
    return sorted(int(s[len(prefix):]) for (s,) in found if s[len(prefix):].isdigit())


def drop_generation(conn: Connection[Any], name: str, generation: int) -> bool:
    """Drop a generation that is not live (and its dead letters) in a transaction of its own,
    once every reader still in it is done (:func:`~projections.catalog.lock_generation`);
    False when readers kept it longer than ``DROP_WAIT_SECONDS`` (it is then left for the
    next rebuild, which drops every generation that is not live)."""
    try:
        with conn.transaction(), conn.cursor() as cur:
            _drop_settings(cur)
            lock_generation(cur, name, generation)
            _drop(cur, name, generation)
    except psycopg.errors.LockNotAvailable:
        _left(name, generation)
        return False
    return True


def drop_generations(conn: Connection[Any], generations: Sequence[tuple[str, int]]) -> None:
    """Drop the generations a rebuild swapped out, once their readers are done, in one
    transaction: a transaction that drops tables waits for the disk at its commit whatever
    ``synchronous_commit`` says (one each for 14 read models took 0.26-0.28 s of a rebuild,
    one for all 0.19-0.24 s, 0.15 s of it the commit letting go of the tables' files). First
    each generation's readers are waited for, one at a time
    (its lock taken and let go: a reader may hold one generation while it waits for
    another); then every lock is tried at once, without waiting (nothing can deadlock), and
    all are dropped. A reader that came in between (it looked the registry up just before
    the swap) sends each generation to a transaction of its own (:func:`drop_generation`)."""
    vacated = []
    for name, generation in generations:
        try:
            with conn.transaction(), conn.cursor() as cur:
                _drop_settings(cur)
                lock_generation(cur, name, generation)
            vacated.append((name, generation))
        except psycopg.errors.LockNotAvailable:
            _left(name, generation)
    with conn.transaction(), conn.cursor() as cur:
        _drop_settings(cur)
        for name, generation in vacated:
            cur.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)",
                        (GENERATION_LOCK + name, generation))
            if fetch_value(cur, "generation lock") is not True:
                break
        else:
            for name, generation in vacated:
                _drop(cur, name, generation)
            return
    for name, generation in vacated:
        drop_generation(conn, name, generation)


def _drop_settings(cur: Cursor[Any]) -> None:
    """A drop's commit need not wait for the disk (a drop lost in a crash leaves a generation
    that the next rebuild drops; PostgreSQL waits anyway for one that drops tables), and its
    lock waits no longer than ``DROP_WAIT_SECONDS``."""
    cur.execute("SELECT set_config('synchronous_commit', 'off', true),"
                " set_config('lock_timeout', %s, true)", (f"{round(DROP_WAIT_SECONDS * 1000)}ms",))


def _left(name: str, generation: int) -> None:
    log.warning("projection %s: generation %s still read after %s s; the next rebuild drops it",
                name, generation, DROP_WAIT_SECONDS)


def _drop(cur: Cursor[Any], name: str, generation: int) -> None:
    cur.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
        Identifier(generation_schema(name, generation))))
    cur.execute(SQL("DELETE FROM {}.dead_letters WHERE projection = %s AND generation = %s").format(
        Identifier(CATALOG_SCHEMA)), (name, generation))


def live_generation(conn: Connection[Any], name: str) -> int:
    return int(fetch_value(conn.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s")
                                        .format(Identifier(CATALOG_SCHEMA)), (name,)),
                           f"registry entry of projection {name}"))


def rebuild_all(projectors: Sequence[BatchProjector], progress: Progress | None = None,
                in_memory: bool = True) -> dict[str, int]:
    """Rebuild every read model of ``projectors`` in one pass; returns their new generations.

    ``in_memory`` (rebuild mode, the default): each read model is built with
    :meth:`~projections.base.Projection.rebuilding` entered, from
    :meth:`~projections.base.Projection.create_rebuild_tables`, and finished with
    :meth:`~projections.base.Projection.finish_rebuild` before its catch-up and swap; off,
    it is built exactly as a runner would build it (kept to measure one against the other).
    Each worker creates its read models' new generations, builds them, finishes them and
    analyses them (planner statistics before reads reach them) beside the others."""
    conninfo = projectors[0].conninfo
    with psycopg.connect(conninfo) as conn:
        for projector in projectors:
            projector.ensure_registered(conn)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        for name in sorted(p.name for p in projectors):
            admin.execute("SELECT pg_advisory_lock(hashtext(%s))", (rebuild_lock(name),))
        try:
            return _rebuild_locked(admin, projectors, progress, in_memory)
        finally:
            if not admin.closed and not admin.broken:
                admin.execute("SELECT pg_advisory_unlock_all()")


def _rebuild_locked(admin: Connection[Any], projectors: Sequence[BatchProjector],
                    progress: Progress | None, in_memory: bool) -> dict[str, int]:
    old = {p.name: live_generation(admin, p.name) for p in projectors}
    for name, live in old.items():
        for orphan in generations_of(admin, name):
            if orphan != live:
                log.warning("projection %s: dropping generation %s left by an interrupted"
                            " rebuild", name, orphan)
                drop_generation(admin, name, orphan)
    new = {name: (live + 1, generation_schema(name, live + 1)) for name, live in old.items()}
    swapped: set[str] = set()
    try:
        with projectors[0].connect() as conn:
            batch = max(REBUILD_BATCH_EVENTS, *(p.batch_size for p in projectors))
            groups = share_out(projectors, events_per_topic(conn, projectors[0]), REBUILD_WORKERS)
            conn.commit()
            workers = ProcessWorkers if REBUILD_IN_PROCESSES and len(groups) > 1 else Workers

            def swap_in(group: Sequence[BatchProjector]) -> None:
                """A worker's read models, created, built and finished: swapped in, and their
                old generations dropped once no reader is in them, while the other workers
                go on (the machine's last worker otherwise ended alone, one core idle)."""
                for projector in group:
                    _swap(conn, projector, old[projector.name], new[projector.name])
                    swapped.add(projector.name)
                drop_generations(admin, sorted((p.name, old[p.name]) for p in group))

            workers(groups, new, batch, in_memory).run(progress, swap_in)
    except BaseException:
        _drop_unswapped(projectors[0].conninfo, new, swapped)
        raise
    return {name: generation for name, (generation, _) in new.items()}


def _swap(conn: Connection[Any], projector: BatchProjector, old: int, new: tuple[int, str]) -> None:
    """Catch the new generation up to the head under the registry row's lock, then swap it in."""
    name = projector.name
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s FOR UPDATE").format(
            Identifier(CATALOG_SCHEMA)), (name,))
        current = int(fetch_value(cur, f"registry entry of projection {name}"))
        if current != old:
            raise RuntimeError(f"projection {name} was swapped to generation {current} meanwhile")
        use_schema(cur, new[1])
        events = DecodedEvents(projector.decode)
        while True:
            cur.execute("SELECT position FROM tracking")
            after = int(fetch_value(cur, f"tracking position of projection {name}"))
            rows, end, head = read_window(cur, projector.events_sql(), after, projector.topics,
                                          projector.batch_size)
            if end > after:
                projector.apply_window(conn, cur, new[0], rows, end, events)
            if end >= head:
                break
        cur.execute(SQL("UPDATE {}.registry SET generation = %s, shape_version = %s,"
                        " swapped_at = now() WHERE name = %s").format(Identifier(CATALOG_SCHEMA)),
                    (new[0], projector.projection.version, name))


def _drop_unswapped(conninfo: str, new: dict[str, tuple[int, str]], swapped: set[str]) -> None:
    """After an interruption: drop the generations built but not swapped in (best effort; a
    later rebuild drops whatever is left)."""
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            for name, (generation, _) in new.items():
                if name not in swapped:
                    drop_generation(conn, name, generation)
    except psycopg.Error as error:
        log.warning("rebuild interrupted; its generations are dropped by the next one: %r", error)
