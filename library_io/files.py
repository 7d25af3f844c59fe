"""The entry points the CLI and the API share: read an uploaded file as library entries, find
the keys already in a tenant's library, and write the library out as CSV."""

from collections.abc import Iterable
from enum import Enum
from uuid import UUID

from aggregates.errors import InvalidValueError
from commands.ledger import Ledger
from commands.results import Actor
from events.vocabulary import Priority, ReviewFrequency
from library_io.csv_io import library_entries, read_csv, write_csv
from library_io.model import LibrarySource
from library_io.oscal import CatalogError, Shape, catalog_source, read_json, read_xml


class LibraryFormat(Enum):
    CSV = "csv"
    OSCAL_JSON = "oscal-json"
    OSCAL_XML = "oscal-xml"


def guess_format(filename: str, data: bytes) -> LibraryFormat:
    """By extension, else by the first character of the content."""
    name = filename.lower()
    if name.endswith(".csv"):
        return LibraryFormat.CSV
    if name.endswith(".json"):
        return LibraryFormat.OSCAL_JSON
    if name.endswith(".xml"):
        return LibraryFormat.OSCAL_XML
    start = data.lstrip()[:1]
    return {b"{": LibraryFormat.OSCAL_JSON, b"<": LibraryFormat.OSCAL_XML}.get(start, LibraryFormat.CSV)


def read_library_file(filename: str, data: bytes, file_format: LibraryFormat | None = None, *,
                      key_prefix: str = "", priority: Priority = Priority.MEDIUM,
                      review_frequency: ReviewFrequency = ReviewFrequency.ANNUAL,
                      shape: Shape | None = None) -> LibrarySource:
    """Entries of an OSCAL catalog or a CSV library; the options apply to OSCAL only (a CSV
    states priorities and frequencies itself). ``shape`` names the control classes that are
    categories or standards (default: by class ``function`` / ``category``, else structure)."""
    chosen = file_format or guess_format(filename, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValueError("file", "is not UTF-8 text") from None
    if chosen is LibraryFormat.CSV:
        return read_csv(text, title=f"CSV file {filename}")
    try:
        catalog = read_json(text) if chosen is LibraryFormat.OSCAL_JSON else read_xml(data)
        return catalog_source(catalog, key_prefix=key_prefix, priority=priority,
                              review_frequency=review_frequency, shape=shape)
    except CatalogError as error:
        raise InvalidValueError("file", str(error)) from None


def library_keys(standards: Iterable[tuple[str, UUID, str]]) -> dict[str, UUID]:
    """Key -> standard from (key, id, status) rows of the library read model; where a key is
    used twice, the standard not retired wins."""
    keys: dict[str, UUID] = {}
    for key, standard_id, _status in sorted(standards, key=lambda s: s[2] != "retired"):
        keys[key] = standard_id
    return keys


def export_csv(ledger: Ledger, actor: Actor, standard_ids: Iterable[UUID]) -> str:
    """The named standards as they stand in the ledger, as CSV text."""
    return write_csv(library_entries(ledger.load_standard(actor, i) for i in standard_ids))
