"""Benchmark: a full rebuild of every read model, against reading and decoding the same log.

One process, one embedded PostgreSQL. The log is written through the ledger's batch path
(``Ledger.save`` of many aggregates at once): a library of 300 published standards, then
clients that each get a decision maker, a profile change, two completed alignment reviews of
the whole library (answers, a few changed answers, ratings of misaligned answers; the second
submitted to the vCIO, who sends one item back, answered again for every other client), a
recommendation, a year of meetings and a few touches; last, a committee round revising some
standards and confirming others as reviewed.

- rebuild: ``rebuild_all`` of every product read model, one pass over the log into new
  generations, swapped in. Wall time; events/s = events in the log / seconds. Per read model
  (the eight costliest), the time spent applying its own events and its events/s. Run in
  rebuild mode (the default: read models keep what they read back of their own tables in
  memory); with ``--runner-mode``, first also in
  runner mode on the same log (``in_memory=False``: every batch applied exactly as a runner
  applies it), to compare the two. For each, the CPU time it cost: this process (Python) and
  the benchmark's own PostgreSQL (postmaster and backends, from ``/proc``): on a loaded
  machine wall time mostly measures waiting for a core, while the work done shows in CPU time.
- baseline: read the same log in the same windows and decode every event (what any rebuild
  must at least do), in the same process, once before and once after the rebuild (the mean
  rate), so that a change of load on the shared machine weighs on both sides.
- the rebuild shares the read models between worker processes (``REBUILD_WORKERS``), each
  with its own connection: on two idle cores Python works on both, beside the server. Their
  CPU counts in "Python" (the children's times, once reaped); the time per read model is
  measured inside the workers, so it is printed with ``--threads`` (worker threads, as before
  the processes: one interpreter lock) only.

``ratio:`` = rebuild-mode events/s / read+decode events/s (target >= 0.2). No arguments:
the issue's 200,000-event log, about half a minute on a quiet machine (write 6-10 s, rebuild
10-13 s, the baseline twice 2-4 s; 2026-11-28); the runner-mode comparison adds about 40 s, so
it is asked for (``--runner-mode``). An optional number overrides the log size
(``bench/rebuild.py 40000``); the rebuild's fixed costs (new schemas, the swap, dropping the
old generations) weigh more on a smaller log.
"""

import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

TOTAL_EVENTS = 200_000
STANDARDS = 300
CHANGED_ANSWERS = 10
RATINGS = 30
REVIEWS_PER_CLIENT = 2
MEETINGS = 4
TOUCHES = 6
COMMITTEE_REVISIONS = 20
SAVE_BATCH_EVENTS = 10_000


