"""Every ledger aggregate belongs to one tenant: its events carry the tenant, chosen ids are kept."""

from uuid import uuid4

from aggregates.msp_calendar import MspCalendar
from aggregates.standard_suggestion import StandardSuggestion
from events.vocabulary import SuggestionKind


def test_an_aggregate_created_under_a_chosen_id_keeps_it_and_records_its_created_event() -> None:
    chosen = uuid4()

    calendar = MspCalendar.create_with_id(chosen, tenant="msp-1", by="sched")

    event = calendar.pending_events[0]
    assert (calendar.id, type(event), event.originator_id, event.tenant, event.by) == (
        chosen, MspCalendar.MspCalendarOpened, chosen, "msp-1", "sched")


def test_each_later_event_is_stamped_with_the_aggregate_s_tenant() -> None:
    suggestion = StandardSuggestion(tenant="msp-7", kind=SuggestionKind.NEW_STANDARD, text="t",
                                    standard_id=None, standard_key=None, client_id=None,
                                    client_name=None, by="vera", by_role="vcio")

    suggestion.decline(reason="covered", by="carla")

    assert [e.tenant for e in suggestion.pending_events] == ["msp-7", "msp-7"]
