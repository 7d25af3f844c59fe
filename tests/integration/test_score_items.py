"""A finalised review's items and the client's scorecard after it, read in one pass, are the
items the two queries read one at a time: partial reviews, a review of one category, a rating,
a standard answered and then retired, a later review that answers nothing new."""

from collections import Counter
from typing import Any
from uuid import UUID

import pytest

from events.vocabulary import Answer, Priority, Rating
from projections.score_items import CARD_ITEMS_SQL, REVIEW_ITEMS_SQL, scored_items
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def both_ways(services: Any, scenario: Scenario, client: UUID, review: UUID) -> tuple[Any, Any]:
    """(in one pass, one query at a time) of the review, each as a multiset of items."""
    services.projectors["score_history"].catch_up()
    params = {"review": review, "client": client, "tenant": scenario.tenant}
    with services.reader.cursor("score_history") as cur:
        items, card = scored_items(cur, review, client, scenario.tenant, scenario.tenant)
        one_pass = (Counter(map(tuple, items)), Counter(map(tuple, card)))
        cur.execute(REVIEW_ITEMS_SQL, params)
        review_items = Counter(cur.fetchall())
        cur.execute(CARD_ITEMS_SQL, params)
        return one_pass, (review_items, Counter(cur.fetchall()))


def test_each_review_of_a_client_reads_the_same_items_in_one_pass(
        services: Any, scenario: Scenario) -> None:
    # Read as each review is finalised (its own answers are then the latest) and again once
    # later reviews are (the earlier reviews are looked up).
    mfa, backup = scenario.standard(), scenario.standard(category="backup", priority=Priority.LOW)
    email = scenario.standard(category="email", priority=Priority.MEDIUM)
    client = scenario.client()
    first = scenario.start(client)
    for standard, answer in ((mfa, Answer.NO), (backup, Answer.NO), (email, Answer.YES)):
        scenario.answer(client, first, standard, answer)
    scenario.rate(client, first, mfa, Rating.MARGINAL)
    scenario.complete(client, first)
    found = [both_ways(services, scenario, client, first)]
    scenario.retire(email)
    second = scenario.start(client, categories=["backup"])
    scenario.answer(client, second, backup, Answer.YES)
    scenario.complete(client, second)
    found.append(both_ways(services, scenario, client, second))
    third = scenario.completed_review(client, {})

    found += [both_ways(services, scenario, client, review) for review in (first, second, third)]

    assert all(one_pass == separately for one_pass, separately in found)
    assert [sum(card.values()) for (_, card), _ in found] == [3, 2, 2, 2, 2]  # email retired