def client_events(client: Any, number: int, facts: list[Any], started: datetime) -> None:
    """One client's year: profile, decision maker, reviews, a recommendation, meetings, touches."""
    from events.vocabulary import Answer, MeetingKind, Priority, Rating, TouchKind

    by, vcio = "bench.tam", "bench.vcio"
    dm = uuid.uuid4()
    client.add_decision_maker(decision_maker_id=dm, title="CEO", sealed_name="sealed",
                              sealed_email="sealed", sealed_phone="sealed", by=vcio)
    client.change_profile(changes={"user_count": 41 + number % 7}, by=vcio)
    misaligned: list[Any] = []
    for review in range(REVIEWS_PER_CLIENT):
        review_id, when = uuid.uuid4(), started + timedelta(days=90 * review)
        client.start_review(review_id=review_id, categories=[], in_scope=len(facts), started_at=when,
                            by=by)
        answers = {f.standard_id: (Answer.YES, Answer.NO, Answer.NOT_APPLICABLE)[
            (n + number + review) % 3] for n, f in enumerate(facts)}
        for fact in facts:
            client.record_answer(review_id=review_id, standard=fact, answer=answers[fact.standard_id],
                                 note="seen on site", observed_at=when, by=by)
        for fact in facts[:CHANGED_ANSWERS]:
            client.record_answer(review_id=review_id, standard=fact, answer=Answer.NO,
                                 note="changed after a second look", observed_at=when, by=by)
            answers[fact.standard_id] = Answer.NO
        misaligned = [f for f in facts if answers[f.standard_id] is not Answer.NOT_APPLICABLE
                      and answers[f.standard_id].value != f.expected_answer.value][:RATINGS]
        for n, fact in enumerate(misaligned):
            client.rate_answer(review_id=review_id, standard_id=fact.standard_id,
                               rating=(Rating.MARGINAL, Rating.HIGHLY_VULNERABLE)[n % 2], by=vcio)
        if review == REVIEWS_PER_CLIENT - 1:  # the two stages: one item back with the TAM
            client.submit_review(review_id=review_id, in_scope=[f.standard_id for f in facts],
                                 confirm_unanswered=False, submitted_at=when, by=by)
            client.send_back_item(review_id=review_id, standard_id=facts[0].standard_id,
                                  comment="check the firmware again", by=vcio)
            if number % 2:
                client.record_answer(review_id=review_id, standard=facts[0], answer=Answer.YES,
                                     note="firmware checked", observed_at=when, by=by)
        client.complete_review(review_id=review_id, completed_at=when + timedelta(days=1), by=vcio)
    client.propose_recommendation(
        recommendation_id=uuid.uuid4(), title="Replace the firewall",
        business_impact="An unpatched firewall lets attackers in.",
        finding_standard_ids=[misaligned[0].standard_id], one_time_budget=Decimal("4000.00"),
        recurring_monthly_budget=Decimal("50.00"), estimated_hours=Decimal("6"),
        target_quarter_start=None, priority=Priority.HIGH, owner=vcio, capital_expense=True,
        by=vcio)
    for n in range(MEETINGS):
        client.schedule_meeting(meeting_id=uuid.uuid4(), kind=MeetingKind.STRATEGY_MEETING,
                                scheduled_for=started + timedelta(days=91 * n), attendees=[vcio],
                                by=vcio)
    for n in range(TOUCHES):
        client.log_touch(touch_id=uuid.uuid4(), kind=TouchKind.CALL, decision_maker_id=dm,
                         contact_role="", happened_at=started + timedelta(days=30 * n),
                         note="quarterly check-in", by=vcio)


def generate(ledger: Any, tenant: str, total: int) -> int:
    """Write about ``total`` events through the ledger's batch path; returns the log head."""
    from aggregates.client import Client
    from aggregates.review_state import StandardFacts
    from aggregates.standard import Standard
    from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency

    by = "bench.committee"
    started = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    standards = [
        Standard.create_with_id(
            uuid.uuid4(), tenant=tenant, key=f"STD-{n:03d}", category=f"cat-{n % 12}",
            question=f"Is control number {n} in place and checked every quarter?",
            expected_answer=ExpectedAnswer.YES if n % 5 else ExpectedAnswer.NO,
            how_to_check="Look at the console.", why_it_matters="An unchecked control fails.",
            priority=(Priority.HIGH, Priority.MEDIUM, Priority.LOW)[n % 3],
            review_frequency=ReviewFrequency.QUARTERLY, authority_references=["CIS 1.1"], by=by)
        for n in range(STANDARDS)]
    for standard in standards:
        standard.publish(by=by)
    ledger.save(*standards, msp_rules(tenant, started))
    facts = [StandardFacts(s.id, s.text.category, s.revision, s.text.expected_answer,
                           s.is_answerable, s.status.value) for s in standards]
    written, pending, number = 2 * STANDARDS, [], 0
    while written < total - 3 * COMMITTEE_REVISIONS:
        client = Client.create_with_id(
            uuid.uuid4(), tenant=tenant, name=f"Client {number}", mrr="3000", user_count=40,
            complexity=5, industry="law", fiscal_year_start_month=1, vcio="bench.vcio",
            tam="bench.tam", by="bench.vcio")
        client_events(client, number, facts, started)
        pending.append(client)
        written += len(client.pending_events)
        number += 1
        if sum(len(c.pending_events) for c in pending) >= SAVE_BATCH_EVENTS:
            ledger.save(*pending)
            pending = []
    for n, standard in enumerate(standards[:2 * COMMITTEE_REVISIONS]):
        if n % 2:
            standard.confirm_reviewed(reviewed_at=started + timedelta(days=300), note="still right",
                                      by=by)
        else:
            standard.revise(changes={"how_to_check": f"Check the console and the logs ({n})."},
                            reason="yearly review", by=by)
    ledger.save(*pending, *standards[:2 * COMMITTEE_REVISIONS], *committee_desk(tenant, standards))
    return int(ledger.recorder.max_notification_id() or 0)


