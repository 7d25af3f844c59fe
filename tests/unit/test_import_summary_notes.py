"""What ``vcio standards import`` prints under its table: withdrawn controls apart from
retirements, the fields a revision changes, and objectivity warnings (capped)."""

from library_io.model import ImportSummary
from runtime.library_cli import MAX_WARNINGS, summary_notes


def test_withdrawn_controls_are_reported_as_imported_retired_not_as_retirements() -> None:
    summary = ImportSummary(created=["a"], withdrawn=["b", "c"])

    assert summary_notes(summary) == ["imported 2 withdrawn controls as retired"]


def test_a_dry_run_says_what_it_would_do_and_which_fields_a_revision_changes() -> None:
    summary = ImportSummary(revised=["FW-1"], withdrawn=["x"], changes={"FW-1": ["question"]},
                            dry_run=True)

    assert summary_notes(summary) == ["would import 1 withdrawn control as retired",
                                      "revises FW-1: question"]


def test_objectivity_warnings_are_listed_up_to_a_cap_then_counted() -> None:
    summary = ImportSummary(warnings=[(f"K-{n}", "bundles several checks") for n in range(25)])

    notes = summary_notes(summary)

    assert len(notes) == MAX_WARNINGS + 1
    assert notes[-1] == f"... and {25 - MAX_WARNINGS} more objectivity warnings"
