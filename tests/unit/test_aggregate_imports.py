"""No module that ``aggregates.client`` imports imports it back.

The ``Client`` methods live in area modules (``client_profile``, ``client_reviews``, ...) that
type ``self`` as ``aggregates.client_state.ClientState`` instead of importing ``Client``. This
reads the source with ``ast`` (nothing is imported), so it also sees imports under
``if TYPE_CHECKING:``, inside functions and through ``importlib.import_module``, and it follows
every project module ``aggregates.client`` reaches, not only the ones it names.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CLIENT = "aggregates.client"


def module_path(module: str) -> Path | None:
    """The project file of ``module``, or None for the standard library and installed packages."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def with_parents(module: str) -> Iterator[str]:
    """``a.b.c`` runs ``a`` and ``a.b`` first."""
    parts = module.split(".")
    for end in range(1, len(parts) + 1):
        yield ".".join(parts[:end])


def imported_names(module: str, source: str, is_package: bool = False) -> set[str]:
    """Every dotted name the module may import, wherever the import statement stands."""
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.update(with_parents(alias.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            names.update(with_parents(base))
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__")):
            names.update(with_parents(node.args[0].value))
    return names


def project_imports(module: str) -> set[str]:
    path = module_path(module)
    assert path is not None, module
    names = imported_names(module, path.read_text(), is_package=path.name == "__init__.py")
    return {name for name in names if module_path(name) is not None}


def modules_client_reaches() -> set[str]:
    reached: set[str] = set()
    to_visit = project_imports(CLIENT) - {CLIENT}
    while to_visit:
        module = to_visit.pop()
        reached.add(module)
        to_visit |= project_imports(module) - reached - {CLIENT}
    return reached


IMPORTS_OF_CLIENT = [
    "if TYPE_CHECKING:\n    from aggregates.client import Client\n",
    "def late() -> None:\n    from aggregates import client\n",
    "def later() -> None:\n    import aggregates.client\n",
    "def relative() -> None:\n    from .client import Client\n",
    "def dynamic() -> None:\n    importlib.import_module('aggregates.client')\n",
]


@pytest.mark.parametrize("source", IMPORTS_OF_CLIENT)
def test_the_collector_sees_every_way_of_importing_client(source: str) -> None:
    assert CLIENT in imported_names("aggregates.client_area", source)


def test_the_collector_does_not_mistake_a_sibling_for_client() -> None:
    source = "from aggregates import client_state\nfrom aggregates.client_state import ClientState\n"
    assert CLIENT not in imported_names("aggregates.client_area", source)


def test_the_client_area_modules_are_followed() -> None:
    reached = modules_client_reaches()
    assert {
        "aggregates.client_profile", "aggregates.client_reviews",
        "aggregates.client_recommendations", "aggregates.client_meetings",
        "aggregates.client_touches", "aggregates.client_cadence", "aggregates.client_state",
        "aggregates.review_state", "aggregates.strategy_state", "aggregates.cadence_state",
    } <= reached


def test_no_module_client_imports_imports_client_back() -> None:
    importing_client = sorted(
        module for module in modules_client_reaches() if CLIENT in project_imports(module))
    assert importing_client == []
