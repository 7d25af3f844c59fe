"""What the audit timeline's events need to know of earlier ones, loaded once per batch.

Before a batch, :meth:`BatchMemo.load` reads, in one query per kind of fact, everything its
events will ask about (profiles, decision makers' titles, the latest answer and rating of each
review item, each client's latest answer to a standard, answer counts, standards' keys
and states); the events then read and update these maps
instead of querying per event, which kept the write-behind cursor out of pipeline mode. A fact
the batch did not load (an event applied on its own, a dead letter retried) is read on demand.
"""

from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

from psycopg import Cursor

from aggregates.client import Client
from aggregates.standard import Standard

Pair = tuple[UUID, UUID]
#: A fact the memo has no entry for (``None`` is an entry: known to have no value).
UNKNOWN = object()
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
#: The timeline's secondary indexes (the queries above and the timeline's readers use them),
#: named as PostgreSQL names them by default, so a rebuild can create them after its load.
#: Ids are unique across tenants, so no index leads with the tenant (the readers still filter
#: on it): text keys are compared by the collation, and building the two that led with it was
#: 455 of the timeline's 860 ms of index builds after a rebuild of the 200,000-event benchmark
#: log (pg_stat_statements, 2026-11-28); every event a runner applies updates each index too.
#: Only rows that have one are indexed by decision maker, and only standards' own rows by
#: standard (the committee's trail; a client's answers to a standard are found by client).
TIMELINE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS timeline_client_id_position_idx ON timeline (client_id, position)",
    "CREATE INDEX IF NOT EXISTS timeline_standard_id_position_idx ON timeline (standard_id, position)"
    " WHERE aggregate_kind = 'standard'",
    "CREATE INDEX IF NOT EXISTS timeline_review_id_standard_id_position_idx"
    " ON timeline (review_id, standard_id, position)",
    "CREATE INDEX IF NOT EXISTS timeline_client_id_standard_id_position_idx"
    " ON timeline (client_id, standard_id, position)",
    "CREATE INDEX IF NOT EXISTS timeline_decision_maker_id_idx ON timeline (decision_maker_id)"
    " WHERE decision_maker_id IS NOT NULL",
)
STANDARDS_SQL = ("SELECT standard_id, key, category, status, revision FROM standards"
                 " WHERE standard_id = ANY(%s)")


