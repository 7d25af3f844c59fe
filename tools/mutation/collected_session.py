"""One pytest session that collects its tests once; each mutant runs a subset of them in a fork.

A mutant used to cost a whole pytest session in its child process: plugin loading, conftest,
collecting the selected files (and, for the operator script, importing the whole project), then
the tests, then pytest's unconfigure (``gc.collect`` over the inherited heap). Here the parent
configures pytest and collects once; a child forked per mutant runs only the chosen items
through pytest's own ``pytest_runtest_protocol``, with pytest's ``-x`` (stop at the first
failure, as before), and exits without tearing anything down. A child starts with no fixture
set up (the parent runs no test), so every mutant sees the state a fresh session would.
"""

import gc
import os
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from _pytest.config import _prepareconfig  # pytest.main's own first step (pytest 9)
from _pytest.main import Session


class CollectedSession:
    """A configured pytest session with its items collected, ready to fork per mutant."""

    def __init__(self, args: Sequence[str], plugins: Sequence[Any] = ()) -> None:
        config = _prepareconfig(["-x", "-q", *args], list(plugins))
        session = Session.from_config(config)
        session.exitstatus = pytest.ExitCode.OK
        config._do_configure()
        config.hook.pytest_sessionstart(session=session)
        config.hook.pytest_collection(session=session)
        if session.testsfailed:
            raise RuntimeError(f"collection failed for {list(args)}")
        self.config, self.session = config, session
        self.items = {item.nodeid: item for item in session.items}
        self._capture = config.pluginmanager.getplugin("capturemanager")
        # The parent keeps its own stdout while it waits; each child captures as pytest would.
        if self._capture is not None:
            self._capture.suspend_global_capture(in_=True)

    def has(self, nodeids: Iterable[str]) -> bool:
        return all(nodeid in self.items for nodeid in nodeids)

    def freeze(self) -> None:
        """Move everything built so far out of the collector's reach: children inherit the heap
        copy-on-write and a collection would touch (and copy) all of it."""
        gc.collect()
        gc.freeze()

    def run_here(self, nodeids: Sequence[str]) -> int:
        """Run the items of the given node ids, in that order, in this (forked) process."""
        return self.run_items([self.items[nodeid] for nodeid in nodeids])

    def run_items(self, items: Sequence[pytest.Item]) -> int:
        """Run the items in order in this (forked) process: 1 when a test failed (stopping at
        the first, like ``pytest -x``), 0 when all passed; pytest's exit codes."""
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        if self._capture is not None:
            # Between tests pytest puts back the descriptors it saved when capture started (the
            # parent's output): point those at /dev/null too, so progress dots stay quiet.
            capturing = getattr(self._capture, "_global_capturing", None)
            for stream in (getattr(capturing, "out", None), getattr(capturing, "err", None)):
                saved = getattr(stream, "targetfd_save", None)
                if isinstance(saved, int):
                    os.dup2(devnull, saved)
            self._capture.resume_global_capture()
        session = self.session
        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < len(items) else None
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
            if session.shouldfail or session.shouldstop:
                break
        if session.shouldstop and not session.testsfailed:
            return int(pytest.ExitCode.INTERRUPTED)
        return int(pytest.ExitCode.TESTS_FAILED if session.testsfailed else pytest.ExitCode.OK)
