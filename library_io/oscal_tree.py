"""An OSCAL catalog (JSON or XML) as a small format-neutral tree.

Only what the library needs is kept: groups and controls with their ids, classes, titles,
properties, links and parts, and the catalog's parameters. Prose is kept line by line with
whitespace squashed; Markdown links (JSON) and ``<a>`` elements (XML) are reduced to their text,
so ``[SP 800-79-2](#1096...)`` reads "SP 800-79-2".
"""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

NS = "{http://csrc.nist.gov/ns/oscal/1.0}"
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKDOWN_STRONG = re.compile(r"\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*")


class CatalogError(ValueError):
    """The file is not an OSCAL catalog this reader understands."""


@dataclass(frozen=True)
class Part:
    name: str
    lines: tuple[str, ...]
    parts: tuple["Part", ...] = ()
    props: tuple[tuple[str, str], ...] = ()
    class_: str = ""

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
    class_: str = ""

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
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True)
class Catalog:
    title: str
    version: str
    groups: tuple[Group, ...]
    controls: tuple[Control, ...]
    params: dict[str, Param] = field(default_factory=dict)


def squash(text: str) -> str:
    return " ".join(text.split())


def plain(text: str) -> str:
    """Markdown links and emphasis reduced to their text."""
    return MARKDOWN_STRONG.sub(lambda m: m.group(1) or m.group(2), MARKDOWN_LINK.sub(r"\1", text))


# --- JSON ----------------------------------------------------------------------------------

def json_lines(prose: str | None) -> tuple[str, ...]:
    return tuple(squash(plain(line)) for line in (prose or "").splitlines() if line.strip())


def json_props(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((p["name"], str(p.get("value", ""))) for p in data.get("props", []))


def json_part(data: dict[str, Any]) -> Part:
    return Part(data.get("name", ""), json_lines(data.get("prose")),
                tuple(json_part(p) for p in data.get("parts", [])), json_props(data),
                data.get("class", ""))


def json_params(data: dict[str, Any], params: dict[str, Param]) -> None:
    for p in data.get("params", []):
        select = p.get("select") or {}
        params[p["id"]] = Param(label=squash(p.get("label", "")),
                                usage=squash(str(p.get("usage", ""))),
                                choices=tuple(squash(c) for c in select.get("choice", [])),
                                how_many=select.get("how-many", ""))


def json_control(data: dict[str, Any], params: dict[str, Param]) -> Control:
    json_params(data, params)
    return Control(
        id=data["id"], title=squash(plain(data.get("title", data["id"]))), props=json_props(data),
        links=tuple((link.get("rel", ""), link["href"]) for link in data.get("links", [])),
        parts=tuple(json_part(p) for p in data.get("parts", [])),
        controls=tuple(json_control(c, params) for c in data.get("controls", [])),
        class_=data.get("class", ""))


def json_group(data: dict[str, Any], params: dict[str, Param]) -> Group:
    json_params(data, params)
    return Group(squash(plain(data.get("title", data.get("id", "")))),
                 tuple(json_group(g, params) for g in data.get("groups", [])),
                 tuple(json_control(c, params) for c in data.get("controls", [])),
                 tuple(json_part(p) for p in data.get("parts", [])))


def read_json(text: str) -> Catalog:
    try:
        data = json.loads(text)["catalog"]
        params: dict[str, Param] = {}
        metadata = data.get("metadata", {})
        return Catalog(squash(plain(metadata.get("title", "OSCAL catalog"))),
                       str(metadata.get("version", "")),
                       tuple(json_group(g, params) for g in data.get("groups", [])),
                       tuple(json_control(c, params) for c in data.get("controls", [])), params)
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise CatalogError(f"not an OSCAL JSON catalog: {error!r}") from None


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
                tuple(xml_part(p) for p in element.findall(f"{NS}part")), xml_props(element),
                element.get("class", ""))


def xml_title(element: ET.Element) -> str:
    title = element.find(f"{NS}title")
    return squash(inline(title)) if title is not None else element.get("id", "")


def xml_params(element: ET.Element, params: dict[str, Param]) -> None:
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


def xml_control(element: ET.Element, params: dict[str, Param]) -> Control:
    xml_params(element, params)
    return Control(
        id=element.get("id", ""), title=xml_title(element), props=xml_props(element),
        links=tuple((link.get("rel", ""), link.get("href", ""))
                    for link in element.findall(f"{NS}link")),
        parts=tuple(xml_part(p) for p in element.findall(f"{NS}part")),
        controls=tuple(xml_control(c, params) for c in element.findall(f"{NS}control")),
        class_=element.get("class", ""))


def xml_group(element: ET.Element, params: dict[str, Param]) -> Group:
    xml_params(element, params)
    return Group(xml_title(element),
                 tuple(xml_group(g, params) for g in element.findall(f"{NS}group")),
                 tuple(xml_control(c, params) for c in element.findall(f"{NS}control")),
                 tuple(xml_part(p) for p in element.findall(f"{NS}part")))


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