def msp_rules(tenant: str, started: datetime) -> Any:
    """The MSP's own scoring policy (low items weigh 2), in force before any review is scored."""
    from decimal import Decimal

    from aggregates.msp_settings import MspSettings

    rules = MspSettings(tenant=tenant, by="bench.admin")
    rules.set_scoring_policy(
        weights={"high": Decimal(5), "medium": Decimal(3), "low": Decimal(2)},
        factors={"aligned": Decimal(1), "marginal": Decimal("0.5"), "highly_vulnerable": Decimal(0),
                 "unrated": Decimal(0)},
        effective_on=started.date(), today=started.date(), reason="low items matter", by="bench.admin")
    return rules


def committee_desk(tenant: str, standards: list[Any]) -> list[Any]:
    """A TAM's suggestions, one taken up in an open change set and one declined."""
    from aggregates.change_set import LibraryChangeSet, StandardSnapshot
    from aggregates.standard_suggestion import StandardSuggestion
    from events.vocabulary import Priority, SuggestionKind

    target = standards[-1]
    change_set = LibraryChangeSet(tenant=tenant, title="next year", reason="suggested", by="bench.committee")
    item = uuid.uuid4()
    change_set.propose_weight_change(
        item_id=item, standard=StandardSnapshot(target.id, target.key, target.revision, target.status,
                                                target.text),
        priority=Priority.LOW if target.text.priority is not Priority.LOW else Priority.HIGH,
        reason="a compensating control", by="bench.committee")
    taken, declined = (StandardSuggestion(
        tenant=tenant, kind=SuggestionKind.CHANGE, text=f"Reconsider {target.key} ({n})",
        standard_id=target.id, standard_key=target.key, client_id=None, client_name=None,
        by="bench.tam", by_role="tam") for n in range(2))
    taken.accept(change_set_id=change_set.id, item_id=item, by="bench.committee")
    declined.decline(reason="already covered", by="bench.committee")
    return [change_set, taken, declined]


def read_and_decode(services: Any, batch_size: int) -> float:
    """Seconds to read the whole log in rebuild-sized windows and decode every event."""
    from projections.feed import LogFeed
    from projections.log_window import read_window

    topics = LogFeed(list(services.projectors.values())).topics
    events_sql = next(iter(services.projectors.values())).events_sql()
    started = time.perf_counter()
    with services.database.connect() as conn, conn.cursor() as cur:
        after, decoded = 0, 0
        while True:
            rows, end, head = read_window(cur, events_sql, after, topics, batch_size, alone=True)
            for raw in rows:
                services.decode(raw)
            decoded += len(rows)
            after = end
            if end >= head:
                break
    return time.perf_counter() - started


def timed_apply(projectors: list[Any]) -> dict[str, list[float]]:
    """Wrap each projector's ``apply_window`` to add up its time and events: name -> [s, n]."""
    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for projector in projectors:
        original = projector.apply_window

        def apply_window(conn: Any, cur: Any, generation: int, rows: Any, end: int, events: Any,
                         _original: Any = original, _name: str = projector.name) -> Any:
            started = time.perf_counter()
            result = _original(conn, cur, generation, rows, end, events)
            spent[_name][0] += time.perf_counter() - started
            spent[_name][1] += result[0] + result[1]
            return result

        projector.apply_window = apply_window
    return spent


