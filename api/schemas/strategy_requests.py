"""Request and write-answer bodies of the strategy side: recommendations, meetings, action items,
touches and client feedback. Ids come from the path; each body is the rest of its command.

(Kept beside the strategy routers until ``api/schemas`` takes them in as ``strategy.py``.)
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from api.schemas.common import Recorded, VersionCheck
from commands.meetings import Line, Required
from commands.recommendations import Hours, Money, Text, Title
from commands.touches import Role
from events.vocabulary import MeetingKind, Priority, TouchKind

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class RecommendationCreate(VersionCheck):
    """A recommendation from findings of the latest completed review (or free-standing);
    ``target_quarter_start`` is the first day of one of the client's fiscal quarters."""

    title: Title
    business_impact: Text = ""
    finding_standard_ids: list[UUID] = Field(default_factory=list, max_length=500)
    one_time_budget: Money = Decimal("0")
    recurring_monthly_budget: Money = Decimal("0")
    estimated_hours: Hours = Decimal("0")
    target_quarter_start: date | None = None
    priority: Priority = Priority.MEDIUM
    owner: Title
    capital_expense: bool = False


class RecommendationCreated(Recorded):
    recommendation_id: UUID


class RecommendationPresentation(VersionCheck):
    meeting_id: UUID | None = None


class RecommendationApproval(VersionCheck):
    """Approval by a current decision maker of the client; anyone else is refused."""

    decision_maker_id: UUID
    approved_at: AwareDatetime | None = None


class RecommendationRefusal(VersionCheck):
    decision_maker_id: UUID
    reason: Reason


class RecommendationReschedule(VersionCheck):
    """A new target quarter, or null to unschedule."""

    target_quarter_start: date | None
    reason: Text = ""


class RecommendationStart(VersionCheck):
    started_at: AwareDatetime | None = None


class RecommendationCompletion(VersionCheck):
    completed_at: AwareDatetime | None = None


class MeetingCreate(VersionCheck):
    kind: MeetingKind
    scheduled_for: AwareDatetime
    attendees: list[Line] = Field(default_factory=list, max_length=100)


class MeetingCreated(Recorded):
    meeting_id: UUID


class AgendaPut(VersionCheck):
    """The whole agenda, replacing any earlier one."""

    agenda: list[Line] = Field(max_length=100)


class MeetingHolding(VersionCheck):
    held_at: AwareDatetime | None = None
    summary: Text = ""


class MeetingReschedule(VersionCheck):
    scheduled_for: AwareDatetime
    reason: Text = ""


class MeetingCancellation(VersionCheck):
    reason: Text = ""


class ActionItemCreate(VersionCheck):
    meeting_id: UUID | None = None
    title: Line
    owner: Line
    next_step: Text = ""
    follow_up_on: date


class ActionItemCreated(Recorded):
    action_item_id: UUID


class ActionItemUpdate(VersionCheck):
    """Only the fields sent change."""

    title: Line | None = None
    owner: Line | None = None
    next_step: Text | None = None
    follow_up_on: date | None = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True, exclude={"expected_version"})


class ActionItemCompletion(VersionCheck):
    resolution: Required
    completed_at: AwareDatetime | None = None


class TouchCreate(VersionCheck):
    """With a decision maker give ``decision_maker_id`` (it counts toward cadence); with anyone
    else only their ``contact_role``, never a name."""

    kind: TouchKind
    decision_maker_id: UUID | None = None
    contact_role: Role = ""
    happened_at: AwareDatetime | None = None
    note: Text = ""


class TouchCreated(Recorded):
    touch_id: UUID


class FeedbackCreate(VersionCheck):
    accepted_recommendation_ids: list[UUID] = Field(default_factory=list, max_length=500)
    declined_reasons: dict[UUID, Text] = Field(default_factory=dict, max_length=500)
    changes_requested: Text = ""
    new_initiatives: list[Reason] = Field(default_factory=list, max_length=100)
    recorded_at: AwareDatetime | None = None


class FeedbackCreated(Recorded):
    feedback_id: UUID
