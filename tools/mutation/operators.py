"""Operator mutants for what mutmut leaves alone: decorated functions and module constants.

mutmut 3 mutates undecorated functions only (a decorator runs at definition time, and the
``@event`` methods of the aggregates are exactly where recorded state is set). This script
mutates, in the modules it is given:

- ``decorated``: the bodies of functions with a decorator other than a lone staticmethod or
  classmethod; ``all``: every function body (for a module whose tests mutmut would run in full
  for every mutant, such as the ledger loop, which every command passes through);
- always: module-level constants (numbers, strings, booleans, and tuples/sets of them).

Operators: comparison flips (``<`` / ``<=``, ``==`` / ``!=``, ``in`` / ``not in``, ``is`` /
``is not``), ``+`` / ``-``, ``*`` / ``/``, ``//`` / ``/``, ``and`` / ``or``, dropping ``not``,
numbers n -> n + 1, strings -> ``"XX" + s``, ``True`` / ``False``, an assignment's, return's or
keyword argument's value -> ``None``, ``break`` / ``continue``.

Each mutant runs in a forked child against the module's tests (``-x``: a failing test, or a
timeout, kills it). Most are applied in place to a parent that has imported the project and
collected the tests once; mutants whose original code already ran at import or collection
time, and constants read at import or imported by name elsewhere, are imported afresh in the
child as before (tools/mutation/operator_runs.py, tools/mutation/in_place.py; ``--fresh``
imports every mutant afresh, the slow reference). Results go to ``mutants/operators.json`` by
module and mutant name, which ``tools/mutation/score.py`` folds into the per-module scores.
"""

import argparse
import ast
import copy
import functools
import json
import os
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.mutation.operator_runs import (
    SURVIVED,
    InPlace,
    Mutant,
    fresh_import_run,
    import_libraries,
    probe,
    run_forked,
    test_files,
)

COMPARE_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
BINOP_FLIPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult,
}
RESULTS = Path("mutants") / "operators.json"


@dataclass(frozen=True)
class Site:
    """One place a mutant can be made: a node (by walk index) and the operator's description."""

    index: int
    line: int
    what: str


def _is_plain_decorated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    names = [d.id for d in node.decorator_list if isinstance(d, ast.Name)]
    if not node.decorator_list:
        return False
    return not (len(node.decorator_list) == 1 and names in (["staticmethod"], ["classmethod"]))