def server_cpu(data_dir: Path) -> float:
    """CPU seconds used so far by this benchmark's PostgreSQL: the postmaster, the backends it
    has reaped, and those still running (other engineers' servers are left out)."""
    master = int((next(data_dir.rglob("postmaster.pid"))).read_text().split()[0])
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pid) == master:
            total += sum(int(f) for f in fields[11:15])  # its own time and its reaped children's
        elif int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def python_cpu() -> float:
    """CPU seconds of this process and of its reaped children (the rebuild's workers)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def largest_child_mb() -> float:
    """The peak resident memory of the largest reaped child (a worker process), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> int:
    from projections import rebuild
    from projections.rebuild import rebuild_all
    from runtime.database import start_embedded
    from runtime.services import build_services
    from runtime.settings import Settings

    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    total = int(numbers[0]) if numbers else TOTAL_EVENTS
    modes = (False, True) if "--runner-mode" in sys.argv[1:] else (True,)
    if "--threads" in sys.argv[1:]:
        rebuild.REBUILD_IN_PROCESSES = False
    print(f"what: a full rebuild of every read model (rebuild mode{', and runner mode' * (len(modes) > 1)})"
          f" of a {total}-event log, against reading and decoding the same log in this process")
    data_dir = Path(tempfile.mkdtemp(prefix="vcio-bench-rebuild-"))
    data_dir.chmod(0o755)
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    try:
        settings = Settings(database_url=None, data_dir=data_dir)
        services = build_services(settings, database)
        started = time.perf_counter()
        head = generate(services.ledger, "msp-bench", total)
        print(f"log: {head} events written in {time.perf_counter() - started:.1f} s")
        projectors = list(services.projectors.values())
        print(f"load average before: {load_average()}")
        reading = read_and_decode(services, settings.projection_batch_size)
        spent = timed_apply(projectors)
        rates = {}
        for in_memory in modes:  # A/B on the same log, in the same process
            mode = "rebuild mode" if in_memory else "runner mode"
            spent.clear()
            started, python, server_before = time.perf_counter(), python_cpu(), server_cpu(data_dir)
            rebuild_all(projectors, in_memory=in_memory)
            seconds = time.perf_counter() - started
            rates[in_memory] = head / seconds
            spent_python, spent_server = python_cpu() - python, server_cpu(data_dir) - server_before
            print(f"{mode} (load average {load_average()}): CPU {spent_python:.2f} s"
                  f" Python, {spent_server:.2f} s PostgreSQL,"
                  f" largest worker process {largest_child_mb():.0f} MB")
            cpu, cores = spent_python + spent_server, os.cpu_count() or 1
            print(f"  CPU per event {1e6 * cpu / head:.0f} us; the {cores} cores busy"
                  f" {cpu / seconds / cores:.0%} of the rebuild (this machine's speed varies"
                  f" by a third from one run to the next: compare CPU per event, and the ratio)")
            for name, (busy, applied) in sorted(spent.items(), key=lambda item: -item[1][0])[:8]:
                print(f"  {name:18} {int(applied):7d} events  {busy:6.1f} s  "
                      f"{applied / busy if busy else 0:9.0f} events/s")
            print(f"rebuild of {len(projectors)} read models in {mode}: {head} events in"
                  f" {seconds:.1f} s, {rates[in_memory]:.0f} events/s")
        reading += read_and_decode(services, settings.projection_batch_size)
        baseline = 2 * head / reading
        print(f"baseline (read + decode the same log, before and after the rebuilds):"
              f" {baseline:.0f} events/s")
        if False in rates:
            print(f"rebuild mode / runner mode: {rates[True] / rates[False]:.2f}")
        services.close()
        print(f"load average after: {load_average()}")
        print(f"ratio: {rates[True] / baseline:.2f}")
    finally:
        server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
