"""The OpenAPI document's top-level tags: every tag an operation uses, each with a description.

Descriptions are written here where several routers share a tag; a tag written nowhere here
takes the first paragraph of the docstring of the router module that uses it, and a tag used by
no known module is still declared, so a new router never leaves its operations under an
undeclared tag (Spectral's ``operation-tag-defined``).
"""

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from fastapi import FastAPI

DESCRIPTIONS = {
    "standards": "The standards library: objective yes/no questions with their revisions, lineage"
                 " and import/export.",
    "clients": "The MSP's clients, their decision makers, onboarding and offboarding.",
    "reviews": "Two-stage alignment reviews: the TAM answers and submits, the vCIO rates and"
               " finalises; what is due and whose turn it is.",
    "alignment": "A client's alignment: the latest review's working view and the rolling scorecard.",
    "score history": "Alignment scores over time, one point per finalised review.",
    "audit": "Who changed what about a client, when, from what to what, and why.",
    "projections": "Operator views for an admin: the service's figures and each read model's"
                   " progress.",
    "tokens": "API tokens of the admin's tenant: create, list, revoke.",
    "health": "Liveness without a token (ok or degraded) and Prometheus metrics for an operator's"
              " metrics token.",
}


def first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


def module_tags(modules: Iterable[ModuleType]) -> dict[str, str]:
    """Each tag of the modules' ``router`` with its description (see the module docstring)."""
    tags: dict[str, str] = {}
    for module in modules:
        for tag in module.router.tags:
            tags.setdefault(str(tag), DESCRIPTIONS.get(str(tag)) or first_paragraph(module.__doc__))
    return tags


def declare_tags(app: FastAPI, known: dict[str, str]) -> None:
    """Make ``app``'s OpenAPI list every tag its operations use, described from ``known`` (a tag
    from a router included some other way is still declared, with a plain description)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        used = dict.fromkeys(str(tag) for operations in schema["paths"].values()
                             for operation in operations.values() for tag in operation.get("tags", ()))
        schema["tags"] = [{"name": tag, "description": known.get(tag) or DESCRIPTIONS.get(tag)
                           or f"Operations on {tag}."} for tag in used]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
