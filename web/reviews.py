"""The TAM's review page: every standard in scope by category, with the previous answer, note
and rating, and yes / no / N/A buttons that record an answer through the same command handler as
the API. The page follows the review's stages: while answering, the TAM answers and submits the
review to the vCIO (leaving standards unanswered needs an explicit confirmation); once submitted,
only the items the vCIO sent back (with the comment) can be answered again.

The command handlers enforce the rules (another tenant's client is not found, a completed
review takes no more answers); the page says in plain words what they answered. After a write
the page waits until the read models include it (``services.wait_for``) and re-renders the
answered item, the score and the progress per category (htmx swaps them in place; without
JavaScript the form posts and the page reloads at the same item).
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from commands.results import Actor, CommandResult
from commands.reviews import (
    RecordAnswer,
    StartReview,
    SubmitReview,
)
from projections.client_alignment import AlignmentItem, CategoryScore, ClientAlignment
from web.errors import PageNotFound, web_router
from web.overview import load_alignment
from web.pages import Pages, is_htmx
from web.ports import WebServices
from web.session import actor_dependency

MAX_CACHED_TEXTS = 20_000
PREFETCH_WORKERS = 4


@dataclass(frozen=True)
class StandardText:
    how_to_check: str
    why_it_matters: str


class StandardTexts:
    """How to check and why it matters, per standard revision (a revision's text never changes,
    so it is read from the library once and kept)."""

    def __init__(self, services: WebServices) -> None:
        self.services = services
        self._known: dict[tuple[str, UUID, int], StandardText] = {}

    def prefetch(self, tenant: str, items: list[AlignmentItem]) -> None:
        """Read the texts not yet known a few at a time, so a first visit stays quick."""
        missing = [i for i in items if self.key(tenant, i) not in self._known]
        if missing:
            with ThreadPoolExecutor(max_workers=PREFETCH_WORKERS) as pool:
                list(pool.map(lambda item: self.text(tenant, item), missing))

    @staticmethod
    def key(tenant: str, item: AlignmentItem) -> tuple[str, UUID, int]:
        return (tenant, item.standard_id, item.answered_revision or item.current_revision)

    def text(self, tenant: str, item: AlignmentItem) -> StandardText:
        key = self.key(tenant, item)
        revision = key[2]
        if key in self._known:
            return self._known[key]
        detail = self.services.library.get_standard(tenant, item.standard_id)
        if detail is None:
            return StandardText("", "")
        found = next((r for r in detail.revisions if r.revision == revision), None)
        if found is None:
            return StandardText(detail.how_to_check, detail.why_it_matters)
        if len(self._known) >= MAX_CACHED_TEXTS:
            self._known.clear()
        self._known[key] = StandardText(found.how_to_check, found.why_it_matters)
        return self._known[key]


@dataclass(frozen=True)
class ReviewItem:
    item: AlignmentItem
    text: StandardText


@dataclass(frozen=True)
class CategoryGroup:
    score: CategoryScore
    items: list[ReviewItem]

    @property
    def done(self) -> int:
        return self.score.answered + self.score.not_applicable

    @property
    def total(self) -> int:
        return self.done + self.score.unanswered


def group_items(alignment: ClientAlignment, texts: StandardTexts, tenant: str) -> list[CategoryGroup]:
    texts.prefetch(tenant, alignment.items)
    by_category: dict[str, list[ReviewItem]] = {}
    for item in alignment.items:
        by_category.setdefault(item.category, []).append(ReviewItem(item, texts.text(tenant, item)))
    return [CategoryGroup(c, by_category.get(c.category, [])) for c in alignment.categories]


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]
    texts = StandardTexts(services)

    def saved(result: CommandResult) -> None:
        if result.position is not None:
            services.wait_for(result.position)

    @router.get("/clients/{client_id}/review")
    def review_page(request: Request, client_id: UUID, actor: ActorDep) -> Response:
        alignment = load_alignment(services, actor, client_id)
        is_open = alignment.review_status in ("answering", "submitted")
        return pages.render(
            request, "review.html", actor, section="clients", title=f"Review · {alignment.client_name}",
            client=alignment, is_open=is_open,
            groups=group_items(alignment, texts, actor.tenant) if is_open else [],
            categories=services.library.categories(actor.tenant))

    @router.post("/clients/{client_id}/review/start")
    def start(request: Request, client_id: UUID, actor: ActorDep,
              categories: Annotated[list[str], Form()] = []) -> Response:  # noqa: B006 - FastAPI copies it
        saved(services.bus.handle(StartReview(client_id=client_id, categories=categories), actor,
            services.clock()))
        return RedirectResponse(f"/clients/{client_id}/review", status_code=303)

    @router.post("/clients/{client_id}/reviews/{review_id}/answers/{standard_id}")
    def answer(request: Request, client_id: UUID, review_id: UUID, standard_id: UUID,
               actor: ActorDep, answer: Annotated[str, Form()],
               note: Annotated[str, Form(max_length=4000)] = "") -> Response:
        command = RecordAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id,
                               answer=answer, note=note)  # type: ignore[arg-type] # validated here
        saved(services.bus.handle(command, actor, services.clock()))
        if not is_htmx(request):
            return RedirectResponse(f"/clients/{client_id}/review#item-{standard_id}", status_code=303)
        alignment = load_alignment(services, actor, client_id)
        item = next((i for i in alignment.items if i.standard_id == standard_id), None)
        if item is None:
            raise PageNotFound("standard in this review")
        return pages.render(request, "review_answered.html", actor, client=alignment,
                            entry=ReviewItem(item, texts.text(actor.tenant, item)),
                            groups=group_items(alignment, texts, actor.tenant))

    @router.post("/clients/{client_id}/reviews/{review_id}/submit")
    def submit(request: Request, client_id: UUID, review_id: UUID, actor: ActorDep,
               confirm_unanswered: Annotated[str, Form()] = "") -> Response:
        command = SubmitReview(client_id=client_id, review_id=review_id,
                               confirm_unanswered=confirm_unanswered == "yes")
        saved(services.bus.handle(command, actor, services.clock()))
        return RedirectResponse(f"/clients/{client_id}/review?saved=review_submitted", status_code=303)

    return router
