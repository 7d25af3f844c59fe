"""Builds the APScheduler process around the jobs: stable job ids, cron triggers, one instance
of a job at a time, and the two guards APScheduler does not give across processes.

- **Lock**: each run takes a PostgreSQL advisory lock named after its job; a second scheduler
  process finding it taken skips the run.
- **Run log**: each completed run records the scheduled time it ran for. A run whose time is
  already recorded is skipped, and on start every job whose latest scheduled time passed
  without a record runs once (however many runs were missed: coalesced), with ``now`` equal to
  that scheduled time, so its result is what the on-time run would have written. A job with no
  record at all (a first start) has nothing to catch up: the onboarding job plans whatever a
  missed yearly run would have.

Jobs always run with ``now`` = their scheduled time, never the wall clock at the moment the
thread got to them, so a late run (within ``misfire_grace_time``) also equals an on-time one.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from schedulers.jobs import LedgerServices, plan_annual, plan_onboarded
from schedulers.reminders import give_overdue_action_item_notices, give_review_reminders
from schedulers.store import SchedulerStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
JobBody = Callable[[LedgerServices, datetime], str]


@dataclass(frozen=True)
class SchedulerConfig:
    """When the jobs run (crontab expressions in ``timezone``) and how late they may still run.

    ``tenant`` restricts every job to one MSP (a process per MSP, or a test); ``job_prefix``
    names the jobs, their locks and their run-log rows.
    """

    annual_cron: str = "0 6 1 12 *"  # 06:00 on 1 December: next year's plan
    onboarding_cron: str = "5 * * * *"  # hourly: the rest of the year for new clients
    review_reminders_cron: str = "30 6 * * *"
    overdue_action_items_cron: str = "45 6 * * *"
    timezone: str = "UTC"
    misfire_grace_seconds: int = 14 * 24 * 3600
    catch_up_days: int = 400
    job_prefix: str = "vcio"
    tenant: str | None = None


@dataclass(frozen=True)
class Job:
    job_id: str
    trigger: CronTrigger
    body: JobBody


@dataclass(frozen=True)
class JobRun:
    job_id: str
    fire_time: datetime
    summary: str


def fire_times(trigger: CronTrigger, after: datetime, until: datetime) -> list[datetime]:
    """The trigger's times in (``after``, ``until``]."""
    times: list[datetime] = []
    moment = trigger.get_next_fire_time(None, after + timedelta(microseconds=1))
    while moment is not None and moment <= until:
        times.append(moment)
        moment = trigger.get_next_fire_time(moment, moment + timedelta(microseconds=1))
    return times


def latest_fire_time(trigger: CronTrigger, after: datetime, until: datetime) -> datetime | None:
    found = fire_times(trigger, after, until)
    return found[-1] if found else None


