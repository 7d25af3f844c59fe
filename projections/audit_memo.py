"""What the audit timeline's events need to know of earlier ones, loaded once per batch.

Before a batch, :meth:`BatchMemo.load` reads, in one query per kind of fact, everything its
events will ask about (profiles, decision makers' titles, the latest answer and rating of each
review item, each client's latest answer to a standard, answer counts, standards' keys
and states); the events then read and update these maps
instead of querying per event, which kept the write-behind cursor out of pipeline mode. A fact
the batch did not load (an event applied on its own, a dead letter retried) is read on demand.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from psycopg import Cursor

from aggregates.client import Client
from aggregates.standard import Standard

Pair = tuple[UUID, UUID]
STANDARD_CHANGES = (Standard.StandardPublished, Standard.StandardRevised, Standard.StandardRetired)

PROFILES_SQL = "SELECT client_id, profile FROM profiles WHERE client_id = ANY(%s)"
TITLES_SQL = ("SELECT decision_maker_id, after FROM timeline WHERE decision_maker_id = ANY(%s)"
              " AND kind = 'decision_maker_added'")
PAIRS = "(review_id, standard_id) IN (SELECT * FROM unnest(%s::uuid[], %s::uuid[]))"
ANSWERS_SQL = ("SELECT DISTINCT ON (review_id, standard_id) review_id, standard_id, after"
               " FROM timeline WHERE " + PAIRS + " AND kind IN ('answer_recorded', 'answer_changed')"
               " ORDER BY review_id, standard_id, position DESC")
RATINGS_SQL = ("SELECT DISTINCT ON (review_id, standard_id) review_id, standard_id, kind, after"
               " FROM timeline WHERE " + PAIRS + " AND kind IN ('answer_recorded',"
               " 'answer_changed', 'answer_rated') ORDER BY review_id, standard_id, position DESC")
LATEST_SQL = ("SELECT DISTINCT ON (client_id, standard_id) client_id, standard_id, review_id, after"
              " FROM timeline WHERE (client_id, standard_id) IN"
              " (SELECT * FROM unnest(%s::uuid[], %s::uuid[]))"
              " AND kind IN ('answer_recorded', 'answer_changed')"
              " ORDER BY client_id, standard_id, position DESC")
COUNTS_SQL = ("SELECT review_id, count(*) FROM timeline WHERE review_id = ANY(%s)"
              " AND kind = 'answer_recorded' GROUP BY review_id")
STANDARDS_SQL = ("SELECT standard_id, key, category, status, revision FROM standards"
                 " WHERE standard_id = ANY(%s)")


class BatchMemo:
    """Maps of earlier facts; a key present with ``None`` is known to have no value."""

    def __init__(self) -> None:
        self.profiles: dict[UUID, dict[str, Any]] = {}
        self.titles: dict[UUID, str | None] = {}
        self.answers: dict[Pair, str | None] = {}
        self.ratings: dict[Pair, str | None] = {}
        self.counts: dict[UUID, int] = {}
        self.standards: dict[UUID, tuple[Any, ...]] = {}
        #: (client, standard) -> (review, answer) of the client's latest answer to it
        self.latest: dict[Pair, tuple[UUID, str] | None] = {}

    def load(self, cur: Cursor[Any], events: Sequence[Any]) -> None:
        """Read what ``events`` will ask about, in one query per kind of fact."""
        clients, titles, pairs, reviews, standards, answered = (set(), set(), set(), set(), set(),
                                                                set())
        for e in events:
            if isinstance(e, Client.ClientProfileChanged):
                clients.add(e.originator_id)
            elif isinstance(e, Client.DecisionMakerRemoved):
                titles.add(e.decision_maker_id)
            elif isinstance(e, Client.AnswerRecorded | Client.AnswerRated):
                if isinstance(e, Client.AnswerRecorded):
                    answered.add((e.originator_id, e.standard_id))
                pairs.add((e.review_id, e.standard_id))
                standards.add(e.standard_id)
                reviews.add(e.review_id)
            elif isinstance(e, Client.ReviewCompleted):
                reviews.add(e.review_id)
            elif isinstance(e, STANDARD_CHANGES):
                standards.update(i for i in (e.originator_id, getattr(e, "replaced_by", None)) if i)
        self._load_profiles(cur, clients)
        self._load_titles(cur, titles)
        self._load_pairs(cur, pairs)
        self._load_counts(cur, reviews)
        self._load_standards(cur, standards)
        self._load_latest(cur, answered)

    # --- on demand ---------------------------------------------------------------------------

    def profile(self, cur: Cursor[Any], client_id: UUID) -> dict[str, Any]:
        if client_id not in self.profiles:
            self._load_profiles(cur, {client_id})
        return self.profiles.get(client_id) or {}

    def title(self, cur: Cursor[Any], decision_maker_id: UUID) -> str | None:
        if decision_maker_id not in self.titles:
            self._load_titles(cur, {decision_maker_id})
        return self.titles[decision_maker_id]

    def answer(self, cur: Cursor[Any], pair: Pair) -> str | None:
        if pair not in self.answers:
            self._load_pairs(cur, {pair})
        return self.answers[pair]

    def rating(self, cur: Cursor[Any], pair: Pair) -> str | None:
        if pair not in self.ratings:
            self._load_pairs(cur, {pair})
        return self.ratings[pair]

    def count(self, cur: Cursor[Any], review_id: UUID) -> int:
        if review_id not in self.counts:
            self._load_counts(cur, {review_id})
        return self.counts[review_id]

    def standard(self, cur: Cursor[Any], standard_id: UUID) -> tuple[Any, ...]:
        if standard_id not in self.standards:
            self._load_standards(cur, {standard_id})
        return self.standards[standard_id]

    def latest_answer(self, cur: Cursor[Any], client_id: UUID,
                      standard_id: UUID) -> tuple[UUID, str] | None:
        if (client_id, standard_id) not in self.latest:
            self._load_latest(cur, {(client_id, standard_id)})
        return self.latest[client_id, standard_id]

    # --- loading -----------------------------------------------------------------------------

    def _load_profiles(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := ids - self.profiles.keys():
            self.profiles.update(cur.execute(PROFILES_SQL, (list(ids),)).fetchall())

    def _load_titles(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := ids - self.titles.keys():
            self.titles.update(dict.fromkeys(ids))
            self.titles.update(cur.execute(TITLES_SQL, (list(ids),)).fetchall())

    def _load_pairs(self, cur: Cursor[Any], pairs: set[Pair]) -> None:
        if pairs := pairs - self.answers.keys():
            columns = ([p[0] for p in pairs], [p[1] for p in pairs])
            self.answers.update(dict.fromkeys(pairs))
            self.ratings.update(dict.fromkeys(pairs))
            for review, standard, after in cur.execute(ANSWERS_SQL, columns).fetchall():
                self.answers[review, standard] = after
            for review, standard, kind, after in cur.execute(RATINGS_SQL, columns).fetchall():
                self.ratings[review, standard] = after if kind == "answer_rated" else None

    def _load_latest(self, cur: Cursor[Any], pairs: set[Pair]) -> None:
        if pairs := pairs - self.latest.keys():
            self.latest.update(dict.fromkeys(pairs))
            columns = ([p[0] for p in pairs], [p[1] for p in pairs])
            for client, standard, review, after in cur.execute(LATEST_SQL, columns).fetchall():
                self.latest[client, standard] = (review, after)

    def _load_counts(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := ids - self.counts.keys():
            self.counts.update(dict.fromkeys(ids, 0))
            self.counts.update(cur.execute(COUNTS_SQL, (list(ids),)).fetchall())

    def _load_standards(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := ids - self.standards.keys():
            self.standards.update({i: (str(i), None, None, None) for i in ids})
            for standard_id, *row in cur.execute(STANDARDS_SQL, (list(ids),)).fetchall():
                self.standards[standard_id] = tuple(row)

