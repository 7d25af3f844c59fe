"""``mutmut run`` with each mutant's tests run in a fork of one collected pytest session.

mutmut 3.8 forks a child per mutant from its main process, and the child starts a whole new
pytest session (``pytest.main``) to run the tests that reach the mutated function. That
session's start-up, collection and unconfigure cost more than the tests themselves. Here the
main process collects the test selection once, just before the mutants run
(tools/mutation/collected_session.py), and the child runs the same tests, in the same order
(fastest first, as mutmut sorts them), stopping at the first failure, through pytest's own test
protocol. Everything else is mutmut's: the mutants, the statistics that choose each mutant's
tests, the clean and forced-fail runs, the timeouts and the results files.

A mutant whose tests are not all in the collected session falls back to mutmut's own run.
When this process has just run the whole selection for mutmut's statistics and it passed (a
fresh ``mutants/``, as in CI), mutmut's "clean" run of the same selection is not run again: it
proves nothing the statistics run did not (an incremental run, whose statistics come from
disk, still runs it).
"""

import sys
from collections.abc import Iterable
from typing import Any

from mutmut.__main__ import cli
from mutmut.configuration import config
from mutmut.runners.harness import PytestRunner
from mutmut.utils.file_utils import change_cwd
from mutmut.workers.isolation import ForkRunner

from tools.mutation.collected_session import CollectedSession

_collected: list[CollectedSession] = []
_mutmut_run_tests = PytestRunner.run_tests
_mutmut_startup = ForkRunner.startup
_mutmut_collect_stats = ForkRunner.collect_stats
_mutmut_run_clean_tests = ForkRunner.run_clean_tests
_whole_selection_passed: list[bool] = []


def _collect_stats(self: ForkRunner, tests: Iterable[str] | None) -> int:
    code = int(_mutmut_collect_stats(self, tests))
    if not tests and code == 0:
        _whole_selection_passed.append(True)
    return code


def _run_clean_tests(self: ForkRunner, tests: Iterable[str]) -> int:
    if _whole_selection_passed:
        print("    (the statistics run of the whole selection passed in this process: not run again)")
        return 0
    return int(_mutmut_run_clean_tests(self, tests))


def _startup(self: ForkRunner) -> None:
    """Collect the selection once, in mutmut's working directory and with its arguments."""
    settings = config()
    with change_cwd("mutants"):
        session = CollectedSession([
            "--rootdir=.", "--tb=native", "-p", "no:randomly", "-p", "no:random-order",
            *settings.pytest_add_cli_args_test_selection, *settings.pytest_add_cli_args,
        ])
    session.freeze()
    _collected.append(session)
    _mutmut_startup(self)


def _run_tests(self: PytestRunner, *, mutant_name: str | None, tests: Iterable[str]) -> int:
    chosen = list(tests)
    if mutant_name and _collected and chosen and _collected[0].has(chosen):
        with change_cwd("mutants"):
            return _collected[0].run_here(chosen)
    result: Any = _mutmut_run_tests(self, mutant_name=mutant_name, tests=chosen)
    return int(result)


def main() -> None:
    ForkRunner.startup = _startup  # type: ignore[method-assign]
    ForkRunner.collect_stats = _collect_stats  # type: ignore[method-assign]
    ForkRunner.run_clean_tests = _run_clean_tests  # type: ignore[method-assign]
    PytestRunner.run_tests = _run_tests  # type: ignore[method-assign]
    sys.argv[0] = "mutmut"
    cli()


if __name__ == "__main__":
    main()
