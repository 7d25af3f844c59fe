"""OSCAL catalogs read by their structure: one fixture per catalog shape, counted by hand.

tests/data/csf-shaped-catalog.json (our own wording in NIST CSF 2.0's shape):
    group GOVERN (function)
        GV.OC category with a statement:      GV.OC-01 (2 guidance examples), GV.OC-02 (1 example part)
        GV.RR category, empty statement:      GV.RR-01 (1 example), GV.RR-02 (statement only)
    group PROTECT (function)
        PR.AA category with a statement:      PR.AA-01, PR.AA-02
        PR.IP category withdrawn, no statement: PR.IP-01, PR.IP-04 (withdrawn; PR.IP-04 -> PR.AA-02 and
                                               the category GV.RR)
        PR.MA category withdrawn:             PR.MA-01 (withdrawn -> GV.RR-01)
    => 6 standards in force, 3 withdrawn, 3 categories in force (+2 that hold only withdrawn ones)

tests/data/sp800-53-shaped-catalog.json (our own wording in SP 800-53's shape):
    family Access Control:          ac-1, ac-2 (+ enhancements ac-2.1, ac-2.2, withdrawn ac-2.10 -> ac-2),
                                    withdrawn ac-13 -> ac-2, au-6
    family Audit and Accountability: au-2 (assessment objective and method), au-6 (+ enhancement au-6.1)
    => 7 standards in force, 2 withdrawn, 2 categories
"""

import json
from pathlib import Path
from typing import Any

import pytest

from commands.bus import CommandBus
from commands.ledger import Ledger
from commands.results import Actor
from events.vocabulary import StandardStatus
from library_io.importer import LibraryImport, import_library
from library_io.model import LibraryEntry, LibrarySource
from library_io.oscal import Shape, catalog_source, load_catalog, read_json

DATA = Path(__file__).parents[1] / "data"
CSF = DATA / "csf-shaped-catalog.json"
SP800_53 = DATA / "sp800-53-shaped-catalog.json"
CSF_CATEGORIES_AND_FUNCTIONS = {"GV", "PR", "GV.OC", "GV.RR", "PR.AA", "PR.IP", "PR.MA"}


def committee(tenant: str) -> Actor:
    return Actor(tenant, "carla.committee", "committee")


def in_force(source: LibrarySource) -> list[LibraryEntry]:
    return [e for e in source.entries if e.status is StandardStatus.PUBLISHED]


def withdrawn(source: LibrarySource) -> list[LibraryEntry]:
    return [e for e in source.entries if e.status is StandardStatus.RETIRED]


def by_key(source: LibrarySource) -> dict[str, LibraryEntry]:
    return {e.key: e for e in source.entries}


def test_a_csf_shaped_catalog_imports_subcategories_as_standards_and_withdrawn_ones_apart(
        memory_ledger: Ledger, tenant: str) -> None:
    source = load_catalog(CSF)

    summary = import_library(CommandBus(memory_ledger), committee(tenant), source)

    assert (len(summary.created), len(summary.withdrawn), len(summary.retired)) == (6, 3, 0)
    assert {e.category for e in in_force(source)} == {
        "Organizational Context", "Roles and Responsibilities", "Identity Management and Access Control"}


def test_a_csf_category_with_subcategories_is_never_imported_as_a_standard() -> None:
    source = load_catalog(CSF)

    assert CSF_CATEGORIES_AND_FUNCTIONS.isdisjoint(e.key for e in source.entries)


def test_a_csf_subcategory_asks_its_own_outcome_and_is_checked_by_its_examples() -> None:
    mission = by_key(load_catalog(CSF))["GV.OC-01"]

    assert mission.question == "The business mission shapes how cyber risk is managed"
    assert mission.how_to_check == (
        "Implementation examples to look for:\n"
        "- Write down the mission and share it with those who manage cyber risk\n"
        "- Use the mission to rank which risks matter most")
    assert mission.why_it_matters == (
        "Part of Organizational Context: The business context around cyber risk decisions is understood")
    assert mission.authority_references == ("GV.OC-01", "section: GOVERN > Organizational Context")


def test_an_example_part_is_read_as_an_implementation_example_too() -> None:
    obligations = by_key(load_catalog(CSF))["GV.OC-02"]

    assert obligations.how_to_check.endswith(
        "- Keep a register of legal and contractual security obligations")


def test_a_withdrawn_subcategory_is_replaced_only_by_standards_not_by_a_category() -> None:
    backups = by_key(load_catalog(CSF))["PR.IP-04"]

    assert (backups.status, backups.successors) == (StandardStatus.RETIRED, ("PR.AA-02",))


