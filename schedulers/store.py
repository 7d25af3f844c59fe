"""What the scheduler keeps in PostgreSQL besides events: each MSP's planning rules, the last run
of each job, and the advisory locks that keep two scheduler processes off the same job.

Rules are the MSP's settings, recorded as ``CadenceRulesSet`` events with the day they take
effect (``commands.msp_settings``) and read here from the ``msp_settings`` read model. The JSON
document this store kept per MSP before that (the shape of ``default_rules.json``) is still read
for an MSP that never recorded rules as an event, so old tenants plan as they did; the plans
made with either are events, and each plan records the cadence it used. The run log moves
forward only: a job's last run is the latest scheduled time it completed, which is what
catch-up compares with.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from psycopg import Connection, Cursor
from psycopg.sql import SQL, Identifier
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from aggregates.cadence_rules import PlanningRules, default_rules
from projections.catalog import ProjectionReader
from projections.msp_settings import MspSettingsView

SCHEMA = "vcio_scheduler"


def job_lock_key(job_id: str) -> str:
    return f"vcio-scheduler-job:{job_id}"


class SchedulerStore:
    """Planning rules per MSP, the run log, and job locks, in the ``vcio_scheduler`` schema."""

    def __init__(self, pool: ConnectionPool[Connection[Any]]) -> None:
        self.pool = pool
        self._created = False

    def _table(self, name: str) -> Any:
        return SQL("{}.{}").format(Identifier(SCHEMA), Identifier(name))

    def ensure_created(self) -> None:
        if self._created:
            return
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-scheduler-schema'))")
            conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(SCHEMA)))
            conn.execute(SQL(
                "CREATE TABLE IF NOT EXISTS {} (tenant text PRIMARY KEY, rules jsonb NOT NULL,"
                " updated_by text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())"
            ).format(self._table("planning_rules")))
            conn.execute(SQL(
                "CREATE TABLE IF NOT EXISTS {} (job_id text PRIMARY KEY,"
                " fire_time timestamptz NOT NULL, finished_at timestamptz NOT NULL DEFAULT now(),"
                " summary text NOT NULL DEFAULT '')"
            ).format(self._table("job_runs")))
        self._created = True

    # --- planning rules ----------------------------------------------------------------------

    def rules_for(self, tenant: str, at: datetime | None = None) -> PlanningRules:
        """The MSP's rules in force at ``at`` (default now): recorded as a setting, else the
        document stored before settings were events, else the product's defaults."""
        recorded = MspSettingsView(ProjectionReader(self.pool)).cadence_rules(
            tenant, at or datetime.now(UTC))
        return self.stored_rules(tenant) if recorded is None else recorded

    def stored_rules(self, tenant: str, cur: Cursor[Any] | None = None) -> PlanningRules:
        """The rules of an MSP that recorded none as a setting: the document stored before
        settings were events, else the product's defaults. ``cur``: read in that cursor's
        transaction (a read of several things in one), not on a pooled connection of its own."""
        self.ensure_created()
        statement = SQL("SELECT rules::text FROM {} WHERE tenant = %s").format(
            self._table("planning_rules"))
        if cur is not None:
            row = cur.execute(statement, (tenant,)).fetchone()
        else:
            with self.pool.connection() as conn:
                row = conn.execute(statement, (tenant,)).fetchone()
        return PlanningRules.stored(row[0]) if row else default_rules()

    def save_rules(self, tenant: str, rules: PlanningRules, by: str) -> None:
        self.ensure_created()
        with self.pool.connection() as conn:
            conn.execute(SQL(
                "INSERT INTO {} (tenant, rules, updated_by) VALUES (%s, %s, %s)"
                " ON CONFLICT (tenant) DO UPDATE SET rules = excluded.rules,"
                " updated_by = excluded.updated_by, updated_at = now()"
            ).format(self._table("planning_rules")),
                (tenant, Jsonb(rules.model_dump(mode="json", exclude_none=True)), by))

    def reset_rules(self, tenant: str) -> None:
        """Back to the product's defaults."""
        self.ensure_created()
        with self.pool.connection() as conn:
            conn.execute(SQL("DELETE FROM {} WHERE tenant = %s").format(
                self._table("planning_rules")), (tenant,))

    # --- run log -----------------------------------------------------------------------------

    def last_run(self, job_id: str) -> datetime | None:
        self.ensure_created()
        with self.pool.connection() as conn:
            row = conn.execute(SQL("SELECT fire_time FROM {} WHERE job_id = %s").format(
                self._table("job_runs")), (job_id,)).fetchone()
        return row[0] if row else None

    def record_run(self, job_id: str, fire_time: datetime, summary: str = "") -> None:
        """Remember that the run scheduled for ``fire_time`` completed (never moves back)."""
        self.ensure_created()
        with self.pool.connection() as conn:
            conn.execute(SQL(
                "INSERT INTO {table} (job_id, fire_time, summary) VALUES (%s, %s, %s)"
                " ON CONFLICT (job_id) DO UPDATE SET fire_time = excluded.fire_time,"
                " summary = excluded.summary, finished_at = now()"
                " WHERE {table}.fire_time < excluded.fire_time"
            ).format(table=self._table("job_runs")), (job_id, fire_time, summary))

    # --- locks -------------------------------------------------------------------------------

    @contextmanager
    def job_lock(self, job_id: str) -> Iterator[bool]:
        """Try to take the job's lock for the block; yields False when another process has it."""
        with self.pool.connection() as conn:
            conn.autocommit = True
            acquired = bool(conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                         (job_lock_key(job_id),)).fetchone()[0])  # type: ignore[index]
            try:
                yield acquired
            finally:
                if acquired:
                    conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (job_lock_key(job_id),))
                conn.autocommit = False
