"""``vcio standards import`` on PostgreSQL: the dry run previews, the import records, a re-import
changes nothing, and the printed notes report withdrawn controls apart from retirements."""

from pathlib import Path
from typing import Any

import pytest

from commands.results import Actor
from library_io.oscal import load_catalog
from runtime.library_cli import run_import, summary_notes

pytestmark = pytest.mark.integration

CSF = Path(__file__).parents[1] / "data" / "csf-shaped-catalog.json"


def committee(tenant: str) -> Actor:
    return Actor(tenant, "carla.committee", "committee")


def test_a_dry_run_from_the_cli_previews_the_import_and_records_nothing(
        services: Any, tenant: str) -> None:
    head = services.ledger.recorder.max_notification_id()

    planned = run_import(services, committee(tenant), load_catalog(CSF), dry_run=True)

    assert services.ledger.recorder.max_notification_id() == head
    assert summary_notes(planned)[0] == "would import 3 withdrawn controls as retired"
    assert (len(planned.created), planned.dry_run) == (6, True)


def test_after_an_import_a_dry_run_of_the_same_file_shows_every_standard_unchanged(
        services: Any, tenant: str) -> None:
    done = run_import(services, committee(tenant), load_catalog(CSF))

    again = run_import(services, committee(tenant), load_catalog(CSF), dry_run=True)

    assert summary_notes(done)[0] == "imported 3 withdrawn controls as retired"
    assert again.counts == {"created": 0, "revised": 0, "published": 0, "retired": 0,
                            "withdrawn": 0, "unchanged": 9, "skipped": 0}
