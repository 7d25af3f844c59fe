"""HTML rendering for the API's printable pages: a Jinja2 environment over ``api/templates``
with autoescaping and the few filters the pages use to show money, scores and dates.

Built by ``build_app`` (nothing is built at import), and kept apart from the web dashboard's
templates so that a printable page the API promises does not change with the dashboard.
"""

import calendar
from datetime import UTC, date, datetime
from decimal import Decimal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

DASH = "\u2013"


def money(value: Decimal | None, currency: str | None = None) -> str:
    """``EUR 12,500.00``: the MSP's currency code (ISO 4217) first, when given."""
    if value is None:
        return DASH
    return f"{value:,.2f}" if currency is None else f"{currency} {value:,.2f}"


def score(value: Decimal | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def percent(value: Decimal | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def day(value: date | datetime | None) -> str:
    if value is None:
        return DASH
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return f"{value.day} {value:%b %Y}"


def moment(value: datetime | None) -> str:
    if value is None:
        return DASH
    at = value.astimezone(UTC)
    return f"{at.day} {at:%b %Y, %H:%M} UTC"


def month(value: date) -> str:
    return f"{value:%B %Y}"


def month_name(number: int) -> str:
    return calendar.month_name[number]


def human(value: object) -> str:
    """``technology_business_review`` -> ``Technology business review``."""
    text = str(getattr(value, "value", value)).replace("_", " ")
    return text[:1].upper() + text[1:]


def build_templates() -> Environment:
    environment = Environment(
        loader=PackageLoader("api", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        money=money,
        score=score,
        percent=percent,
        day=day,
        moment=moment,
        month=month,
        month_name=month_name,
        human=human,
    )
    return environment
