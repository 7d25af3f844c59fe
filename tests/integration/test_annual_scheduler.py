"""The annual scheduler on PostgreSQL: plans per cadence, once per client and year however many
runs race, the same after a missed run, the rest of the year for a new client, and .ics feeds."""

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from icalendar import Calendar

from aggregates.client import Client
from commands.cadence import OverrideClientCadence
from commands.clients import OnboardClient
from commands.meetings import AddActionItem
from commands.results import Actor
from projections.client_directory import ClientDirectoryProjection, ClientDirectoryView
from projections.runner import BatchProjector
from schedulers.factory import SchedulerConfig, build_scheduler
from schedulers.ics import client_feed, committee_feed, vcio_feed
from schedulers.jobs import plan_committee_year, plan_onboarded, plan_year
from schedulers.reminders import give_overdue_action_item_notices, give_review_reminders
from schedulers.store import SchedulerStore
from tests.integration.conftest import projector_for, run_together
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

DECEMBER_RUN = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
BRIEF_ROWS = {  # name: (MRR, users, complexity, meetings a year, touches a month)
    "Client A": (Decimal("3000"), 24, 5, 4, 1),
    "Client B": (Decimal("6500"), 52, 3, 4, 1),
    "Client C": (Decimal("1500"), 12, 8, 6, 2),
}


@pytest.fixture(scope="module")
def directory(services: Any) -> BatchProjector:
    return projector_for(services, ClientDirectoryProjection())


def onboard(services: Any, actor: Actor, name: str, vcio: str = "vera.vcio") -> UUID:
    mrr, users, complexity, _, _ = BRIEF_ROWS[name]
    return services.bus.handle(OnboardClient(
        name=name, mrr=mrr, user_count=users, complexity=complexity, industry="legal",
        vcio=vcio, tam="tom.tam"), actor).aggregate_id


@pytest.fixture
def clients(services: Any, admin: Actor, directory: BatchProjector) -> dict[str, UUID]:
    """The brief's clients A, B and C in a fresh tenant, listed in the directory."""
    ids = {name: onboard(services, admin, name) for name in BRIEF_ROWS}
    directory.catch_up()
    return ids


def events_of(services: Any, client_id: UUID) -> list[Any]:
    return list(services.ledger.events.get(client_id))


def counts(services: Any, client_id: UUID) -> Counter[str]:
    return Counter(type(e).__name__ for e in events_of(services, client_id))


def recorded_plan(services: Any, client_id: UUID) -> Any:
    (plan,) = [e for e in events_of(services, client_id)
               if isinstance(e, Client.MeetingPlanScheduled)]
    return plan


def test_the_december_run_plans_each_client_with_its_cadence(
        services: Any, admin: Actor, clients: dict[str, UUID]) -> None:
    plan_year(services, 2027, DECEMBER_RUN, tenant=admin.tenant)

    for name, client_id in clients.items():
        *_, meetings, touches = BRIEF_ROWS[name]
        plan = recorded_plan(services, client_id)
        assert (plan.year, len(plan.meetings), plan.touches_per_month) == (2027, meetings, touches)
        assert counts(services, client_id)["MeetingScheduled"] == meetings


def test_an_override_wins_over_the_rules_in_the_plan(
        services: Any, admin: Actor, clients: dict[str, UUID]) -> None:
    services.bus.handle(OverrideClientCadence(
        client_id=clients["Client A"], meetings_per_year=12, touches_per_month=3,
        reason="merger: monthly steering until it closes"), admin)

    plan_year(services, 2027, DECEMBER_RUN, client=clients["Client A"])

    plan = recorded_plan(services, clients["Client A"])
    assert (len(plan.meetings), plan.touches_per_month, plan.cadence_source) == (12, 3, "override")


@pytest.fixture
def second_process(services: Any) -> Iterator[Any]:
    """Services of another scheduler process: its own ledger, cache and pool."""
    from runtime.services import build_services

    other = build_services(services.settings, services.database, projections=[])
    yield other
    other.close()


