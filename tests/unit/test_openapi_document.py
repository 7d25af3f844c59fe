"""The OpenAPI document's top level, as Spectral's default ruleset wants it (make lint runs
Spectral itself; these checks need no npm)."""

from typing import Any, cast

import pytest

from api.app import build_api


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_api(cast(Any, None), cast(Any, None)).openapi()


def test_every_tag_an_operation_uses_is_declared_with_a_description(document: dict[str, Any]) -> None:
    used = {tag for operations in document["paths"].values() for operation in operations.values()
            for tag in operation["tags"]}
    declared = {tag["name"]: tag["description"] for tag in document["tags"]}

    assert used == set(declared)
    assert all(description.strip() for description in declared.values())


def test_every_operation_has_a_tag(document: dict[str, Any]) -> None:
    untagged = [(path, method) for path, operations in document["paths"].items()
                for method, operation in operations.items() if not operation.get("tags")]

    assert untagged == []


def test_the_document_names_its_servers_and_a_contact(document: dict[str, Any]) -> None:
    assert document["servers"] and all(server["url"] for server in document["servers"])
    assert document["info"]["contact"]["name"]


def test_a_tag_from_a_router_without_a_known_module_is_still_declared() -> None:
    from fastapi import APIRouter

    app = build_api(cast(Any, None), cast(Any, None))
    extra = APIRouter(tags=["msp settings"])

    @extra.get("/api/v1/extra")
    def extra_route() -> dict[str, str]:
        """Answer something."""
        return {}

    app.include_router(extra)
    app.openapi_schema = None

    declared = {tag["name"] for tag in app.openapi()["tags"]}

    assert "msp settings" in declared
