"""A pytest plugin that lets mutmut 3.8 collect its per-test statistics on pytest 9.

mutmut's harness reads ``item._nodeid``, which pytest 9 no longer sets; the public ``nodeid``
holds the same text.
"""

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not hasattr(item, "_nodeid"):
            item._nodeid = item.nodeid  # type: ignore[attr-defined]