def _is_constant_value(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, type(None)) and not isinstance(node.value, bytes)
    if isinstance(node, ast.Tuple | ast.Set | ast.List):
        return all(_is_constant_value(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
            "frozenset", "Decimal", "UUID", "time", "date"):
        return all(_is_constant_value(a) for a in node.args) and not node.keywords
    return False


def _docstring_ids(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def target_nodes(tree: ast.Module, scope: str, skip_constants: frozenset[str] = frozenset(),
                 ) -> Iterator[tuple[str, ast.AST]]:
    """(where, node) for the nodes inside the mutated regions of the module, in a stable order;
    ``where`` is the enclosing function's qualified name, or ``constants``. ``skip_constants``
    names module constants left to other test tiers (the SQL text of a read model)."""

    def functions(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.FunctionDef]]:
        for statement in body:
            if isinstance(statement, ast.ClassDef):
                yield from functions(statement.body, f"{prefix}{statement.name}.")
            elif isinstance(statement, ast.FunctionDef):
                yield f"{prefix}{statement.name}", statement
                yield from functions(statement.body, f"{prefix}{statement.name}.")

    for where, function in functions(tree.body, ""):
        if scope == "all" or _is_plain_decorated(function):
            for statement in function.body:
                if isinstance(statement, ast.FunctionDef):
                    continue  # reached as its own function
                for node in ast.walk(statement):
                    yield where, node
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else (
            [statement.target] if isinstance(statement, ast.AnnAssign) else [])
        if any(isinstance(t, ast.Name) and t.id in skip_constants for t in targets):
            continue
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None \
                and _is_constant_value(statement.value):
            for node in ast.walk(statement.value):
                yield "constants", node


def mutations(node: ast.AST, docstrings: set[int]) -> Iterator[tuple[str, Any]]:
    """(description, mutate) pairs for one node; ``mutate`` edits a copy of the node in place."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARE_FLIPS:
                flipped = COMPARE_FLIPS[type(op)]
                yield (f"{type(op).__name__}->{flipped.__name__}",
                       lambda n, i=i, f=flipped: n.ops.__setitem__(i, f()))
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_FLIPS:
        flipped_op = BINOP_FLIPS[type(node.op)]
        yield f"{type(node.op).__name__}->{flipped_op.__name__}", lambda n: setattr(n, "op", flipped_op())
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield f"{type(node.op).__name__}->{other.__name__}", lambda n: setattr(n, "op", other())
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "drop not", "unwrap"
    elif isinstance(node, ast.Constant) and id(node) not in docstrings:
        value = node.value
        if isinstance(value, bool):
            yield f"{value}->{not value}", lambda n: setattr(n, "value", not n.value)
        elif isinstance(value, int | float):
            yield f"{value}->{value + 1}", lambda n: setattr(n, "value", n.value + 1)
        elif isinstance(value, str):
            yield f"{value[:20]!r}->'XX..'", lambda n: setattr(n, "value", "XX" + n.value + "XX")
    elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.Return) and \
            node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
        yield f"{type(node).__name__} value->None", lambda n: setattr(n, "value", ast.Constant(None))
    elif isinstance(node, ast.keyword) and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        yield f"{node.arg}=None", lambda n: setattr(n, "value", ast.Constant(None))
    elif isinstance(node, ast.Break):
        yield "break->continue", "continue"
    elif isinstance(node, ast.Continue):
        yield "continue->break", "break"


def mutants(source: str, scope: str, skip_constants: frozenset[str] = frozenset(),
            ) -> Iterator[tuple[str, str]]:
    """(name, mutated source) for every mutant of ``source``. A name is the enclosing function,
    the mutant's number within it and the operator (``Ledger.execute.3.LtE->Lt``), so editing
    one function renames only its own mutants."""
    tree = ast.parse(source)
    docstrings = _docstring_ids(tree)
    seen: set[int] = set()
    numbers: dict[str, int] = {}
    for where, node in target_nodes(tree, scope, skip_constants):
        if id(node) in seen:
            continue
        seen.add(id(node))
        for what, mutate in mutations(node, docstrings):
            numbers[where] = numbers.get(where, 0) + 1
            if mutate == "unwrap":
                replacement: ast.AST = copy.deepcopy(node.operand)  # type: ignore[attr-defined]
            elif mutate in ("break", "continue"):
                replacement = ast.Break() if mutate == "break" else ast.Continue()
                ast.copy_location(replacement, node)
            else:
                replacement = copy.deepcopy(node)
                mutate(replacement)
            yield f"{where}.{numbers[where]}.{what}", ast.unparse(_swap(tree, node, replacement))


def _swap(tree: ast.Module, node: ast.AST, replacement: ast.AST) -> ast.Module:
    """The tree with ``node`` replaced (a fresh copy each time; the original stays intact)."""
    memo: dict[int, Any] = {id(node): replacement}
    return copy.deepcopy(tree, memo)


def load_targets(pyproject: Path = Path("pyproject.toml")) -> dict[str, dict[str, Any]]:
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    targets: dict[str, dict[str, Any]] = config["tool"]["vcio-mutation"]["operators"]
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module paths (default: all configured)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument("--fresh", action="store_true",
                        help="import every mutant afresh (no in-place mutants): the slow reference")
    args = parser.parse_args(argv)
    targets = load_targets()
    chosen = [m for m in args.modules if m in targets] if args.modules else list(targets)
    originals = {relative: Path(relative).read_text(encoding="utf-8") for relative in chosen}
    if args.list:
        for relative in chosen:
            skip = frozenset(targets[relative].get("skip_constants", []))
            for name, _ in mutants(originals[relative], targets[relative]["scope"], skip):
                print(f"{relative}: {name}")
        return 0
    started = time.monotonic()
    for package in ("pytest", "pydantic", "eventsourcing.application", "hypothesis", "cryptography"):
        __import__(package)
    # Entry-point plugins (schemathesis, playwright) cost more than the tests; only
    # hypothesis's is needed here.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    planned: list[Mutant] = []
    for relative in chosen:
        target = targets[relative]
        skip = frozenset(target.get("skip_constants", []))
        module = relative[: -len(".py")].replace("/", ".")
        planned += [Mutant(relative, f"{module}.{name}", source, tuple(target["tests"]))
                    for name, source in mutants(originals[relative], target["scope"], skip)]
    if args.fresh:
        fresh, libraries = {m.name for m in planned}, list[str]()
    else:
        fresh, libraries = probe(planned, originals)
        import_libraries(libraries)
    print(f"operators: {len(planned)} mutants, {len(fresh)} to import afresh, the rest in place"
          f" (planned, {len(libraries)} library modules pre-imported, in"
          f" {time.monotonic() - started:.0f} s)", flush=True)
    by_name = run_forked([(m.name, functools.partial(fresh_import_run, m)) for m in planned
                          if m.name in fresh], args.jobs)
    print(f"operators: fresh imports done after {time.monotonic() - started:.0f} s", flush=True)
    in_place = [m for m in planned if m.name not in fresh]
    if in_place:
        runs = InPlace(in_place, test_files(planned))
        runs.session.freeze()
        by_name |= run_forked([(m.name, runs.job(m, originals[m.relative])) for m in in_place], args.jobs)
    print(f"operators: in place done after {time.monotonic() - started:.0f} s", flush=True)
    results: dict[str, dict[str, int]] = {}
    if RESULTS.exists():
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    for relative in chosen:
        results[relative] = {m.name: by_name[m.name] for m in planned if m.relative == relative}
        killed = sum(1 for code in results[relative].values() if code != SURVIVED)
        print(f"operators {relative}: {killed}/{len(results[relative])} killed", flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
