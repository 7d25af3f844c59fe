"""Importing and exporting the library: OSCAL catalogs (XML and JSON) and round-trip CSV.

The expected numbers for NIST SP 800-171 rev 3 are counted here straight from the XML with
ElementTree, independently of the importer, and also pinned to what the catalog holds today.
"""

import xml.etree.ElementTree as ET
from pathlib import Path
from uuid import UUID

import pytest

from aggregates.errors import InvalidValueError
from aggregates.standard import Standard
from commands.bus import CommandBus
from commands.ledger import Ledger
from commands.results import Actor
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus
from library_io.csv_io import library_entries, read_csv, write_csv
from library_io.importer import LibraryImport, import_library
from library_io.model import LibraryEntry, LibrarySource
from library_io.oscal import NS, catalog_source, load_catalog, read_xml

DATA = Path(__file__).parents[1] / "data"
SP800_171 = DATA / "NIST_SP800-171_rev3_catalog.xml"
BASIC = DATA / "basic-catalog.json"


def committee(tenant: str) -> Actor:
    return Actor(tenant, "carla.committee", "committee")


def library(ledger: Ledger, actor: Actor, source: LibrarySource) -> list[Standard]:
    """The tenant's standards named by the source's keys, loaded from the ledger."""
    found = LibraryImport(CommandBus(ledger), actor, source, {})
    return [ledger.load_standard(actor, found.standard_id(e.key)) for e in source.entries]


def counted_from_xml(path: Path) -> tuple[int, int]:
    """(requirements, withdrawn requirements): the controls directly under the families."""
    root = ET.parse(path).getroot()
    controls = [c for group in root.iter(f"{NS}group") for c in group.findall(f"{NS}control")]
    withdrawn = [c for c in controls if any(
        p.get("name") == "status" and p.get("value") == "withdrawn" for p in c.findall(f"{NS}prop"))]
    return len(controls), len(withdrawn)


@pytest.fixture(scope="module")
def sp800_171() -> LibrarySource:
    return load_catalog(SP800_171)


def test_the_sp_800_171_rev3_catalog_imports_one_standard_per_requirement_retiring_the_withdrawn(
        memory_ledger: Ledger, tenant: str, sp800_171: LibrarySource) -> None:
    requirements, withdrawn = counted_from_xml(SP800_171)

    summary = import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)

    standards = library(memory_ledger, committee(tenant), sp800_171)
    retired = [s for s in standards if s.status is StandardStatus.RETIRED]
    assert (len(standards), len(retired)) == (requirements, withdrawn) == (130, 33)
    assert (len(summary.created), len(summary.withdrawn), len(summary.retired)) == (
        requirements - withdrawn, withdrawn, 0) == (97, 33, 0)
    assert all(s.status is StandardStatus.PUBLISHED for s in standards if s not in retired)


def test_an_imported_requirement_takes_its_family_statement_guidance_and_id(
        memory_ledger: Ledger, tenant: str, sp800_171: LibrarySource) -> None:
    import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)

    screening = next(s for s in library(memory_ledger, committee(tenant), sp800_171)
                     if s.key == "SP_800_171_03.09.01")

    assert screening.text.category == "Personnel Security"
    assert screening.text.question == (
        "Personnel Screening: Screen individuals prior to authorizing access to the system."
        " Rescreen individuals in accordance with [organization-defined conditions requiring"
        " rescreening].")
    assert screening.text.how_to_check.startswith(
        "Determine that:\n- individuals are screened prior to authorizing access to the system.")
    assert screening.text.why_it_matters.startswith("Personnel security screening activities")
    assert screening.text.authority_references == ("SP_800_171_03.09.01",)


def test_a_withdrawn_requirement_is_replaced_by_the_one_it_was_incorporated_into(
        memory_ledger: Ledger, tenant: str, sp800_171: LibrarySource) -> None:
    import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)
    by_key = {s.key: s for s in library(memory_ledger, committee(tenant), sp800_171)}

    merged, split = by_key["SP_800_171_03.01.14"], by_key["SP_800_171_03.04.07"]

    assert merged.successors == (by_key["SP_800_171_03.01.12"].id,)
    assert split.successors == (by_key["SP_800_171_03.04.06"].id, by_key["SP_800_171_03.04.08"].id)
    assert by_key["SP_800_171_03.01.13"].successors == ()  # only "addressed by" another


def test_reimporting_the_same_catalog_records_no_new_events(
        memory_ledger: Ledger, tenant: str, sp800_171: LibrarySource) -> None:
    import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)
    head = memory_ledger.recorder.max_notification_id()

    summary = import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)

    assert memory_ledger.recorder.max_notification_id() == head
    assert summary.counts == {"created": 0, "revised": 0, "published": 0, "retired": 0,
                              "withdrawn": 0, "unchanged": 130, "skipped": 0}


def newer_version(path: Path) -> bytes:
    """The catalog with 03.09.01's first item reworded and 03.09.02 withdrawn into 03.09.01."""
    ET.register_namespace("", NS.strip("{}"))
    tree = ET.parse(path)
    controls = {c.get("id"): c for c in tree.getroot().iter(f"{NS}control")}
    item = next(p for p in controls["SP_800_171_SR-03.09.01"].iter(f"{NS}p"))
    item.text = "Screen individuals before granting any access to the system."
    withdrawn = controls["SP_800_171_03.09.02"]
    for child in list(withdrawn):
        if child.tag != f"{NS}title":
            withdrawn.remove(child)
    ET.SubElement(withdrawn, f"{NS}prop", name="status", value="withdrawn")
    ET.SubElement(withdrawn, f"{NS}link", href="#SP_800_171_03.09.01", rel="incorporated-into")
    return ET.tostring(tree.getroot())