class BatchMemo:
    """Maps of earlier facts; a key present with ``None`` is known to have no value.
    ``complete``: every fact is already in the maps (a rebuild that kept its memo from the
    start of the log), so a fact missing from them is known to have no value. A complete memo
    forgets a review's items once it is finalised (nothing answers or rates them again), so it
    holds the reviews under way, not the whole log; a fact of a review it forgot is read back
    from the tables."""

    def __init__(self, complete: bool = False) -> None:
        self.complete = complete
        self.profiles: dict[UUID, dict[str, Any]] = {}
        self.titles: dict[UUID, str | None] = {}
        self.answers: dict[Pair, str | None] = {}
        self.ratings: dict[Pair, str | None] = {}
        self.counts: dict[UUID, int] = {}
        self.standards: dict[UUID, tuple[Any, ...]] = {}
        #: (client, standard) -> (review, answer) of the client's latest answer to it
        self.latest: dict[Pair, tuple[UUID, str] | None] = {}
        #: complete memo: the items kept of each review under way; the reviews forgotten
        self.items: dict[UUID, set[UUID]] = {}
        self.forgotten: set[UUID] = set()

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

    def size(self) -> int:
        """Entries held (the maps that grow with clients, standards and reviews under way)."""
        return len(self.latest) + len(self.answers)

    def set_answer(self, pair: Pair, answer: str) -> None:
        """A new answer to the item: it clears the item's rating."""
        self.answers[pair], self.ratings[pair] = answer, None
        if self.complete:
            self._keep(pair)

    def set_rating(self, pair: Pair, rating: str) -> None:
        self.ratings[pair] = rating
        if self.complete:
            self._keep(pair)

    def _keep(self, pair: Pair) -> None:
        """Note the item under its review (a complete memo forgets it with the review)."""
        items = self.items.get(pair[0])
        if items is None:
            items = self.items[pair[0]] = set()
        items.add(pair[1])

    def finalised(self, review_id: UUID) -> None:
        """The review is finalised: a complete memo forgets its items and count."""
        if not self.complete:
            return
        for standard_id in self.items.pop(review_id, ()):
            self.answers.pop((review_id, standard_id), None)
            self.ratings.pop((review_id, standard_id), None)
        self.counts.pop(review_id, None)
        self.forgotten.add(review_id)

    # --- on demand ---------------------------------------------------------------------------

    def profile(self, cur: Cursor[Any], client_id: UUID) -> dict[str, Any]:
        if client_id not in self.profiles:
            self._load_profiles(cur, {client_id})
        return self.profiles.get(client_id) or {}

    def title(self, cur: Cursor[Any], decision_maker_id: UUID) -> str | None:
        if decision_maker_id not in self.titles:
            self._load_titles(cur, {decision_maker_id})
        return self.titles[decision_maker_id]

    # One lookup each where the fact is known (these run for every answer of a rebuild).

    def answer(self, cur: Cursor[Any], pair: Pair) -> str | None:
        found = self.answers.get(pair, UNKNOWN)
        if found is UNKNOWN:
            if self._known_absent(pair[0]):
                return None
            self._load_pairs(cur, {pair})
            found = self.answers[pair]
        return cast(str | None, found)

    def rating(self, cur: Cursor[Any], pair: Pair) -> str | None:
        if pair not in self.ratings:
            if self._known_absent(pair[0]):
                return None
            self._load_pairs(cur, {pair})
        return self.ratings[pair]

    def _known_absent(self, review_id: UUID) -> bool:
        """A complete memo lacks the item of a review it did not forget: it has no value
        (nothing to load, nothing to note: per answer, that was most of a rebuild's memo work)."""
        return self.complete and review_id not in self.forgotten

    def count(self, cur: Cursor[Any], review_id: UUID) -> int:
        found = self.counts.get(review_id)
        if found is None:
            self._load_counts(cur, {review_id})
            found = self.counts[review_id]
        return found

    def standard(self, cur: Cursor[Any], standard_id: UUID) -> tuple[Any, ...]:
        found = self.standards.get(standard_id)
        if found is None:
            self._load_standards(cur, {standard_id})
            found = self.standards[standard_id]
        return found

    def latest_answer(self, cur: Cursor[Any], client_id: UUID,
                      standard_id: UUID) -> tuple[UUID, str] | None:
        pair = (client_id, standard_id)
        found = self.latest.get(pair, UNKNOWN)
        if found is not UNKNOWN:
            return cast(tuple[UUID, str] | None, found)
        if self.complete:  # a complete memo knows there is none
            return None
        self._load_latest(cur, {pair})
        return self.latest[pair]

    # --- loading -----------------------------------------------------------------------------

    def _rows(self, cur: Cursor[Any], query: str, params: Sequence[Any],
              read: bool = False) -> list[Any]:
        return [] if self.complete and not read else cur.execute(query, params).fetchall()

    def _load_profiles(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := {k for k in ids if k not in self.profiles}:
            self.profiles.update(self._rows(cur, PROFILES_SQL, (list(ids),)))

    def _load_titles(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := {k for k in ids if k not in self.titles}:
            self.titles.update(dict.fromkeys(ids))
            self.titles.update(self._rows(cur, TITLES_SQL, (list(ids),)))

    def _load_pairs(self, cur: Cursor[Any], pairs: set[Pair]) -> None:
        if pairs := {k for k in pairs if k not in self.answers}:
            columns = ([p[0] for p in pairs], [p[1] for p in pairs])
            self.answers.update(dict.fromkeys(pairs))
            self.ratings.update(dict.fromkeys(pairs))
            read = any(p[0] in self.forgotten for p in pairs)
            for review, standard, after in self._rows(cur, ANSWERS_SQL, columns, read):
                self.answers[review, standard] = after
            for review, standard, kind, after in self._rows(cur, RATINGS_SQL, columns, read):
                self.ratings[review, standard] = after if kind == "answer_rated" else None

    def _load_latest(self, cur: Cursor[Any], pairs: set[Pair]) -> None:
        if pairs := {k for k in pairs if k not in self.latest}:
            self.latest.update(dict.fromkeys(pairs))
            columns = ([p[0] for p in pairs], [p[1] for p in pairs])
            for client, standard, review, after in self._rows(cur, LATEST_SQL, columns):
                self.latest[client, standard] = (review, after)

    def _load_counts(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := {k for k in ids if k not in self.counts}:
            self.counts.update(dict.fromkeys(ids, 0))
            self.counts.update(self._rows(cur, COUNTS_SQL, (list(ids),),
                                          not self.forgotten.isdisjoint(ids)))

    def _load_standards(self, cur: Cursor[Any], ids: set[UUID]) -> None:
        if ids := {k for k in ids if k not in self.standards}:
            self.standards.update({i: (str(i), None, None, None) for i in ids})
            for standard_id, *row in self._rows(cur, STANDARDS_SQL, (list(ids),)):
                self.standards[standard_id] = tuple(row)

