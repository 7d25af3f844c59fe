"""What proposing a recommendation records (its findings, budget and quarter), and what it refuses."""

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from aggregates.client import Client
from aggregates.errors import (
    DuplicateIdError,
    FindingNotMisalignedError,
    InvalidValueError,
)
from events.vocabulary import Answer, Priority, RecommendationStatus
from tests.unit.client_steps import Q2, last_event, onboarded, proposed, refusal, reviewed


def with_decision_maker(client: Client) -> UUID:
    person = uuid4()
    client.add_decision_maker(decision_maker_id=person, title="CFO", sealed_name="n",
                              sealed_email="e", sealed_phone="p", by="vera")
    return person


# --- proposing ---------------------------------------------------------------------------------

def test_a_proposal_records_every_field_its_source_review_and_its_distinct_findings() -> None:
    client = onboarded()
    review_id, (first, second) = reviewed(client, [Answer.NO, Answer.NO])

    recommendation_id = proposed(client, [second, first, second], priority="medium",
                                 one_time_budget=5000, estimated_hours=12)

    event = last_event(client)
    assert (type(event), event.recommendation_id, event.title, event.business_impact,
            event.source_review_id, event.finding_standard_ids, event.one_time_budget,
            event.recurring_monthly_budget, event.estimated_hours, event.target_quarter_start,
            event.priority, event.owner, event.capital_expense, event.by) == (
        Client.RecommendationProposed, recommendation_id, "Replace the firewall", "Fewer outages",
        review_id, [second, first], Decimal("5000"), Decimal("100"), Decimal("12"), Q2,
        Priority.MEDIUM, "vera", True, "vera")
    assert (type(event.one_time_budget), type(event.estimated_hours)) == (Decimal, Decimal)


def test_a_proposed_recommendation_holds_its_findings_and_quarter_and_is_proposed() -> None:
    client = onboarded()
    _, (finding,) = reviewed(client, [Answer.NO])

    state = client.recommendation(proposed(client, [finding]))

    assert (state.finding_standard_ids, state.target_quarter_start, state.status,
            state.decision_maker_id) == ((finding,), Q2, RecommendationStatus.PROPOSED, None)


def test_a_proposal_without_findings_needs_no_review_and_names_no_source() -> None:
    client = onboarded()

    proposed(client)

    assert last_event(client).source_review_id is None


def test_a_proposal_under_an_id_in_use_is_refused() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    assert refusal(DuplicateIdError, lambda: proposed(client, recommendation_id=recommendation_id)) == (
        "recommendation_id", "a recommendation with this id exists")


def test_a_finding_without_a_submitted_review_is_refused() -> None:
    client = onboarded()
    _, (finding,) = reviewed(client, [Answer.NO], submit=False)

    assert refusal(FindingNotMisalignedError, lambda: proposed(client, [finding])) == (
        "finding_standard_ids", "the client has no submitted or completed review to take findings from")


def test_an_aligned_finding_is_refused_naming_the_standard() -> None:
    client = onboarded()
    _, (misaligned, aligned) = reviewed(client, [Answer.NO, Answer.YES])

    assert refusal(FindingNotMisalignedError, lambda: proposed(client, [misaligned, aligned])) == (
        "finding_standard_ids", f"standard {aligned} is not misaligned in the latest submitted review")


def test_a_finding_the_review_did_not_answer_is_refused() -> None:
    client = onboarded()
    reviewed(client, [Answer.NO])
    unanswered = uuid4()

    assert refusal(FindingNotMisalignedError, lambda: proposed(client, [unanswered]))[1] == (
        f"standard {unanswered} is not misaligned in the latest submitted review")


@pytest.mark.parametrize("name", ["one_time_budget", "recurring_monthly_budget", "estimated_hours"])
def test_a_negative_amount_is_refused_naming_it(name: str) -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: proposed(client, **{name: Decimal("-1")})) == (
        name, "must not be negative")


def test_a_target_quarter_is_read_in_the_clients_fiscal_year() -> None:
    client = onboarded(fiscal_year_start_month=2)

    proposed(client, target_quarter_start=date(2027, 2, 1))

    assert last_event(client).target_quarter_start == date(2027, 2, 1)


def test_a_target_that_is_no_quarter_start_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: proposed(client, target_quarter_start=date(2027, 2, 1)))[0] == (
        "target_quarter_start")