def functions_as_controls(path: Path) -> str:
    """The same catalog with each function written as a top-level control of class function."""
    data: dict[str, Any] = json.loads(path.read_text())
    groups = data["catalog"].pop("groups")
    data["catalog"]["controls"] = [{**g, "parts": []} for g in groups]
    return json.dumps(data)


def test_functions_written_as_controls_of_class_function_are_categories_too() -> None:
    source = catalog_source(read_json(functions_as_controls(CSF)))

    assert (len(in_force(source)), len(withdrawn(source))) == (6, 3)
    assert by_key(source)["GV.OC-01"].authority_references[1] == "section: GOVERN > Organizational Context"


def test_naming_category_a_standard_class_imports_categories_as_standards_as_well() -> None:
    source = load_catalog(CSF, shape=Shape(standard_classes=frozenset({"category"})))

    assert (len(in_force(source)), len(withdrawn(source))) == (6 + 3, 3 + 2)
    assert by_key(source)["GV.RR"].question == "Roles and Responsibilities"


def test_an_800_53_shaped_catalog_keeps_enhancements_as_standards_of_their_own(
        memory_ledger: Ledger, tenant: str) -> None:
    source = load_catalog(SP800_53)

    summary = import_library(CommandBus(memory_ledger), committee(tenant), source)

    assert summary.created == ["ac-1", "ac-2", "ac-2.1", "ac-2.2", "au-2", "au-6", "au-6.1"]
    assert summary.withdrawn == ["ac-2.10", "ac-13"]
    assert {e.category for e in source.entries} == {"Access Control", "Audit and Accountability"}
    assert by_key(source)["ac-2.1"].authority_references == (
        "ac-2.1", "section: Access Control > ac-2 Account Management")


def test_800_53_guidance_becomes_why_it_matters_with_links_as_plain_text() -> None:
    policy = by_key(load_catalog(SP800_53))["ac-1"]

    assert policy.why_it_matters == ("The policy sets the rules the other access controls follow."
                                     " See SP 800-12 and SP 800-100 for background.")


def test_800_53_parameters_are_shown_in_the_question_and_the_check() -> None:
    policy = by_key(load_catalog(SP800_53))["ac-1"]

    assert "Review the policy [one or more of: every [frequency]; after a security incident]." in (
        policy.question)
    assert policy.how_to_check.startswith(
        "Find evidence that each of these holds:\n"
        "- Write an access control policy and share it with [personnel or roles].")


def test_800_53_assessment_objectives_and_methods_become_how_to_check() -> None:
    logging = by_key(load_catalog(SP800_53))["au-2"]

    assert logging.how_to_check == (
        "Determine that:\n- the event types the system can log are identified;\n"
        "- the selected event types are logged.\n"
        "Examine: audit and accountability policy; list of logged event types.")


def test_a_withdrawn_control_incorporated_into_two_is_split_between_them(
        memory_ledger: Ledger, tenant: str) -> None:
    source = load_catalog(SP800_53)
    import_library(CommandBus(memory_ledger), committee(tenant), source)
    found = LibraryImport(CommandBus(memory_ledger), committee(tenant), source, {})

    supervision = memory_ledger.load_standard(committee(tenant), found.standard_id("ac-13"))

    assert supervision.successors == (found.standard_id("ac-2"), found.standard_id("au-6"))


def test_naming_the_base_control_class_a_group_class_makes_controls_categories_of_enhancements() -> None:
    source = load_catalog(SP800_53, shape=Shape(group_classes=frozenset({"SP800-53"})))

    assert [e.key for e in in_force(source)] == ["ac-2.1", "ac-2.2", "au-6.1"]
    assert [e.key for e in withdrawn(source)] == ["ac-2.10"]
    assert by_key(source)["au-6.1"].category == "Audit Record Review, Analysis, and Reporting"


@pytest.mark.parametrize("path", [CSF, SP800_53, DATA / "NIST_SP800-171_rev3_catalog.xml"],
                         ids=["csf", "sp800-53", "sp800-171"])
def test_reimporting_each_catalog_shape_records_nothing(
        memory_ledger: Ledger, tenant: str, path: Path) -> None:
    source = load_catalog(path)
    import_library(CommandBus(memory_ledger), committee(tenant), source)
    head = memory_ledger.recorder.max_notification_id()

    again = import_library(CommandBus(memory_ledger), committee(tenant), source)

    assert memory_ledger.recorder.max_notification_id() == head
    assert len(again.unchanged) == len(source.entries)
