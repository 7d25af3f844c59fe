"""Request and write-answer bodies of the strategy side: recommendations, meetings, action items,
touches and client feedback. Ids come from the path; each body is the rest of its command.

(Kept beside the strategy routers until ``api/schemas`` takes them in as ``strategy.py``.)
"""

from typing import Any
from uuid import UUID

from api.schemas.common import CommandBody, Recorded, VersionCheck
from commands.meetings import (
    AddActionItem,
    CancelMeeting,
    CompleteActionItem,
    HoldMeeting,
    RescheduleMeeting,
    ScheduleMeeting,
    SetMeetingAgenda,
)
from commands.recommendations import (
    ApproveRecommendation,
    CompleteRecommendation,
    DeclineRecommendation,
    PresentRecommendation,
    ProposeRecommendation,
    RescheduleRecommendation,
    StartRecommendation,
)
from commands.touches import LogTouch, RecordClientFeedback

RECOMMENDATION = ("client_id", "recommendation_id")
MEETING = ("client_id", "meeting_id")
ACTION_ITEM = ("client_id", "action_item_id")


class RecommendationCreate(CommandBody, command=ProposeRecommendation, path=("client_id",)):
    """A recommendation from findings of the latest completed review (or free-standing);
    ``target_quarter_start`` is the first day of one of the client's fiscal quarters."""


class RecommendationCreated(Recorded):
    recommendation_id: UUID


class RecommendationPresentation(CommandBody, command=PresentRecommendation, path=RECOMMENDATION):
    """Presented to the client, at a meeting if named."""


class RecommendationApproval(CommandBody, command=ApproveRecommendation, path=RECOMMENDATION):
    """Approval by a current decision maker of the client; anyone else is refused."""


class RecommendationRefusal(CommandBody, command=DeclineRecommendation, path=RECOMMENDATION):
    """Declined by a decision maker of the client, with the reason."""


class RecommendationReschedule(CommandBody, command=RescheduleRecommendation, path=RECOMMENDATION):
    """A new target quarter, or null to unschedule."""


class RecommendationStart(CommandBody, command=StartRecommendation, path=RECOMMENDATION):
    """The approved project starts (default: now)."""


class RecommendationCompletion(CommandBody, command=CompleteRecommendation, path=RECOMMENDATION):
    """The started project is done (default: now)."""


class MeetingCreate(CommandBody, command=ScheduleMeeting, path=("client_id",)):
    """A meeting with the client, outside (or beside) the annual plan."""


class MeetingCreated(Recorded):
    meeting_id: UUID


class AgendaPut(CommandBody, command=SetMeetingAgenda, path=MEETING):
    """The whole agenda, replacing any earlier one."""


class MeetingHolding(CommandBody, command=HoldMeeting, path=MEETING):
    """The meeting took place (default: now), with a summary."""


class MeetingReschedule(CommandBody, command=RescheduleMeeting, path=MEETING):
    """The meeting moves to another time."""


class MeetingCancellation(CommandBody, command=CancelMeeting, path=MEETING):
    """The meeting will not take place."""


class ActionItemCreate(CommandBody, command=AddActionItem, path=("client_id",)):
    """A follow-up with an owner, a next step and a date."""


class ActionItemCreated(Recorded):
    action_item_id: UUID


class ActionItemUpdate(CommandBody, VersionCheck, command=AddActionItem,
                       omit=("client_id", "meeting_id"), partial=True):
    """Only the fields sent change (sent to ``UpdateActionItem`` as its ``changes``)."""

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True, exclude={"expected_version"})


class ActionItemCompletion(CommandBody, command=CompleteActionItem, path=ACTION_ITEM):
    """Done, and how it was resolved."""


class TouchCreate(CommandBody, command=LogTouch, path=("client_id",)):
    """With a decision maker give ``decision_maker_id`` (it counts toward cadence); with anyone
    else only their ``contact_role``, never a name."""


class TouchCreated(Recorded):
    touch_id: UUID


class FeedbackCreate(CommandBody, command=RecordClientFeedback, path=("client_id",)):
    """What the client said about the recommendations, the changes it asks for and its news."""


class FeedbackCreated(Recorded):
    feedback_id: UUID
