"""The standards committee's pages: the library by category (keys in natural order, drafts with
their objectivity warnings), the open change sets and the suggestion inbox's count, the replay
impact table (which clients' scores move, and by how much, under the current library or an open
change set), and each standard with its numbered revisions (what changed, why, who decided, and
the whole text at each revision)."""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request, Response

from commands.objectivity import ObjectivityWarning, objectivity_warnings
from commands.results import Actor
from projections.standards_library import StandardSummary
from web.errors import BadRequest, PageNotFound, web_router
from web.pages import Pages
from web.ports import WebServices
from web.session import actor_dependency
from web.time_travel import is_available, replay

STATUSES = ("published", "draft", "retired")


def by_category(standards: list[StandardSummary]) -> dict[str, list[StandardSummary]]:
    grouped: dict[str, list[StandardSummary]] = {}
    for standard in standards:
        grouped.setdefault(standard.category, []).append(standard)
    return grouped


def draft_warnings(standards: list[StandardSummary]) -> dict[UUID, list[ObjectivityWarning]]:
    """Each draft's objectivity warnings (a published standard was already decided on)."""
    found = {s.standard_id: objectivity_warnings(s.question, s.expected_answer)
             for s in standards if s.status == "draft"}
    return {standard_id: warnings for standard_id, warnings in found.items() if warnings}


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    @router.get("/committee")
    def library(request: Request, actor: ActorDep,
                category: Annotated[str, Query(max_length=200)] = "",
                status: Annotated[str, Query(max_length=20)] = "",
                change_set: Annotated[str, Query(max_length=40)] = "",
                replayed: Annotated[bool, Query(alias="replay")] = False) -> Response:
        if status and status not in STATUSES:
            raise BadRequest("Choose a status of published, draft or retired.")
        try:
            change_set_id = UUID(change_set.strip()) if change_set.strip() else None
        except ValueError:
            raise BadRequest("A change set id looks like 5b8a2f64-3f52-4a8e-9a52-4f1ad0c1e001.") from None
        standards = services.library.list_standards(actor.tenant, category=category or None,
                                                    status=status or None)
        return pages.render(request, "committee.html", actor, section="committee",
                            title="Standards committee", groups=by_category(standards),
                            count=len(standards), categories=services.library.categories(actor.tenant),
                            category=category, status=status, statuses=STATUSES,
                            impact=replay(services, actor, change_set_id) if replayed else None,
                            change_set=change_set, warnings=draft_warnings(standards),
                            open_change_sets=services.suggestion_inbox.change_sets(actor.tenant),
                            open_suggestions=len(services.suggestion_inbox.suggestions(actor.tenant)),
                            time_travel=is_available(services), idempotency_key=str(uuid4()))

    @router.get("/committee/standards/{standard_id}")
    def standard(request: Request, standard_id: UUID, actor: ActorDep) -> Response:
        detail = services.library.get_standard(actor.tenant, standard_id)
        if detail is None:
            raise PageNotFound("standard")
        return pages.render(request, "standard.html", actor, section="committee",
                            title=f"{detail.key} · Standards committee", standard=detail,
                            trail=services.audit.standard_timeline(actor.tenant, standard_id))

    return router
