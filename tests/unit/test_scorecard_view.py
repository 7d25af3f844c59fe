"""The rolling scorecard composed from the rows its query returns (the SQL itself is pinned by
the integration tests): an unknown client has none; items sorted as people read keys; the score,
coverage and counts by the policy in force on the day; fresh coverage and stale answers."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from projections.scorecard import SCORECARD_SQL, ScorecardView
from projections.scoring import ScoringPolicy

TODAY = date(2027, 3, 1)
TENANT, CLIENT = "msp-1", UUID(int=42)
RECENT, OLD = datetime(2027, 2, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)


def row(key: str, answer: str | None, observed: datetime | None = RECENT, category: str = "backups",
        priority: str = "high", rating: str | None = None) -> tuple[Any, ...]:
    return (uuid4(), key, category, "Is it done?", priority, "yes", "quarterly", answer, rating, "",
            observed, uuid4(), 1, RECENT)


class Cursor:
    def __init__(self, rows: list[tuple[Any, ...]], clients: set[tuple[str, UUID]]) -> None:
        self.rows, self.clients, self.result, self.asked, self.sql = rows, clients, [], [], []

    def execute(self, sql: str, params: Any) -> None:
        self.asked.append(params)
        self.sql.append(sql)
        if isinstance(params, tuple):
            self.result = [(1,)] if params in self.clients else []
        else:
            self.result = self.rows

    def fetchone(self) -> Any:
        return self.result[0] if self.result else None

    def fetchall(self) -> list[Any]:
        return list(self.result)


class Reader:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.cursor_used = Cursor(rows, {(TENANT, CLIENT)})
        self.names: list[str] = []

    @contextmanager
    def cursor(self, name: str) -> Iterator[Cursor]:
        self.names.append(name)
        yield self.cursor_used


class Policies:
    def __init__(self, policy: ScoringPolicy) -> None:
        self.policy, self.asked = policy, []

    def scoring_policy(self, tenant: str, at: datetime) -> ScoringPolicy:
        self.asked.append((tenant, at))
        return self.policy


def test_a_client_the_tenant_does_not_have_has_no_scorecard() -> None:
    reader = Reader([row("A-1", "yes")])

    assert ScorecardView(reader).scorecard("other-msp", CLIENT, TODAY) is None
    assert reader.cursor_used.asked == [("other-msp", CLIENT)]


def test_the_scorecard_is_read_from_the_client_alignment_tables_for_the_client_and_tenant() -> None:
    reader = Reader([])

    ScorecardView(reader).scorecard(TENANT, CLIENT, TODAY)

    assert reader.names == ["client_alignment"]
    assert reader.cursor_used.asked == [(TENANT, CLIENT), {"client": CLIENT, "tenant": TENANT}]
    assert reader.cursor_used.sql == [
        "SELECT 1 FROM clients WHERE tenant = %s AND client_id = %s", SCORECARD_SQL]


def test_items_are_sorted_by_category_then_as_people_read_their_keys() -> None:
    reader = Reader([row("BAK-10", "yes"), row("BAK-2", "yes"), row("AAA-1", "yes", category="wireless"),
                     row("bak-3", "no")])

    card = ScorecardView(reader).scorecard(TENANT, CLIENT, TODAY)

    assert card is not None
    assert [i.key for i in card.items] == ["BAK-2", "bak-3", "BAK-10", "AAA-1"]


def test_the_scorecard_scores_by_the_policy_in_force_by_the_end_of_the_day() -> None:
    policies = Policies(ScoringPolicy(weights={"high": Decimal(1), "medium": Decimal(1), "low": Decimal(3)}))
    reader = Reader([row("A-1", "yes", priority="high"), row("A-2", "no", priority="low")])

    card = ScorecardView(reader, policies).scorecard(TENANT, CLIENT, TODAY)

    assert card is not None
    assert policies.asked == [(TENANT, datetime(2027, 3, 1, 23, 59, 59, 999999, tzinfo=UTC))]
    assert (card.client_id, card.today, card.score) == (CLIENT, TODAY, Decimal("25.00"))
    assert [(c.category, c.score) for c in card.categories] == [("backups", Decimal("25.00"))]


def test_the_scorecard_counts_answers_coverage_fresh_coverage_and_stale_answers() -> None:
    reader = Reader([row("A-1", "yes"), row("A-2", "no", observed=OLD), row("A-3", "not_applicable"),
                     row("A-4", None, observed=None), row("B-1", "yes", category="email")])

    card = ScorecardView(reader).scorecard(TENANT, CLIENT, TODAY)

    assert card is not None
    assert (card.answered, card.aligned, card.misaligned_count, card.not_applicable, card.unanswered,
            card.stale, card.score, card.coverage, card.fresh_coverage) == (
        3, 2, 1, 1, 1, 1, Decimal("66.67"), Decimal("75.00"), Decimal("50.00"))
    assert [(c.category, c.answered, c.aligned) for c in card.categories] == [
        ("backups", 2, 1), ("email", 1, 1)]
