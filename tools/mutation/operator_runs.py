"""Running the operator mutants: a forked child per mutant, killed when one of its tests fails.

Two ways, with the same tests and the same verdict (tools/mutation/in_place.py says which):
- in place: the parent has configured pytest and collected every target's tests once
  (tools/mutation/collected_session.py); the child gives the live functions the mutated code (or
  rebinds the mutated constant) and runs the module's tests, stopping at the first failure;
- fresh import: the parent has imported only third-party packages; the child imports the mutated
  module from its source, then the project and the tests, and runs ``pytest -x`` on them. This
  is for mutants whose original code already ran at import or collection time.
A probe (one forked child that imports and collects as the parent will) decides, per mutant.
"""

import gc
import importlib
import importlib.abc
import importlib.util
import json
import os
import signal
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.mutation import in_place
from tools.mutation.collected_session import CollectedSession

TIMEOUT_SECONDS = 60.0
KILLED, SURVIVED, TIMED_OUT = 1, 0, 36
PYTEST_ARGS = [
    "-p", "no:cacheprovider", "-p", "_hypothesis_pytestplugin", "-p", "tools.mutation.pytest_compat",
]


@dataclass(frozen=True)
class Mutant:
    relative: str  # module path, "aggregates/standard.py"
    name: str  # "aggregates.standard.Standard.revise.3.LtE->Lt"
    source: str  # the whole mutated module
    tests: tuple[str, ...]  # the module's test files

    @property
    def module(self) -> str:
        return self.relative[: -len(".py")].replace("/", ".")

    @property
    def path(self) -> Path:
        return Path(self.relative).resolve()


class _SourceFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves one module from the given source instead of its file."""

    def __init__(self, name: str, path: Path, source: str) -> None:
        self.name, self.path, self.source = name, path, source

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=str(self.path))

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        module.__file__ = str(self.path)
        exec(compile(self.source, str(self.path), "exec"), module.__dict__)  # noqa: S102


def fresh_import_run(mutant: Mutant) -> int:
    """In the child: import the mutant (and with it the project) afresh, run ``pytest -x``."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.meta_path.insert(0, _SourceFinder(mutant.module, mutant.path, mutant.source))
    import pytest

    return int(pytest.main(["-x", "-q", *PYTEST_ARGS, *mutant.tests]))


def run_forked(jobs: list[tuple[str, Callable[[], int]]], workers: int) -> dict[str, int]:
    """Run each job in a forked child, ``workers`` at a time; the exit code per job name
    (KILLED when the job returned non-zero, SURVIVED, or TIMED_OUT after 60 s)."""
    pending = list(jobs)
    results: dict[str, int] = {}
    running: dict[int, tuple[str, float]] = {}
    while pending or running:
        while pending and len(running) < workers:
            name, job = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                try:
                    code = job()
                except BaseException:  # noqa: BLE001 - a crashing mutant is a killed mutant
                    code = 1
                os._exit(KILLED if code != 0 else SURVIVED)
            running[pid] = (name, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            for child, (name, started) in list(running.items()):
                if time.monotonic() - started > TIMEOUT_SECONDS:
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
                    results[name] = TIMED_OUT
                    del running[child]
            time.sleep(0.005)
            continue
        if pid in running:
            name, _ = running.pop(pid)
            results[name] = os.waitstatus_to_exitcode(status)
    return results


def test_files(mutants: list[Mutant]) -> list[str]:
    """Every test file of the mutants' modules, once, in order: the probe and the in-place parent
    collect the same files, so the same code has run before the fork in both."""
    return list(dict.fromkeys(test for mutant in mutants for test in mutant.tests))


class InPlace:
    """The collected session and each target module's live functions, for in-place mutants."""

    def __init__(self, mutants: list[Mutant], test_files: list[str], watch: set[str] | None = None) -> None:
        ran: set[tuple[str, str]] = set()

        def profile(frame: types.FrameType, event: str, arg: object) -> None:
            if event == "call" and frame.f_code.co_filename in watched:
                ran.add((frame.f_code.co_filename, frame.f_code.co_qualname))

        watched = watch or set()
        if watched:
            sys.setprofile(profile)
        try:
            self.session = CollectedSession([*PYTEST_ARGS, *test_files])
        finally:
            sys.setprofile(None)
        self.ran = ran
        paths = {str(m.path) for m in mutants}
        objects = [o for o in gc.get_objects() if isinstance(o, types.FunctionType)
                   and o.__code__.co_filename in paths]
        self.live = {path: in_place.live_functions(Path(path), objects) for path in paths}
        rootdir = Path.cwd()
        self.items: dict[str, list[Any]] = {}
        self._others: dict[str, list[types.ModuleType]] = {}
        for mutant in mutants:
            if mutant.relative in self.items:
                continue
            order = {test: index for index, test in enumerate(mutant.tests)}
            chosen = [item for item in self.session.session.items
                      if str(Path(item.path).relative_to(rootdir)) in order]
            self.items[mutant.relative] = sorted(
                chosen, key=lambda item: order[str(Path(item.path).relative_to(rootdir))])

    def exact(self, mutant: Mutant, original: str) -> bool:
        module = sys.modules.get(mutant.module)
        if module is None:
            return False
        swap = in_place.swap_for(original, mutant.source, mutant.path)
        ran = {qualname for path, qualname in self.ran if path == str(mutant.path)}
        if mutant.module not in self._others:
            root = str(Path.cwd())
            self._others[mutant.module] = [
                m for m in list(sys.modules.values())
                if m is not module and str(getattr(m, "__file__", None) or "").startswith(root)]
        return in_place.is_exact(swap, module, mutant.path, ran, self.live[str(mutant.path)],
                                 original, self._others[mutant.module])

    def job(self, mutant: Mutant, original: str) -> Callable[[], int]:
        swap = in_place.swap_for(original, mutant.source, mutant.path)
        assert swap is not None, mutant.name  # planned as exact by the probe  # noqa: S101

        def run() -> int:
            in_place.apply(swap, sys.modules[mutant.module], mutant.path, self.live[str(mutant.path)])
            return self.session.run_items(self.items[mutant.relative])

        return run


PROJECT = ("events", "aggregates", "commands", "projections", "schedulers", "runtime", "api", "web",
           "streaming", "library_io", "tests", "tools", "bench", "conftest")


def _third_party() -> list[str]:
    """The library modules loaded here (not the project's, not pytest's plugins, which pytest
    must import itself to rewrite their asserts)."""
    root = str(Path.cwd())
    return sorted(name for name, module in list(sys.modules.items())
                  if name.split(".")[0] not in PROJECT and "pytest" not in name and name != "__main__"
                  and not str(getattr(module, "__file__", None) or "").startswith(root))


def import_libraries(names: list[str]) -> None:
    """Import the libraries a fresh-import child would import anyway, once, before forking it."""
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - optional: the child imports what it needs
            continue


def probe(mutants: list[Mutant], originals: dict[str, str]) -> tuple[set[str], list[str]]:
    """In a forked child that imports and collects as the in-place parent will: the names of
    the mutants only a fresh import tests exactly, and the library modules it loaded."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        runs = InPlace(mutants, test_files(mutants), watch={str(m.path) for m in mutants})
        fresh = [m.name for m in mutants if not runs.exact(m, originals[m.relative])]
        with os.fdopen(write, "w") as pipe:
            json.dump({"fresh": fresh, "libraries": _third_party()}, pipe)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not answer:
        raise RuntimeError("the in-place probe failed: run with every mutant imported afresh")
    found = json.loads(answer)
    return set(found["fresh"]), list(found["libraries"])
