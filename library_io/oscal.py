"""Reading OSCAL catalogs (NIST's format, in JSON or XML) as library entries.

One standard per control: the category is the title of the control's innermost group, the
question its statement (parameters shown as ``[their description]``), how to check it from the
assessment objectives and methods (or, without those, the guidance part), why it matters from
the guidance (or the overview), and the authority reference and key from the control id.

Two catalog habits are handled explicitly:
- a control whose own statement is empty takes its statement from its child controls, which
  are then not standards of their own (SP 800-171 rev 3 keeps each requirement's text in a
  child "security requirement" control); other child controls (enhancements) are standards;
- a control with the ``status: withdrawn`` property becomes a retired standard, replaced by the
  controls of its ``incorporated-into`` / ``moved-to`` links when present (NIST also writes them
  with underscores, and points at sort ids rather than control ids). ``addressed-by`` links are
  named in the retirement reason but are not replacements.
"""

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from events.vocabulary import Priority, ReviewFrequency, StandardStatus
from library_io.model import LibraryEntry, LibrarySource

NS = "{http://csrc.nist.gov/ns/oscal/1.0}"
MAX_TEXT = 4000
MAX_CATEGORY = 80
MAX_KEY = 64
REPLACEMENT_RELS = frozenset({"incorporated-into", "incorporated_into", "moved-to", "moved_to"})
ADDRESSED_RELS = frozenset({"addressed-by", "addressed_by"})
OSCAL_MANAGED_FIELDS = frozenset({
    "category", "question", "how_to_check", "why_it_matters", "authority_references"})
INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")


class CatalogError(ValueError):
    """The file is not an OSCAL catalog this reader understands."""


# --- a format-neutral catalog tree ---------------------------------------------------------

@dataclass(frozen=True)
class Part:
    name: str
    lines: tuple[str, ...]
    parts: tuple["Part", ...] = ()
    props: tuple[tuple[str, str], ...] = ()

    def all_lines(self) -> list[str]:
        return [*self.lines, *(line for p in self.parts for line in p.all_lines())]


@dataclass(frozen=True)
class Param:
    label: str = ""
    usage: str = ""
    choices: tuple[str, ...] = ()
    how_many: str = ""


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    props: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...]
    parts: tuple[Part, ...]
    controls: tuple["Control", ...]

    def prop(self, name: str) -> str | None:
        return next((v for n, v in self.props if n == name), None)

    def parts_named(self, *names: str) -> list[Part]:
        return [p for p in self.parts if p.name in names]

    @property
    def is_withdrawn(self) -> bool:
        return (self.prop("status") or "").lower() == "withdrawn"


@dataclass(frozen=True)
class Group:
    title: str
    groups: tuple["Group", ...]
    controls: tuple[Control, ...]


@dataclass(frozen=True)
class Catalog:
    title: str
    version: str
    groups: tuple[Group, ...]
    controls: tuple[Control, ...]
    params: dict[str, Param] = field(default_factory=dict)


def squash(text: str) -> str:
    return " ".join(text.split())


# --- JSON ----------------------------------------------------------------------------------

def json_lines(prose: str | None) -> tuple[str, ...]:
    return tuple(squash(line) for line in (prose or "").splitlines() if line.strip())


def json_part(data: dict[str, Any]) -> Part:
    return Part(data.get("name", ""), json_lines(data.get("prose")),
                tuple(json_part(p) for p in data.get("parts", [])),
                tuple((p["name"], str(p.get("value", ""))) for p in data.get("props", [])))


def json_control(data: dict[str, Any], params: dict[str, Param]) -> Control:
    for p in data.get("params", []):
        select = p.get("select") or {}
        params[p["id"]] = Param(label=squash(p.get("label", "")),
                                usage=squash(str(p.get("usage", ""))),
                                choices=tuple(squash(c) for c in select.get("choice", [])),
                                how_many=select.get("how-many", ""))
    return Control(
        id=data["id"], title=squash(data.get("title", data["id"])),
        props=tuple((p["name"], str(p.get("value", ""))) for p in data.get("props", [])),
        links=tuple((link.get("rel", ""), link["href"]) for link in data.get("links", [])),
        parts=tuple(json_part(p) for p in data.get("parts", [])),
        controls=tuple(json_control(c, params) for c in data.get("controls", [])))


def json_group(data: dict[str, Any], params: dict[str, Param]) -> Group:
    return Group(squash(data.get("title", data.get("id", ""))),
                 tuple(json_group(g, params) for g in data.get("groups", [])),
                 tuple(json_control(c, params) for c in data.get("controls", [])))


