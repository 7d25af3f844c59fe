"""How to check an OSCAL control: its assessment objectives and methods (SP 800-53A, SP 800-171A)
and its implementation examples (CSF 2.0 writes them as ``guidance`` parts of class ``example``,
other catalogs as ``example`` parts). A control with none of those is checked against its own
statement, item by item, rather than with boilerplate."""

from collections.abc import Iterable

from library_io.oscal_tree import Control, Part


def lines_of(parts: Iterable[Part]) -> list[str]:
    return [line for part in parts for line in part.all_lines()]


def statement_lines(control: Control) -> list[str]:
    return lines_of(control.parts_named("statement"))


def examples(control: Control) -> list[str]:
    return lines_of(p for p in control.parts
                    if p.name == "example" or (p.name == "guidance" and p.class_ == "example"))


def assessment(control: Control) -> list[str]:
    objectives = lines_of(control.parts_named("assessment-objective"))
    methods = []
    for part in control.parts_named("assessment-method"):
        method = next((v for n, v in part.props if n == "method"), part.name).capitalize()
        objects = lines_of(part.parts)
        if objects:
            methods.append(f"{method}: {'; '.join(objects)}.")
    return [*(["Determine that:"] if objectives else []),
            *(f"- {line.removeprefix('- ')}" for line in objectives), *methods]


def how_to_check(control: Control, statement: list[str]) -> list[str]:
    found = assessment(control)
    shown = examples(control)
    if shown:
        found += ["Implementation examples to look for:",
                  *(f"- {line.removeprefix('- ')}" for line in shown)]
    if found:
        return found
    if len(statement) > 1:
        return ["Find evidence that each of these holds:",
                *(f"- {line.removeprefix('- ')}" for line in statement)]
    if statement:
        return [f"Find evidence that this holds: {statement[0]}"]
    return [f"Find evidence that {control.title} is in place."]
