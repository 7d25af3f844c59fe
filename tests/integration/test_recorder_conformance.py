"""The eventsourcing library's own recorder test cases, run against our event store.

``ApplicationRecorderTestCase`` and ``NonInterleavingNotificationIDsBaseCase`` (eventsourcing
9.5.6, ``eventsourcing.tests.persistence``) are subclassed to construct
``runtime.event_store:PostgresLedgerRecorder`` on the embedded PostgreSQL, in the variants the
library runs for its own recorder: public schema with UUID ids, another schema, text ids.
Each test gets a table of its own (the cases expect notification ids from 1) in a database of
this module's own, so the connection-kill cases terminate only this module's connections.

Not applicable, so not run: ``AggregateRecorderTestCase`` (it expects ``insert_events`` to
answer None; an application recorder answers notification ids), ``TrackingRecorderTestCase``
and ``ProcessRecorderTestCase`` (this recorder keeps no tracking records: read models keep
their positions in their own schemas), and the library's database-function variant (refused
at start-up, see test_enable_db_functions_is_refused_when_the_store_is_built).
"""

import uuid
from typing import Any

import pytest
from eventsourcing.tests import persistence as library

from tests.integration.recorder_setup import LedgerRecorderSetup, conformance_db  # noqa: F401

pytestmark = pytest.mark.integration


class TestLedgerRecorderAsApplicationRecorder(LedgerRecorderSetup,
                                              library.ApplicationRecorderTestCase[Any]):
    def test_concurrent_no_conflicts(self, initial_position: int = 0) -> None:
        self.with_pool_of(12)  # ten writers and two readers, as the library's own run
        super().test_concurrent_no_conflicts(initial_position)

    def test_concurrent_throughput(self) -> None:
        self.with_pool_of(10)
        super().test_concurrent_throughput()

    def test_insert_subscribe(self) -> None:
        self.with_pool_of(2)  # the subscription's LISTEN holds one connection
        self.optional_test_insert_subscribe()


class TestLedgerRecorderAsApplicationRecorderInAnotherSchema(
        TestLedgerRecorderAsApplicationRecorder):
    schema = "conformance_schema"


class TestLedgerRecorderAsApplicationRecorderWithTextIds(
        TestLedgerRecorderAsApplicationRecorder):
    originator_id_type = "text"

    def new_originator_id(self) -> str:
        return str(uuid.uuid4())


class TestLedgerRecorderNotificationIdsDoNotInterleave(
        LedgerRecorderSetup, library.NonInterleavingNotificationIDsBaseCase):
    pool_size = 2