def hold_first_saves(monkeypatch: pytest.MonkeyPatch, ledgers: list[Any], parties: int) -> None:
    """Each thread's first save waits until every party has decided: both runs decide on the
    same client version, then write at once."""
    barrier = threading.Barrier(parties, timeout=20)
    waited: set[int] = set()
    for ledger in ledgers:
        def gated(*args: Any, _save: Any = ledger.save, **kwargs: Any) -> Any:
            if threading.get_ident() not in waited:
                waited.add(threading.get_ident())
                barrier.wait()
            return _save(*args, **kwargs)

        monkeypatch.setattr(ledger, "save", gated)


def test_two_concurrent_runs_record_one_plan_per_client_and_year(
        services: Any, second_process: Any, admin: Actor, clients: dict[str, UUID],
        monkeypatch: pytest.MonkeyPatch) -> None:
    hold_first_saves(monkeypatch, [services.ledger, second_process.ledger], parties=2)

    runs = run_together(lambda: plan_year(services, 2027, DECEMBER_RUN, tenant=admin.tenant),
                        lambda: plan_year(second_process, 2027, DECEMBER_RUN, tenant=admin.tenant))

    assert not [r for r in runs if isinstance(r, Exception)], runs
    for name, client_id in clients.items():
        *_, meetings, _ = BRIEF_ROWS[name]
        assert counts(services, client_id)["MeetingPlanScheduled"] == 1
        assert counts(services, client_id)["MeetingScheduled"] == meetings
        outcomes = sorted(p.outcome for run in runs for p in run.clients if p.client_name == name)
        assert outcomes == ["already planned", "planned"]


