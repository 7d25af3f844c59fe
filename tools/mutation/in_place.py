"""Applying an operator mutant inside an already imported process, when that is exact.

The operator script used to import the whole project afresh for every mutant (a mutated module
cannot simply be re-imported: the modules that imported it keep the original). Most mutants
change one function body; such a mutant can be applied to the imported process by giving the
live function objects the mutated code (``function.__code__``), which every decorator, alias and
subclass reaches. That is exact only when the original code has not already run before the
fork (at import or collection time, whose results could be baked into module state): those
mutants, and module constants read outside function bodies or bound by name in another module,
keep the fresh import. ``plan`` tells which is which; ``apply`` makes a planned mutant live.
"""

import ast
import functools
import types
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FUNCTION_FLAGS = 0x0001 | 0x0002  # CO_OPTIMIZED | CO_NEWLOCALS: a function's code, not a class body


@dataclass(frozen=True)
class FunctionSwap:
    """Give the ``ordinal``-th function named ``qualname`` in the module the ``code``."""

    qualname: str
    ordinal: int
    code: types.CodeType


@dataclass(frozen=True)
class ConstantSwap:
    """Bind the module global ``name`` to the value of ``expression`` (mutated source)."""

    name: str
    expression: str


Swap = FunctionSwap | ConstantSwap


def _code_children(code: types.CodeType) -> list[types.CodeType]:
    return [c for c in code.co_consts if isinstance(c, types.CodeType)]


def _without_children(code: types.CodeType) -> types.CodeType:
    """The code with its nested code objects and its positions blanked: a changed function
    moves the end column of its ``def`` in the enclosing body's position table, nothing else."""
    consts = tuple(None if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_consts=consts, co_linetable=b"")


def _same(one: types.CodeType, other: types.CodeType) -> bool:
    """Equal code, positions aside."""
    children, other_children = _code_children(one), _code_children(other)
    return _without_children(one) == _without_children(other) and len(children) == len(other_children) \
        and all(_same(a, b) for a, b in zip(children, other_children, strict=True))


def _function_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """The outermost function code objects under a module's code, in source order."""
    for child in _code_children(code):
        if child.co_flags & FUNCTION_FLAGS == FUNCTION_FLAGS:
            yield child
        else:
            yield from _function_codes(child)


CodePairs = list[tuple[types.CodeType, types.CodeType]]


def _changed_functions(base: types.CodeType, mutated: types.CodeType) -> tuple[CodePairs, bool]:
    """(original, mutated) pairs of the outermost functions that differ, and whether code
    outside any function (module or class body) differs too."""
    if _without_children(base) != _without_children(mutated):
        return [], True
    base_children, mutated_children = _code_children(base), _code_children(mutated)
    if len(base_children) != len(mutated_children):
        return [], True
    changed: CodePairs = []
    outside = False
    for original, mutant in zip(base_children, mutated_children, strict=True):
        if _same(original, mutant):
            continue
        if original.co_flags & FUNCTION_FLAGS == FUNCTION_FLAGS:
            changed.append((original, mutant))
        else:
            inner, inner_outside = _changed_functions(original, mutant)
            changed += inner
            outside = outside or inner_outside
    return changed, outside


def _loads_outside_functions(tree: ast.Module, name: str, skip: ast.stmt) -> bool:
    """Whether ``name`` is read by code that runs at import: module or class level, decorators,
    defaults, annotations (anything but a function's body)."""

    def visit(node: ast.AST) -> bool:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            outside = [*node.decorator_list, node.args, *([node.returns] if node.returns else [])]
            return any(visit(n) for n in outside)
        if isinstance(node, ast.Lambda):
            return visit(node.args)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            return True
        return any(visit(child) for child in ast.iter_child_nodes(node))

    return any(visit(statement) for statement in tree.body if statement is not skip)


def _changed_constant(base: ast.Module, mutated: ast.Module) -> ConstantSwap | None:
    pairs = [(b, m) for b, m in zip(base.body, mutated.body, strict=True) if ast.dump(b) != ast.dump(m)]
    if len(pairs) != 1:
        return None
    original, mutant = pairs[0]
    if not isinstance(mutant, ast.Assign | ast.AnnAssign) or mutant.value is None:
        return None
    targets = mutant.targets if isinstance(mutant, ast.Assign) else [mutant.target]
    if len(targets) != 1 or not isinstance(targets[0], ast.Name):
        return None
    name = targets[0].id
    if _loads_outside_functions(base, name, original):
        return None
    return ConstantSwap(name, ast.unparse(mutant.value))


