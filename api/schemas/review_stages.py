"""Bodies of the review stages: the TAM submits, the vCIO sends an item back or finalises."""

from typing import Annotated, Literal

from pydantic import AwareDatetime, StringConstraints

from api.schemas.common import VersionCheck


class ReviewSubmission(VersionCheck):
    """The TAM hands the review to the vCIO; true ``confirm_unanswered`` is needed when
    standards in scope are left unanswered."""

    confirm_unanswered: bool = False
    submitted_at: AwareDatetime | None = None


class ItemSendBack(VersionCheck):
    """What the vCIO wants the TAM to look at again."""

    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class ReviewFinalisation(VersionCheck):
    """Finalise; ``unrated_as`` records misaligned answers left unrated as highly vulnerable."""

    unrated_as: Literal["highly_vulnerable"] | None = None
    finalised_at: AwareDatetime | None = None