class LedgerScheduler:
    """The ledger's jobs on an APScheduler ``BackgroundScheduler``, guarded for many processes."""

    def __init__(self, services: LedgerServices, config: SchedulerConfig, clock: Clock) -> None:
        self.services = services
        self.config = config
        self.clock = clock
        self.store = SchedulerStore(services.pool)
        zone = ZoneInfo(config.timezone)
        annual = CronTrigger.from_crontab(config.annual_cron, timezone=zone)
        tenant = config.tenant

        def annual_job(services: LedgerServices, now: datetime) -> str:
            plan = plan_annual(services, now, tenant)
            planned = sum(p.outcome == "planned" for p in plan.clients)
            return f"{plan.year}: {planned} of {len(plan.clients)} clients planned"

        def onboarding_job(services: LedgerServices, now: datetime) -> str:
            this_years_run = annual.get_next_fire_time(None, datetime(now.year, 1, 1, tzinfo=zone))
            next_year_open = this_years_run is not None and this_years_run <= now
            return f"{len(plan_onboarded(services, now, next_year_open, tenant))} plans"

        def reminders_job(services: LedgerServices, now: datetime) -> str:
            return f"{give_review_reminders(services, now, tenant)} notices"

        def overdue_job(services: LedgerServices, now: datetime) -> str:
            return f"{give_overdue_action_item_notices(services, now, tenant)} notices"

        prefix = config.job_prefix
        # In this order on catch-up: the yearly plan before the onboarding job fills gaps.
        self.jobs = {job.job_id: job for job in (
            Job(f"{prefix}.annual-plan", annual, annual_job),
            Job(f"{prefix}.onboarding-plans",
                CronTrigger.from_crontab(config.onboarding_cron, timezone=zone), onboarding_job),
            Job(f"{prefix}.review-reminders",
                CronTrigger.from_crontab(config.review_reminders_cron, timezone=zone), reminders_job),
            Job(f"{prefix}.overdue-action-items",
                CronTrigger.from_crontab(config.overdue_action_items_cron, timezone=zone),
                overdue_job),
        )}
        self.scheduler = BackgroundScheduler(timezone=zone, job_defaults={
            "coalesce": True, "max_instances": 1,
            "misfire_grace_time": config.misfire_grace_seconds})

    # --- running one job -----------------------------------------------------------------------

    def run_job(self, job_id: str, fire_time: datetime | None = None) -> JobRun | None:
        """Run a job for ``fire_time`` (default: its latest scheduled time up to now), unless
        another process holds its lock or that time already ran. None when skipped."""
        job = self.jobs[job_id]
        if fire_time is None:
            now = self.clock()
            grace = timedelta(seconds=self.config.misfire_grace_seconds)
            fire_time = latest_fire_time(job.trigger, now - grace, now) or now
        with self.store.job_lock(job_id) as acquired:
            if not acquired:
                log.info("job %s: another scheduler is running it; skipped", job_id)
                return None
            last = self.store.last_run(job_id)
            if last is not None and last >= fire_time:
                return None
            summary = job.body(self.services, fire_time.astimezone(UTC))
            self.store.record_run(job_id, fire_time, summary)
        log.info("job %s for %s: %s", job_id, fire_time.isoformat(), summary)
        return JobRun(job_id, fire_time, summary)

    # --- catch-up after downtime -------------------------------------------------------------

    def missed_runs(self) -> list[tuple[str, datetime]]:
        """Per job with a run record, its latest scheduled time since that record, if any."""
        now = self.clock()
        window_start = now - timedelta(days=self.config.catch_up_days)
        missed = []
        for job in self.jobs.values():
            last = self.store.last_run(job.job_id)
            if last is None:
                continue
            latest = latest_fire_time(job.trigger, max(last, window_start), now)
            if latest is not None:
                missed.append((job.job_id, latest))
        return missed

    def catch_up(self) -> list[JobRun]:
        """Run each missed job once, for its latest missed time, in job order."""
        runs = [self.run_job(job_id, fire_time) for job_id, fire_time in self.missed_runs()]
        return [run for run in runs if run is not None]

    # --- the process -----------------------------------------------------------------------

    def start(self) -> None:
        """Catch up in the background, then follow the schedule."""
        self.scheduler.start()
        self.scheduler.add_job(self._catch_up_then_schedule, id=f"{self.config.job_prefix}.catch-up",
                               replace_existing=True)

    def _catch_up_then_schedule(self) -> None:
        try:
            self.catch_up()
        finally:
            for job in self.jobs.values():
                self.scheduler.add_job(self.run_job, job.trigger, args=(job.job_id,),
                                       id=job.job_id, name=job.job_id, replace_existing=True)

    def shutdown(self, wait: bool = True) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)


def build_scheduler(services: LedgerServices, config: SchedulerConfig | None = None,
                    clock: Clock | None = None) -> LedgerScheduler:
    """The scheduler for ``services`` (not started: call ``start()``)."""
    return LedgerScheduler(services, config or SchedulerConfig(),
                           clock or (lambda: datetime.now(UTC)))


def run_until_stopped(scheduler: LedgerScheduler, stop: threading.Event) -> None:
    """Run the scheduler in this process until ``stop`` is set (the ``vcio scheduler`` command)."""
    scheduler.start()
    try:
        stop.wait()
    finally:
        scheduler.shutdown()