def read_json(text: str) -> Catalog:
    try:
        data = json.loads(text)["catalog"]
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise CatalogError(f"not an OSCAL JSON catalog: {error}") from None
    params: dict[str, Param] = {}
    metadata = data.get("metadata", {})
    return Catalog(squash(metadata.get("title", "OSCAL catalog")), str(metadata.get("version", "")),
                   tuple(json_group(g, params) for g in data.get("groups", [])),
                   tuple(json_control(c, params) for c in data.get("controls", [])), params)


# --- XML -----------------------------------------------------------------------------------

def inline(element: ET.Element) -> str:
    """Element text with parameter inserts written the way OSCAL JSON writes them."""
    out = [element.text or ""]
    for child in element:
        if child.tag == f"{NS}insert":
            out.append(f"{{{{ insert: param, {child.get('id-ref')} }}}}")
        else:
            out.append(inline(child))
        out.append(child.tail or "")
    return "".join(out)


def xml_lines(element: ET.Element) -> tuple[str, ...]:
    lines: list[str] = []
    for child in element:
        tag = child.tag.removeprefix(NS)
        if tag in ("part", "prop", "link", "title"):
            continue
        if tag in ("ol", "ul"):
            lines.extend(f"- {squash(inline(li))}" for li in child if squash(inline(li)))
        elif squash(inline(child)):
            lines.append(squash(inline(child)))
    return tuple(lines)


def xml_props(element: ET.Element) -> tuple[tuple[str, str], ...]:
    return tuple((p.get("name", ""), p.get("value", "")) for p in element.findall(f"{NS}prop"))


def xml_part(element: ET.Element) -> Part:
    return Part(element.get("name", ""), xml_lines(element),
                tuple(xml_part(p) for p in element.findall(f"{NS}part")), xml_props(element))


def xml_control(element: ET.Element, params: dict[str, Param]) -> Control:
    for p in element.findall(f"{NS}param"):
        label = p.find(f"{NS}label")
        usage = p.find(f"{NS}usage")
        select = p.find(f"{NS}select")
        params[p.get("id", "")] = Param(
            label=squash(inline(label)) if label is not None else "",
            usage=" ".join(xml_lines(usage)) if usage is not None else "",
            choices=tuple(squash(inline(c)) for c in select.findall(f"{NS}choice"))
            if select is not None else (),
            how_many=select.get("how-many", "") if select is not None else "")
    title = element.find(f"{NS}title")
    return Control(
        id=element.get("id", ""),
        title=squash(inline(title)) if title is not None else element.get("id", ""),
        props=xml_props(element),
        links=tuple((link.get("rel", ""), link.get("href", ""))
                    for link in element.findall(f"{NS}link")),
        parts=tuple(xml_part(p) for p in element.findall(f"{NS}part")),
        controls=tuple(xml_control(c, params) for c in element.findall(f"{NS}control")))


def xml_group(element: ET.Element, params: dict[str, Param]) -> Group:
    title = element.find(f"{NS}title")
    return Group(squash(inline(title)) if title is not None else element.get("id", ""),
                 tuple(xml_group(g, params) for g in element.findall(f"{NS}group")),
                 tuple(xml_control(c, params) for c in element.findall(f"{NS}control")))


def read_xml(text: str | bytes) -> Catalog:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise CatalogError(f"not well-formed XML: {error}") from None
    if root.tag != f"{NS}catalog":
        raise CatalogError(f"not an OSCAL catalog: the root element is {root.tag}")
    params: dict[str, Param] = {}
    metadata = root.find(f"{NS}metadata")
    title = metadata.find(f"{NS}title") if metadata is not None else None
    version = metadata.find(f"{NS}version") if metadata is not None else None
    return Catalog(squash(inline(title)) if title is not None else "OSCAL catalog",
                   squash(version.text or "") if version is not None else "",
                   tuple(xml_group(g, params) for g in root.findall(f"{NS}group")),
                   tuple(xml_control(c, params) for c in root.findall(f"{NS}control")), params)


# --- from catalog to entries -----------------------------------------------------------------

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


def walk(catalog: Catalog) -> Iterator[tuple[str, Control]]:
    """Every control with its category (innermost group title), parents before children."""
    def controls(category: str, items: tuple[Control, ...]) -> Iterator[tuple[str, Control]]:
        for control in items:
            yield category, control
            if statement_lines(control):
                yield from controls(category, control.controls)

    def groups(items: tuple[Group, ...]) -> Iterator[tuple[str, Control]]:
        for group in items:
            yield from controls(group.title, group.controls)
            yield from groups(group.groups)

    yield from controls(catalog.title, catalog.controls)
    yield from groups(catalog.groups)


def statement_lines(control: Control) -> list[str]:
    return [line for part in control.parts_named("statement") for line in part.all_lines()]


