"""The dry run: what an import would do, shown before anything is recorded."""

from dataclasses import replace
from pathlib import Path

from commands.bus import CommandBus
from commands.ledger import Ledger
from commands.results import Actor
from events.vocabulary import ExpectedAnswer, StandardStatus
from library_io.importer import import_library
from library_io.model import LibraryEntry, LibrarySource
from library_io.oscal import load_catalog
from library_io.plan import plan_import

DATA = Path(__file__).parents[1] / "data"
CSF = DATA / "csf-shaped-catalog.json"


def committee(tenant: str) -> Actor:
    return Actor(tenant, "carla.committee", "committee")


def entry(key: str, question: str, expected: ExpectedAnswer = ExpectedAnswer.YES) -> LibraryEntry:
    return LibraryEntry(key=key, category="firewalls", question=question, how_to_check="Look.",
                        why_it_matters="Evidence.", expected_answer=expected)


def test_a_dry_run_records_nothing(memory_ledger: Ledger, tenant: str) -> None:
    head = memory_ledger.recorder.max_notification_id()

    plan_import(memory_ledger, committee(tenant), load_catalog(CSF))

    assert memory_ledger.recorder.max_notification_id() == head


def test_a_dry_run_predicts_exactly_what_the_import_then_does(memory_ledger: Ledger, tenant: str) -> None:
    source = load_catalog(CSF)

    planned = plan_import(memory_ledger, committee(tenant), source)
    done = import_library(CommandBus(memory_ledger), committee(tenant), source)

    assert planned.dry_run and not done.dry_run
    assert (planned.created, planned.withdrawn) == (done.created, done.withdrawn)
    assert planned.counts == done.counts == {"created": 6, "revised": 0, "published": 0,
                                             "retired": 0, "withdrawn": 3, "unchanged": 0,
                                             "skipped": 0}


def test_a_dry_run_after_an_import_shows_only_what_changed_and_which_fields(
        memory_ledger: Ledger, tenant: str) -> None:
    first = LibrarySource("v1", (entry("FW-100", "Is the firewall supported?"),
                                 entry("FW-101", "Is logging on?")))
    import_library(CommandBus(memory_ledger), committee(tenant), first)
    second = LibrarySource("v2", (entry("FW-100", "Is the firewall supported by its vendor?"),
                                  first.entries[1], entry("FW-102", "Is IPS on?")))

    planned = plan_import(memory_ledger, committee(tenant), second)

    assert (planned.created, planned.revised, planned.unchanged) == (["FW-102"], ["FW-100"], ["FW-101"])
    assert planned.changes == {"FW-100": ["question"]}


def test_a_dry_run_shows_a_standard_in_force_that_the_source_withdraws_as_retired(
        memory_ledger: Ledger, tenant: str) -> None:
    source = LibrarySource("v1", (entry("FW-110", "Is the firewall supported?"),))
    import_library(CommandBus(memory_ledger), committee(tenant), source)
    withdrawing = LibrarySource("v2", (replace(source.entries[0], status=StandardStatus.RETIRED),))

    planned = plan_import(memory_ledger, committee(tenant), withdrawing)

    assert (planned.retired, planned.withdrawn) == (["FW-110"], [])


def test_the_import_summary_warns_about_questions_that_are_not_objective(
        memory_ledger: Ledger, tenant: str) -> None:
    source = LibrarySource("mixed", (
        entry("SW-100", "Is every unused switch port disabled?"),
        entry("SW-101", "What firmware do the switches run?"),
        entry("SW-102", "Is Telnet enabled on any switch?", ExpectedAnswer.NO)))

    summary = import_library(CommandBus(memory_ledger), committee(tenant), source)

    assert [key for key, _ in summary.warnings] == ["SW-101", "SW-102"]
