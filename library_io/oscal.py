"""Reading OSCAL catalogs (NIST's format, in JSON or XML) as library entries.

A catalog is read by its structure, not by one catalog's habits. Each control is either a
**grouping** or an **assessable** control:
- a control whose class is a grouping class (by default ``function`` and ``category``, the
  NIST CSF 2.0 habit), or that has no statement of its own but child controls that carry one,
  is a grouping: it becomes a category (its title the category name) and is never a standard;
- any other control is a standard; its enhancements (child controls) are standards of their
  own, except statement-only children of a control without a statement of its own (SP 800-171
  rev 3 keeps each requirement's text in a child "security requirement"), which merge into it.
``Shape`` lets a user override the choice by class (``--standard-class``, ``--group-class``).

Each standard's category is its innermost grouping's title; the whole path (groupings, then the
parent control of an enhancement) is kept as a ``section:`` authority reference when it says more
than the category. How to check comes from assessment objectives and methods and implementation
examples; why it matters from the guidance (links rendered as text), else the overview, else the
enclosing grouping's statement. A withdrawn control becomes a retired standard, replaced by the
standards its ``incorporated-into`` / ``moved-to`` links name (also written with underscores,
with or without ``#``, by id or sort id); ``addressed-by`` links are named in the reason only.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from events.vocabulary import Priority, ReviewFrequency, StandardStatus
from library_io.model import LibraryEntry, LibrarySource
from library_io.oscal_checks import how_to_check, lines_of, statement_lines
from library_io.oscal_tree import (
    NS,
    Catalog,
    CatalogError,
    Control,
    Group,
    Param,
    Part,
    read_json,
    read_xml,
)

__all__ = ["DEFAULT_GROUP_CLASSES", "NS", "CatalogError", "Shape", "catalog_source",
           "load_catalog", "read_catalog", "read_json", "read_xml"]

MAX_TEXT = 4000
MAX_CATEGORY = 80
MAX_KEY = 64
REPLACEMENT_RELS = frozenset({"incorporated-into", "incorporated_into", "moved-to", "moved_to"})
ADDRESSED_RELS = frozenset({"addressed-by", "addressed_by"})
OSCAL_MANAGED_FIELDS = frozenset({
    "category", "question", "how_to_check", "why_it_matters", "authority_references"})
DEFAULT_GROUP_CLASSES = frozenset({"function", "category"})
INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")


@dataclass(frozen=True)
class Shape:
    """Which control classes are groupings and which are standards. A class named in
    ``standard_classes`` is a standard even if it is also a grouping class; controls of other
    classes are judged by their structure."""

    group_classes: frozenset[str] = DEFAULT_GROUP_CLASSES
    standard_classes: frozenset[str] = frozenset()

    def merges_children(self, control: Control) -> bool:
        """No statement of its own, and only statement-only children: they are its text."""
        return (not statement_lines(control) and bool(control.controls)
                and all(self.statement_only(c) for c in control.controls))

    def statement_only(self, control: Control) -> bool:
        return (control.class_ not in self.standard_classes and not control.controls
                and not control.is_withdrawn and all(p.name == "statement" for p in control.parts))

    def is_grouping(self, control: Control) -> bool:
        if control.class_ in self.standard_classes:
            return False
        if control.class_ in self.group_classes:
            return True
        return (not statement_lines(control) and bool(control.controls)
                and not self.merges_children(control))


@dataclass(frozen=True)
class Place:
    """Where a standard sits: the groupings around it (with the innermost one's own text) and,
    for an enhancement, the control it enhances."""

    groupings: tuple[str, ...]
    context: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()

    def within(self, title: str, context: list[str]) -> "Place":
        return Place((*self.groupings, title), tuple(context) or self.context, self.parents)

    def under(self, control: Control) -> "Place":
        label = control.title if control.title.startswith(control.id) else (
            f"{control.id} {control.title}")
        return Place(self.groupings, self.context, (*self.parents, label))


def walk(catalog: Catalog, shape: Shape) -> Iterator[tuple[Place, Control]]:
    """Every standard-to-be with its place, parents before children."""
    def controls(place: Place, items: tuple[Control, ...]) -> Iterator[tuple[Place, Control]]:
        for control in items:
            if shape.is_grouping(control):
                text = statement_lines(control) or lines_of(control.parts_named("overview"))
                yield from controls(place.within(control.title, text), control.controls)
                continue
            yield place, control
            if not shape.merges_children(control):
                yield from controls(place.under(control), control.controls)

    def groups(place: Place, items: tuple[Group, ...]) -> Iterator[tuple[Place, Control]]:
        for group in items:
            inner = place.within(group.title, lines_of([p for p in group.parts
                                                        if p.name in ("overview", "statement")]))
            yield from controls(inner, group.controls)
            yield from groups(inner, group.groups)

    yield from controls(Place(()), catalog.controls)
    yield from groups(Place(()), catalog.groups)


def clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render(text: str, params: dict[str, Param], depth: int = 0) -> str:
    """Replace parameter inserts with ``[what the organisation defines]``."""
    def one(match: re.Match[str]) -> str:
        param = params.get(match.group(1))
        if param is None or depth > 3:
            return f"[{match.group(1)}]"
        if param.choices:
            choices = "; ".join(render(c, params, depth + 1) for c in param.choices)
            many = "one or more of" if param.how_many == "one-or-more" else "one of"
            return f"[{many}: {choices}]"
        return f"[{render(param.usage or param.label or match.group(1), params, depth + 1)}]"

    return INSERT.sub(one, text)


def statement(control: Control, shape: Shape) -> list[str]:
    if shape.merges_children(control):
        return [line for child in control.controls for line in statement_lines(child)]
    return statement_lines(control)


def guidance_parts(control: Control) -> list[Part]:
    return [p for p in control.parts_named("guidance") if p.class_ != "example"]


@dataclass
class CatalogReading:
    """Maps a catalog's controls to entries; resolves link targets given by id or sort id."""

    catalog: Catalog
    key_prefix: str = ""
    priority: Priority = Priority.MEDIUM
    review_frequency: ReviewFrequency = ReviewFrequency.ANNUAL
    shape: Shape = field(default_factory=Shape)
    aliases: dict[str, str] = field(default_factory=dict)

    def key(self, control_id: str) -> str:
        key = f"{self.key_prefix}{control_id}"
        if len(key) > MAX_KEY:
            raise CatalogError(f"control id {control_id!r} makes a key longer than {MAX_KEY}")
        return key

    def entries(self) -> tuple[LibraryEntry, ...]:
        controls = list(walk(self.catalog, self.shape))
        for _, control in controls:
            for alias in (control.id, control.prop("sort-id"), control.prop("label")):
                if alias:
                    self.aliases.setdefault(alias, control.id)
        return tuple(self.entry(place, control) for place, control in controls)

    def text(self, lines: list[str], separator: str = "\n") -> str:
        return clip(render(separator.join(lines), self.catalog.params))

    def question(self, control: Control) -> str:
        said = statement(control, self.shape)
        names_itself = control.title in (control.id, control.prop("label"), "")
        if not said:
            return control.title
        return " ".join(said) if names_itself else " ".join([f"{control.title}:", *said])

    def references(self, place: Place, control: Control) -> tuple[str, ...]:
        path = (*place.groupings, *place.parents)
        return (control.id, *([f"section: {' > '.join(path)}"] if len(path) > 1 else []))

    def entry(self, place: Place, control: Control) -> LibraryEntry:
        category = clip(place.groupings[-1] if place.groupings else self.catalog.title, MAX_CATEGORY)
        if control.is_withdrawn:
            return self.withdrawn(category, place, control)
        why = (lines_of(guidance_parts(control)) or lines_of(control.parts_named("overview"))
               or ([f"Part of {category}: {' '.join(place.context)}"] if place.context else [])
               or [f"Required by {self.catalog.title} ({control.id})."])
        return LibraryEntry(
            key=self.key(control.id), category=category,
            question=self.text([self.question(control)]),
            how_to_check=self.text(how_to_check(control, statement(control, self.shape))),
            why_it_matters=self.text(why), priority=self.priority,
            review_frequency=self.review_frequency,
            authority_references=self.references(place, control))

    def withdrawn(self, category: str, place: Place, control: Control) -> LibraryEntry:
        targets = [h.lstrip("#") for rel, h in control.links if rel in REPLACEMENT_RELS]
        replaced = list(dict.fromkeys(self.aliases[t] for t in targets if t in self.aliases))
        addressed = [h.lstrip("#") for rel, h in control.links if rel in ADDRESSED_RELS]
        reason = "; ".join([
            *([f"incorporated into {', '.join(targets)}"] if targets else []),
            *([f"addressed by {', '.join(addressed)}"] if addressed else [])])
        reason = f"withdrawn by the authority{': ' + reason if reason else ''}"
        return LibraryEntry(
            key=self.key(control.id), category=category,
            question=self.text([f"{self.question(control)} (withdrawn by the authority)"]),
            how_to_check="Not assessed: the authority withdrew this control.",
            why_it_matters=clip(reason[0].upper() + reason[1:] + "."),
            priority=self.priority, review_frequency=self.review_frequency,
            authority_references=self.references(place, control), status=StandardStatus.RETIRED,
            successors=tuple(self.key(r) for r in replaced),
            retired_reason=clip(reason))


def read_catalog(path: Path) -> Catalog:
    data = path.read_bytes()
    if path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{":
        return read_json(data.decode("utf-8"))
    return read_xml(data)


def catalog_source(catalog: Catalog, *, key_prefix: str = "", priority: Priority = Priority.MEDIUM,
                   review_frequency: ReviewFrequency = ReviewFrequency.ANNUAL,
                   shape: Shape | None = None) -> LibrarySource:
    """The catalog as library entries; a re-import revises only what the catalog governs."""
    reading = CatalogReading(catalog, key_prefix, priority, review_frequency, shape or Shape())
    title = " ".join(part for part in (catalog.title, catalog.version) if part)
    return LibrarySource(clip(title, 300), reading.entries(), OSCAL_MANAGED_FIELDS)


def load_catalog(path: Path, **options: Any) -> LibrarySource:
    """Read an OSCAL catalog file (JSON or XML) as library entries."""
    return catalog_source(read_catalog(path), **options)
