"""A pytest plugin for mutation runs (mutmut and tools/mutation/operators.py load it).

- mutmut's harness reads ``item._nodeid``, which pytest 9 no longer sets; the public ``nodeid``
  holds the same text.
- Hypothesis properties run a small, derandomised set of examples per mutant: the same examples
  on every run, so a mutant's verdict does not depend on luck, and hundreds of mutants stay
  within the time budget. The full suite keeps hypothesis's defaults.
"""

import pytest
from hypothesis import settings

settings.register_profile("mutation", max_examples=25, derandomize=True, deadline=None)


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile("mutation")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not hasattr(item, "_nodeid"):
            item._nodeid = item.nodeid  # type: ignore[attr-defined]