def test_importing_a_newer_catalog_version_revises_and_retires_instead_of_duplicating(
        memory_ledger: Ledger, tenant: str, sp800_171: LibrarySource) -> None:
    import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)
    newer = catalog_source(read_xml(newer_version(SP800_171)))

    summary = import_library(CommandBus(memory_ledger), committee(tenant), newer)

    by_key = {s.key: s for s in library(memory_ledger, committee(tenant), newer)}
    assert (summary.created, summary.revised, summary.retired) == (
        [], ["SP_800_171_03.09.01"], ["SP_800_171_03.09.02"])
    assert len(summary.unchanged) == 128
    revised = by_key["SP_800_171_03.09.01"]
    assert revised.revision == 2
    assert revised.text.question.startswith(
        "Personnel Screening: Screen individuals before granting any access to the system.")
    assert by_key["SP_800_171_03.09.02"].successors == (revised.id,)


def test_a_reimport_keeps_the_committees_own_priorities(
        memory_ledger: Ledger, tenant: str, sp800_171: LibrarySource) -> None:
    from commands.standards import ReviseStandard

    import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)
    screening = library(memory_ledger, committee(tenant), sp800_171)[0]
    CommandBus(memory_ledger).handle(ReviseStandard(
        standard_id=screening.id, changes={"priority": "high"}, reason="we screen contractors too"),
        committee(tenant))

    summary = import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)

    assert summary.revised == []
    assert memory_ledger.load_standard(committee(tenant), screening.id).text.priority is Priority.HIGH


def test_the_json_basic_catalog_imports_each_control_under_its_innermost_group(
        memory_ledger: Ledger, tenant: str) -> None:
    source = load_catalog(BASIC)

    summary = import_library(CommandBus(memory_ledger), committee(tenant), source)

    assert summary.created == ["s1.1.1", "s1.1.2", "s2.1.1", "s2.1.2"]
    assert [e.category for e in source.entries] == [
        "Internal Organization", "Internal Organization",
        "Business requirements of access control", "Business requirements of access control"]
    assert "[one or more of: initiating a device lock after [a duration] of inactivity;" in (
        source.entries[0].question)


# --- CSV ---------------------------------------------------------------------------------------

AWKWARD = LibraryEntry(
    key="FW-001", category="firewalls, edge", question='Is "deny all" the default rule?\nReally?',
    how_to_check="=HYPERLINK(\"http://evil\")", why_it_matters="'quoted' and -minus; é ✓",
    expected_answer=ExpectedAnswer.NO, priority=Priority.HIGH,
    review_frequency=ReviewFrequency.QUARTERLY, authority_references=("CIS 4.4", "NIST AC-4"),
    status=StandardStatus.RETIRED, successors=("FW-002", "FW-003"), retired_reason="+split in two")


def test_csv_export_then_import_gives_back_the_same_entries() -> None:
    text = write_csv([AWKWARD])

    assert read_csv(text).entries == (AWKWARD,)
    assert write_csv(read_csv(text).entries) == text


def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_inert() -> None:
    text = write_csv([AWKWARD])

    assert "'=HYPERLINK" in text
    assert ",=" not in text


def test_a_library_exported_to_csv_and_imported_into_another_tenant_exports_the_same_csv(
        memory_ledger: Ledger, sp800_171: LibrarySource) -> None:
    first, second = committee("msp-export-a"), committee("msp-export-b")
    import_library(CommandBus(memory_ledger), first, sp800_171)
    exported = write_csv(library_entries(library(memory_ledger, first, sp800_171)))
    source = read_csv(exported)

    summary = import_library(CommandBus(memory_ledger), second, source)

    assert write_csv(library_entries(library(memory_ledger, second, source))) == exported
    assert (len(summary.created), len(summary.withdrawn)) == (97, 33)


def test_reimporting_an_exported_csv_into_its_own_tenant_records_nothing(
        memory_ledger: Ledger, tenant: str, sp800_171: LibrarySource) -> None:
    import_library(CommandBus(memory_ledger), committee(tenant), sp800_171)
    exported = write_csv(library_entries(library(memory_ledger, committee(tenant), sp800_171)))
    head = memory_ledger.recorder.max_notification_id()

    import_library(CommandBus(memory_ledger), committee(tenant), read_csv(exported))

    assert memory_ledger.recorder.max_notification_id() == head


def test_a_csv_with_a_bad_row_is_refused_before_anything_is_recorded(
        memory_ledger: Ledger, tenant: str) -> None:
    plain = LibraryEntry(key="FW-010", category="firewalls", question="Is logging on?",
                         how_to_check="Look.", why_it_matters="Evidence.", priority=Priority.HIGH)
    header, row = write_csv([plain]).splitlines()
    text = "\r\n".join([header, row, row.replace("FW-010", "FW-011").replace(",high,", ",urgent,")])

    with pytest.raises(InvalidValueError) as refused:
        import_library(CommandBus(memory_ledger), committee(tenant), read_csv(text))

    assert "urgent" in refused.value.reason
    assert memory_ledger.recorder.max_notification_id() in (None, 0)


def test_a_standard_id_is_derived_from_tenant_and_key_so_two_imports_name_the_same_standard(
        memory_ledger: Ledger, tenant: str) -> None:
    source = LibrarySource("one row", (AWKWARD,))

    ids = {LibraryImport(CommandBus(memory_ledger), committee(tenant), source, {}).standard_id("FW-001")
           for _ in range(2)}

    assert len(ids) == 1 and isinstance(ids.pop(), UUID)