@functools.cache
def _base(source: str, path: Path) -> tuple[ast.Module, types.CodeType]:
    """The original module as the mutants are written (``ast.unparse``) and its code."""
    unparsed = ast.unparse(ast.parse(source))
    return ast.parse(unparsed), compile(unparsed, str(path), "exec")


def swap_for(source: str, mutated_source: str, path: Path) -> Swap | list[FunctionSwap] | None:
    """How to apply a mutant in place, or None when only a fresh import is exact."""
    base_tree, base_code = _base(source, path)
    mutated_code = compile(mutated_source, str(path), "exec")
    changed, outside = _changed_functions(base_code, mutated_code)
    if outside:
        if changed:
            return None
        return _changed_constant(base_tree, ast.parse(mutated_source))
    ordinals = Counter[str]()
    ordinal_of: dict[int, int] = {}
    for code in _function_codes(base_code):
        ordinal_of[id(code)] = ordinals[code.co_qualname]
        ordinals[code.co_qualname] += 1
    return [FunctionSwap(o.co_qualname, ordinal_of[id(o)], m) for o, m in changed]


def live_functions(path: Path, objects: list[Any]) -> dict[str, list[list[types.FunctionType]]]:
    """The module's live function objects by qualified name: one list per distinct code object
    (a decorator may copy a function around its code), in source order."""
    by_code: dict[types.CodeType, list[types.FunctionType]] = {}
    for candidate in objects:
        if isinstance(candidate, types.FunctionType) and candidate.__code__.co_filename == str(path):
            by_code.setdefault(candidate.__code__, []).append(candidate)
    found: dict[str, list[list[types.FunctionType]]] = {}
    for code in sorted(by_code, key=lambda c: c.co_firstlineno):
        found.setdefault(code.co_qualname, []).append(by_code[code])
    return found


def is_exact(swap: Swap | list[FunctionSwap] | None, module: types.ModuleType, path: Path,
             ran: set[str], live: dict[str, list[list[types.FunctionType]]],
             source: str, others: list[types.ModuleType]) -> bool:
    """Whether applying ``swap`` in a process where the functions in ``ran`` (qualified names)
    have already been called gives what a fresh import of the mutant would."""
    if swap is None:
        return False
    if isinstance(swap, ConstantSwap):
        if not hasattr(module, swap.name):
            return False
        value = getattr(module, swap.name)
        if any(vars(other).get(swap.name, object()) is value for other in others):
            return False  # imported by name elsewhere: that binding would keep the original
        return not _readers(source, swap.name) & ran
    if isinstance(swap, FunctionSwap):
        swap = [swap]
    expected = Counter(s.qualname for s in swap)
    for one in swap:
        if one.qualname in ran:  # called before the fork: its results may be kept
            return False
        groups = live.get(one.qualname, [])
        if len(groups) <= one.ordinal or expected[one.qualname] > len(groups):
            return False
        if any(len(f.__closure__ or ()) != len(one.code.co_freevars) for f in groups[one.ordinal]):
            return False
    return _counts_match(source, path, live)


def _counts_match(source: str, path: Path, live: dict[str, list[list[types.FunctionType]]]) -> bool:
    """Every function of the source has its live objects (none was dropped or duplicated), so
    ordinals name the same function on both sides."""
    return all(len(live.get(name, [])) == count for name, count in _function_counts(source, path).items())


@functools.cache
def _function_counts(source: str, path: Path) -> dict[str, int]:
    return dict(Counter(c.co_qualname for c in _function_codes(_base(source, path)[1])))


@functools.cache
def _readers(source: str, name: str) -> frozenset[str]:
    """Qualified names (as code objects name them) of the functions whose code reads ``name``."""
    code = compile(source, "<readers>", "exec")
    found: set[str] = set()

    def walk(node: types.CodeType, top: str | None) -> None:
        for child in _code_children(node):
            is_function = child.co_flags & FUNCTION_FLAGS == FUNCTION_FLAGS
            owner = top if top is not None else (child.co_qualname if is_function else None)
            if is_function and name in child.co_names and owner is not None:
                found.add(owner)
            walk(child, owner)

    walk(code, None)
    return frozenset(found)


def apply(swap: Swap | list[FunctionSwap], module: types.ModuleType, path: Path,
          live: dict[str, list[list[types.FunctionType]]]) -> None:
    """Make the mutant live in this process (a forked child)."""
    if isinstance(swap, ConstantSwap):
        value = eval(compile(swap.expression, str(path), "eval"), vars(module))  # noqa: S307
        setattr(module, swap.name, value)
        return
    for one in [swap] if isinstance(swap, FunctionSwap) else swap:
        for function in live[one.qualname][one.ordinal]:
            function.__code__ = one.code
