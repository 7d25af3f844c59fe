"""CSV export and import of a standards library, round-trip safe.

One row per standard, keyed by ``key`` (ids are not exported: they mean nothing in another
tenant). Lists (authority references, the keys replacing a retired standard) are written one
item per line inside their cell. A cell that a spreadsheet would run as a formula (starting
with ``= + - @``, a tab or a carriage return) is written with a leading apostrophe, and so is a
cell that itself starts with an apostrophe; reading removes exactly one, so export -> import ->
export gives back the same bytes and the same library.
"""

import csv
import io
from collections.abc import Iterable
from uuid import UUID

from aggregates.errors import InvalidValueError
from aggregates.standard import Standard
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus
from library_io.model import ALL_TEXT_FIELDS, LibraryEntry, LibrarySource

COLUMNS = ("key", "status", "category", "question", "expected_answer", "priority",
           "review_frequency", "how_to_check", "why_it_matters", "authority_references",
           "replaced_by", "retired_reason")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def protect(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def unprotect(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def entry_row(entry: LibraryEntry) -> list[str]:
    values = {
        "key": entry.key, "status": entry.status.value, "category": entry.category,
        "question": entry.question, "expected_answer": entry.expected_answer.value,
        "priority": entry.priority.value, "review_frequency": entry.review_frequency.value,
        "how_to_check": entry.how_to_check, "why_it_matters": entry.why_it_matters,
        "authority_references": "\n".join(entry.authority_references),
        "replaced_by": "\n".join(entry.successors), "retired_reason": entry.retired_reason,
    }
    return [protect(values[column]) for column in COLUMNS]


def write_csv(entries: Iterable[LibraryEntry]) -> str:
    """The library as CSV text (header first, rows ordered by category then key)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in sorted(entries, key=lambda e: (e.category, e.key)):
        writer.writerow(entry_row(entry))
    return out.getvalue()


def lines(cell: str) -> tuple[str, ...]:
    return tuple(item for item in cell.split("\n") if item)


def row_entry(row: dict[str, str]) -> LibraryEntry:
    cell = {column: unprotect(row.get(column) or "") for column in COLUMNS}
    return LibraryEntry(
        key=cell["key"], category=cell["category"], question=cell["question"],
        how_to_check=cell["how_to_check"], why_it_matters=cell["why_it_matters"],
        expected_answer=ExpectedAnswer(cell["expected_answer"] or "yes"),
        priority=Priority(cell["priority"] or "medium"),
        review_frequency=ReviewFrequency(cell["review_frequency"] or "annual"),
        authority_references=lines(cell["authority_references"]),
        status=StandardStatus(cell["status"] or "published"),
        successors=lines(cell["replaced_by"]), retired_reason=cell["retired_reason"])


def read_csv(text: str, title: str = "CSV library") -> LibrarySource:
    """Library entries from CSV text; every row is checked before any is returned."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    missing = {"key", "category", "question"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidValueError("file", f"the CSV header lacks {', '.join(sorted(missing))}")
    entries: list[LibraryEntry] = []
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        try:
            entries.append(row_entry(row))
        except ValueError as error:
            problems.append(f"line {number}: {error}")
    if problems:
        raise InvalidValueError("file", " | ".join(problems[:20]))
    return LibrarySource(title, tuple(entries), ALL_TEXT_FIELDS)


def standard_entry(standard: Standard, keys: dict[UUID, str]) -> LibraryEntry:
    """A standard aggregate as it stands now, as a library entry (successors by key)."""
    text = standard.text
    return LibraryEntry(
        key=standard.key, category=text.category, question=text.question,
        how_to_check=text.how_to_check, why_it_matters=text.why_it_matters,
        expected_answer=text.expected_answer, priority=text.priority,
        review_frequency=text.review_frequency, authority_references=text.authority_references,
        status=standard.status, successors=tuple(keys[s] for s in standard.successors if s in keys),
        retired_reason=standard.retired_reason or "")


def library_entries(standards: Iterable[Standard]) -> list[LibraryEntry]:
    """Entries for a whole library; successors outside ``standards`` are left out."""
    items = list(standards)
    keys = {s.id: s.key for s in items}
    return [standard_entry(s, keys) for s in items]