def test_a_missed_december_run_catches_up_once_with_the_plan_it_would_have_made(
        services: Any, admin: Actor, clients: dict[str, UUID]) -> None:
    on_time = plan_year(services, 2027, DECEMBER_RUN, tenant=admin.tenant, dry_run=True)
    prefix = f"test-{uuid4().hex[:8]}"
    scheduler = build_scheduler(services, SchedulerConfig(tenant=admin.tenant, job_prefix=prefix),
                                clock=lambda: datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    scheduler.store.record_run(f"{prefix}.annual-plan", datetime(2025, 12, 1, 6, 0, tzinfo=UTC))

    runs = scheduler.catch_up()

    assert [(r.job_id, r.fire_time) for r in runs] == [(f"{prefix}.annual-plan", DECEMBER_RUN)]
    for expected in on_time.clients:
        plan = recorded_plan(services, expected.client_id)
        assert plan.planned_as_of == DECEMBER_RUN
        assert [m["scheduled_for"] for m in plan.meetings] == [
            m.scheduled_for for m in expected.meetings]
    assert scheduler.catch_up() == []


def test_a_late_run_plans_as_of_its_scheduled_time(
        services: Any, admin: Actor, clients: dict[str, UUID]) -> None:
    prefix = f"test-{uuid4().hex[:8]}"
    scheduler = build_scheduler(services, SchedulerConfig(tenant=admin.tenant, job_prefix=prefix),
                                clock=lambda: datetime(2026, 12, 1, 6, 40, tzinfo=UTC))

    run = scheduler.run_job(f"{prefix}.annual-plan")

    assert run is not None and run.fire_time == DECEMBER_RUN
    assert {recorded_plan(services, c).planned_as_of for c in clients.values()} == {DECEMBER_RUN}
    assert scheduler.store.last_run(f"{prefix}.annual-plan") == DECEMBER_RUN


def test_a_client_onboarded_mid_year_is_planned_for_the_rest_of_the_year_only(
        services: Any, admin: Actor, directory: BatchProjector) -> None:
    client_id = onboard(services, admin, "Client A")
    directory.catch_up()
    whole_year = plan_year(services, 2026, datetime(2025, 12, 1, 6, 0, tzinfo=UTC),
                           client=client_id, dry_run=True).clients[0].meetings
    onboarding_run = datetime(2026, 7, 1, 9, 5, tzinfo=UTC)

    plan_onboarded(services, onboarding_run, tenant=admin.tenant)

    plan = recorded_plan(services, client_id)
    assert (plan.year, plan.period_start) == (2026, date(2026, 7, 8))
    assert [m["scheduled_for"] for m in plan.meetings] == [
        m.scheduled_for for m in whole_year if m.scheduled_for.date() >= date(2026, 7, 8)]
    assert len(plan.meetings) == 2  # of 4 a year: the third and fourth quarters


def test_a_dry_run_records_nothing(services: Any, admin: Actor, clients: dict[str, UUID]) -> None:
    plans = plan_year(services, 2027, DECEMBER_RUN, tenant=admin.tenant, dry_run=True)

    assert {p.outcome for p in plans.clients} == {"dry run"}
    assert all(counts(services, c)["MeetingPlanScheduled"] == 0 for c in clients.values())


def test_the_ics_feeds_parse_back_with_the_planned_meetings(
        services: Any, admin: Actor, clients: dict[str, UUID], directory: BatchProjector) -> None:
    plan_year(services, 2027, DECEMBER_RUN, tenant=admin.tenant)
    plan_committee_year(services, 2027, DECEMBER_RUN, tenant=admin.tenant)
    directory.catch_up()
    services.projectors["meeting_calendar"].catch_up()
    planned = {name: {(f"{m.meeting_id}@vcio-ledger", m.scheduled_for) for m in
                      services.ledger.load_client(admin, client_id).meetings.values()}
               for name, client_id in clients.items()}

    client_events = parsed(client_feed(services.reader, admin.tenant, clients["Client C"], 2027,
                                       DECEMBER_RUN))
    vcio_events = parsed(vcio_feed(services.reader, admin.tenant, "vera.vcio", 2027, DECEMBER_RUN))
    committee_events = parsed(committee_feed(services.reader, admin.tenant, 2027, DECEMBER_RUN))

    assert client_events == planned["Client C"]
    assert vcio_events == set().union(*planned.values())
    assert len(committee_events) == 4 + 1  # quarterly meetings and the library review


def parsed(body: bytes) -> set[tuple[str, datetime]]:
    return {(str(e["uid"]), e.decoded("dtstart")) for e in Calendar.from_ical(body).walk("VEVENT")}


def test_a_job_another_scheduler_is_running_is_skipped(services: Any, admin: Actor) -> None:
    prefix = f"test-{uuid4().hex[:8]}"
    scheduler = build_scheduler(services, SchedulerConfig(tenant=admin.tenant, job_prefix=prefix))
    job_id = f"{prefix}.annual-plan"

    with SchedulerStore(services.pool).job_lock(job_id) as held:
        skipped = scheduler.run_job(job_id, DECEMBER_RUN)

    assert held and skipped is None
    assert scheduler.store.last_run(job_id) is None


def test_overdue_review_areas_and_action_items_are_noticed_once(
        services: Any, scenario: Scenario, directory: BatchProjector) -> None:
    scenario.standard(category="backup")
    client_id = scenario.client()
    services.bus.handle(AddActionItem(
        client_id=client_id, title="Replace the NAS", owner="vera.vcio",
        follow_up_on=date(2026, 11, 2)), scenario.vcio)
    directory.catch_up()
    services.projectors["meeting_calendar"].catch_up()

    first = (give_review_reminders(services, DECEMBER_RUN, scenario.tenant),
             give_overdue_action_item_notices(services, DECEMBER_RUN, scenario.tenant))
    again = (give_review_reminders(services, DECEMBER_RUN, scenario.tenant),
             give_overdue_action_item_notices(services, DECEMBER_RUN, scenario.tenant))

    assert (first, again) == ((1, 1), (0, 0))
    directory.catch_up()
    kinds = {n.kind for n in ClientDirectoryView(services.reader).notices(scenario.tenant)}
    assert kinds == {"area_overdue", "action_item_overdue"}
