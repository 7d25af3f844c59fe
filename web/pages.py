"""Renders the dashboard's Jinja2 templates, with the formatting every page shares.

Templates receive typed view objects and format them here, so numbers, dates and vocabulary
("not_applicable" -> "N/A") read the same on every page. Autoescaping is always on.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from commands.results import Actor
from web.session import ROLE_NAMES, can

ANSWER_LABELS = {"yes": "Yes", "no": "No", "not_applicable": "N/A"}
NOTICES = {
    "review_submitted": "The review was submitted to the vCIO, who rates it and finalises it.",
    "item_sent_back": "The item was sent back to the TAM with your comment.",
    "review_finalised": ("The review is finalised. Its answers are now the client's scorecard and "
                         "the previous answers of the next review."),
    "recommendation_proposed": "The recommendation was proposed.",
    "recommendation_presented": "The recommendation is marked as presented.",
    "recommendation_approved": "The approval was recorded.",
    "recommendation_declined": "The decline was recorded, with its reason.",
    "change_set_opened": "The change set is open. Nothing in the library changes until it is published.",
    "proposal_added": "The proposal was added to the change set.",
    "proposal_withdrawn": "The proposal was withdrawn.",
    "suggestion_accepted": "The proposal was added, and the suggestion is accepted into this change set.",
    "change_set_published": "The change set is published: every proposal took effect at once.",
    "change_set_discarded": "The change set was discarded; nothing in the library changed.",
    "suggestion_sent": "Your suggestion was sent to the standards committee.",
    "suggestion_declined": "The suggestion was declined, with its reason.",
    "scoring_policy_set": ("The scoring policy was recorded. Reviews finalised from the day it takes "
                           "effect are scored under it; earlier ones keep their scores."),
    "target_bands_set": "The target bands were recorded; the dashboard measures against them from their day.",
    "review_lead_time_set": "The review lead time was recorded.",
    "cadence_rules_set": "The cadence rules were recorded; plans made from their day follow them.",
    "financial_defaults_set": "The currency and fiscal year were recorded.",
}


def score_text(value: Decimal | None) -> str:
    """``72.5`` for a score, an em dash when there is nothing to score."""
    return "—" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def percent(value: Decimal | float | int | None) -> str:
    return "—" if value is None else f"{score_text(Decimal(str(value)))}%"


def money(value: Decimal | int | None, currency: str | None = None) -> str:
    """``EUR 12,500`` (``12,500.50`` with cents); the code first, as the MSP's currency (ISO 4217)
    is whatever it chose and no symbol table is installed."""
    if value is None:
        return "—"
    amount = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
    return amount if currency is None else f"{currency} {amount}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return value.isoformat()


def moment(value: datetime | None) -> str:
    return "—" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def human(value: str | None) -> str:
    """Vocabulary as people say it: ``highly_vulnerable`` -> ``highly vulnerable``."""
    if value is None:
        return "—"
    return ANSWER_LABELS.get(value) or value.replace("_", " ")


def width(value: Decimal | float | int | None, top: Decimal | float | int | None = 100) -> str:
    """A CSS width in percent for a bar of ``value`` out of ``top``, clamped to 0-100."""
    if value is None or not top:
        return "0%"
    share = max(0.0, min(100.0, 100.0 * float(value) / float(top)))
    return f"{share:.1f}%"


def plain(value: Decimal | int) -> str:
    """A setting's number as typed: ``0.5``, ``5``, ``105000`` (no exponent, no trailing zeros)."""
    return format(Decimal(value).normalize(), "f")


def short_id(value: object) -> str:
    return str(value)[:8]


def slug(value: str) -> str:
    """A fragment of an HTML id or URL anchor: ``identity access`` -> ``identity-access``."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def build_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(score=score_text, percent=percent, money=money, day=day, moment=moment,
                       human=human, width=width, short_id=short_id, slug=slug, plain=plain)
    env.globals.update(can=can, role_names=ROLE_NAMES, notices=NOTICES)
    return env


class Pages:
    """Turns a template name and its context into an HTML response."""

    def __init__(self) -> None:
        self.env = build_environment()

    def render(self, request: Request, name: str, actor: Actor | None = None,
               status_code: int = 200, headers: dict[str, str] | None = None,
               **context: Any) -> HTMLResponse:
        html = self.text(request, name, actor, **context)
        response = HTMLResponse(html, status_code=status_code, headers=headers)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def text(self, request: Request, name: str, actor: Actor | None = None, **context: Any) -> str:
        context.setdefault("section", "")
        context.setdefault("title", "vCIO Ledger")
        return self.env.get_template(name).render(request=request, actor=actor, **context)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