def statement(control: Control) -> list[str]:
    own = statement_lines(control)
    if own:
        return own
    return [line for child in control.controls for line in statement_lines(child)]


def checks(control: Control) -> list[str]:
    objectives = [line for p in control.parts_named("assessment-objective") for line in p.all_lines()]
    methods = []
    for part in control.parts_named("assessment-method"):
        method = next((v for n, v in part.props if n == "method"), part.name).capitalize()
        objects = [line for p in part.parts for line in p.all_lines()]
        if objects:
            methods.append(f"{method}: {'; '.join(objects)}.")
    if not objectives and not methods:
        return []
    return ([*(["Determine that:"] if objectives else []),
             *(f"- {line.removeprefix('- ')}" for line in objectives), *methods])


@dataclass
class CatalogReading:
    """Maps a catalog's controls to entries; resolves link targets given by id or sort id."""

    catalog: Catalog
    key_prefix: str = ""
    priority: Priority = Priority.MEDIUM
    review_frequency: ReviewFrequency = ReviewFrequency.ANNUAL
    aliases: dict[str, str] = field(default_factory=dict)

    def key(self, control_id: str) -> str:
        key = f"{self.key_prefix}{control_id}"
        if len(key) > MAX_KEY:
            raise CatalogError(f"control id {control_id!r} makes a key longer than {MAX_KEY}")
        return key

    def entries(self) -> tuple[LibraryEntry, ...]:
        controls = list(walk(self.catalog))
        for _, control in controls:
            for alias in (control.id, control.prop("sort-id"), control.prop("label")):
                if alias:
                    self.aliases.setdefault(alias, control.id)
        return tuple(self.entry(category, control) for category, control in controls)

    def text(self, lines: list[str], separator: str = "\n") -> str:
        return clip(render(separator.join(lines), self.catalog.params))

    def entry(self, category: str, control: Control) -> LibraryEntry:
        if control.is_withdrawn:
            return self.withdrawn(category, control)
        said = statement(control)
        question = self.text([f"{control.title}:", *said] if said else [control.title], " ")
        guidance = [line for p in control.parts_named("guidance") for line in p.all_lines()]
        how = checks(control) or guidance
        overview = [line for p in control.parts_named("overview") for line in p.all_lines()]
        why = (guidance if how is not guidance else []) or overview or [control.title]
        return LibraryEntry(
            key=self.key(control.id), category=clip(category, MAX_CATEGORY), question=question,
            how_to_check=self.text(how or [f"Check the evidence that {control.title} is in place."]),
            why_it_matters=self.text(why), priority=self.priority,
            review_frequency=self.review_frequency, authority_references=(control.id,))

    def withdrawn(self, category: str, control: Control) -> LibraryEntry:
        targets = [h.lstrip("#") for rel, h in control.links if rel in REPLACEMENT_RELS]
        replaced = [self.aliases[t] for t in targets if t in self.aliases]
        addressed = [h.lstrip("#") for rel, h in control.links if rel in ADDRESSED_RELS]
        reason = "; ".join([
            *([f"incorporated into {', '.join(targets)}"] if targets else []),
            *([f"addressed by {', '.join(addressed)}"] if addressed else [])])
        reason = f"withdrawn by the authority{': ' + reason if reason else ''}"
        return LibraryEntry(
            key=self.key(control.id), category=clip(category, MAX_CATEGORY),
            question=clip(f"{control.title} (withdrawn by the authority)"),
            how_to_check="Not assessed: the authority withdrew this control.",
            why_it_matters=clip(reason[0].upper() + reason[1:] + "."),
            priority=self.priority, review_frequency=self.review_frequency,
            authority_references=(control.id,), status=StandardStatus.RETIRED,
            successors=tuple(self.key(r) for r in replaced),
            retired_reason=clip(reason))


def read_catalog(path: Path) -> Catalog:
    data = path.read_bytes()
    if path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{":
        return read_json(data.decode("utf-8"))
    return read_xml(data)


def catalog_source(catalog: Catalog, *, key_prefix: str = "", priority: Priority = Priority.MEDIUM,
                   review_frequency: ReviewFrequency = ReviewFrequency.ANNUAL) -> LibrarySource:
    """The catalog as library entries; a re-import revises only what the catalog governs."""
    reading = CatalogReading(catalog, key_prefix, priority, review_frequency)
    title = " ".join(part for part in (catalog.title, catalog.version) if part)
    return LibrarySource(clip(title, 300), reading.entries(), OSCAL_MANAGED_FIELDS)


def load_catalog(path: Path, **options: Any) -> LibrarySource:
    """Read an OSCAL catalog file (JSON or XML) as library entries."""
    return catalog_source(read_catalog(path), **options)
