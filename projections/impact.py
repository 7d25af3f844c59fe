"""Replay and impact analysis: what happens to completed reviews under another library?

Re-scores completed reviews (by default each client's latest) under two versions of the
library, a baseline and a target, and reports per client the old and new score, the delta and
the items that change state (aligned -> misaligned, anything -> retired...), plus the total
across the MSP. The versions of the library (as answered, as of an instant, current, proposed)
are declared in ``projections.library_versions``.

Answers are re-judged as they stand: an answer compared with a new expected answer, weighted by
a new priority; a misaligned answer with no vCIO rating counts as unrated. Standards retired in
a version leave that version's score. An answer whose question changed meaning between the two
versions (a revision of the question or of the aligned answer, recorded or proposed) is listed
among the items that change even when its state stays the same: it answered other words, so the
committee sees which answers a revision puts in doubt.

Speed (1,000 clients x 300 standards in well under two seconds) comes from two choices: the
reviews are read as one vector row each (``projections.review_vectors``), and the answers of a
review are counted by outcome before scoring, so the pure ``projections.scoring.score`` sees a
few dozen weighted items per review instead of hundreds (see ``counted_policy``).
"""

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from psycopg import Cursor

from projections.as_of import AsOfProjection
from projections.as_of_view import LIBRARY_AT_SQL
from projections.catalog import ProjectionReader
from projections.library_versions import (
    AsAnswered,
    CurrentLibrary,
    LibraryAsOf,
    LibraryOverlay,
    LibraryVersion,
    ProposedLibrary,
    StandardOverride,
    overlay_from_change_set,
)
from projections.review_vectors import all_tokens
from projections.scoring import DEFAULT_POLICY, ScoredItem, ScoringPolicy, score
from projections.standards_library import natural_key

# The library versions are re-exported: a replay is asked for with them.
__all__ = ["AsAnswered", "ClientImpact", "CountedWeights", "CurrentLibrary", "ImpactReport",
           "ImpactView", "ItemChange", "LibraryAsOf", "LibraryOverlay", "LibraryVersion",
           "MspImpact", "ProposedLibrary", "StandardOverride", "counted_policy", "meanings",
           "overlay_from_change_set"]

TENTH = Decimal("0.1")
AS_ANSWERED = AsAnswered()




@dataclass(frozen=True)
class ItemChange:
    standard_id: UUID
    key: str
    old_state: str
    new_state: str
    meaning_changed: bool = False


@dataclass(frozen=True)
class ClientImpact:
    client_id: UUID
    client_name: str
    review_id: UUID
    old_score: Decimal | None
    new_score: Decimal | None
    delta: Decimal | None
    changes: tuple[ItemChange, ...]


@dataclass(frozen=True)
class MspImpact:
    """Totals across the MSP; averages are over clients with a score, to one decimal."""

    clients: int
    clients_changed: int
    items_changed: int
    transitions: dict[str, int]
    average_old: Decimal | None
    average_new: Decimal | None
    average_delta: Decimal | None
    meaning_changes: int = 0


@dataclass(frozen=True)
class ImpactReport:
    baseline: str
    target: str
    clients: list[ClientImpact]
    total: MspImpact


LATEST_REVIEWS_SQL = """
SELECT DISTINCT ON (v.client_id) v.review_id, v.client_id, c.name, v.items
FROM review_vectors v JOIN clients c USING (client_id)
WHERE v.tenant = %s ORDER BY v.client_id, v.seq DESC
"""

CHOSEN_REVIEWS_SQL = """
SELECT v.review_id, v.client_id, c.name, v.items FROM review_vectors v JOIN clients c USING (client_id)
WHERE v.tenant = %s AND v.review_id = ANY(%s)
"""

REVISIONS_SQL = """
SELECT n.number, r.standard_id, r.revision, s.key, r.meaning_changed
FROM standard_numbers n JOIN standard_revisions r USING (standard_id) JOIN standards s USING (standard_id)
WHERE s.tenant = %s ORDER BY r.standard_id, r.revision
"""

# A judge maps (standard id, revision answered, expected answer when answered) to
# (priority, expected answer, in force?) under one version of the library. The category is left
# out on purpose: the overall score does not depend on it, and more answers share an outcome.
Judgement = tuple[str, str, bool]
# A judge also says which words the answer is judged against: the revision that last changed
# the standard's meaning (``PROPOSED_WORDS`` for a proposal that changes it).
Judge = Callable[[UUID, int, str], tuple[Judgement, int]]
Meanings = Mapping[tuple[UUID, int], int]
OUT_OF_LIBRARY: Judgement = ("", "", False)
PROPOSED_WORDS = -1
COUNT_MARK = "*"


def meanings(revisions: list[tuple[int, UUID, int, str, bool]]) -> dict[tuple[UUID, int], int]:
    """For each (standard, revision): the revision whose words it carries, i.e. the latest
    revision up to it that changed the meaning (rows ordered by standard and revision)."""
    found: dict[tuple[UUID, int], int] = {}
    last: dict[UUID, int] = {}
    for _, standard_id, revision, _, meaning_changed in revisions:
        if meaning_changed or standard_id not in last:
            last[standard_id] = revision
        found[(standard_id, revision)] = last[standard_id]
    return found


class CountedWeights(Mapping[str, Decimal]):
    """The policy's weights, read for an item that stands for several identical items:
    ``"high*7"`` weighs as much as seven ``"high"`` items together."""

    def __init__(self, weights: Mapping[str, Decimal]) -> None:
        self.weights = weights

    def __getitem__(self, key: str) -> Decimal:
        priority, mark, count = key.rpartition(COUNT_MARK)
        if not mark:  # a plain priority, as iterating the mapping yields
            return self.weights[key]
        return self.weights[priority] * int(count)

    def __iter__(self) -> Iterator[str]:
        return iter(self.weights)

    def __len__(self) -> int:
        return len(self.weights)


def counted_policy(policy: ScoringPolicy) -> ScoringPolicy:
    """``score()`` adds ``weight x factor`` and ``weight`` item by item, so ``n`` identical items
    count exactly as one item of ``n`` times the weight (the arithmetic is exact Decimal): the
    same numerator, the same denominator, the same rounded score, from a dozen items per review
    instead of hundreds. Only the ``score`` value of the result is meaningful."""
    return replace(policy, weights=CountedWeights(policy.weights))


def quantized(value: Decimal) -> Decimal:
    return value.quantize(TENTH, ROUND_HALF_UP)


def average(values: list[Decimal]) -> Decimal | None:
    return quantized(sum(values, Decimal(0)) / len(values)) if values else None


@dataclass(frozen=True)
class Outcome:
    """What an answer token means under both libraries. ``standard`` is set only where the
    item's state may differ between the two, so the report can name it."""

    old: Judgement
    new: Judgement
    answer: str
    rating: str | None
    standard: tuple[UUID, str] | None
    reworded: bool = False


class Outcomes:
    """Every token an answer can have in this tenant, mapped to a numbered outcome.

    Answers to standards judged alike under both libraries (same priority, expected answer and
    force in each) share an outcome, so a review's few hundred tokens count up to a few dozen
    outcomes; a standard whose expected answer or force differs keeps outcomes of its own."""

    def __init__(self, revisions: list[tuple[int, UUID, int, str, bool]], old: Judge, new: Judge) -> None:
        numbers: dict[Outcome, int] = {}
        self.of_token: dict[str, int] = {}
        for number, standard_id, revision, key, _ in revisions:
            for token, expected, answer, rating in all_tokens(number, revision):
                (before, words_before) = old(standard_id, revision, expected)
                (after, words_after) = new(standard_id, revision, expected)
                reworded = words_before != words_after and before[2] and after[2]
                may_change = before[1:] != after[1:] or reworded
                outcome = Outcome(before, after, answer, rating,
                                  (standard_id, key) if may_change else None, reworded)
                self.of_token[token] = numbers.setdefault(outcome, len(numbers))
        self.by_number = list(numbers)

    def count(self, items: str) -> Counter[int]:
        return Counter(map(self.of_token.__getitem__, items.split()))


class ImpactView:
    """Re-scores completed reviews in bulk under two versions of the library."""

    def __init__(self, reader: ProjectionReader, policy: ScoringPolicy = DEFAULT_POLICY) -> None:
        self.reader = reader
        self.policy = counted_policy(policy)

    def replay(self, tenant: str, target: LibraryVersion,
               baseline: LibraryVersion = AS_ANSWERED,
               review_ids: list[UUID] | None = None, policy: ScoringPolicy | None = None,
               target_policy: ScoringPolicy | None = None) -> ImpactReport:
        """Each client's latest completed review (or the given completed reviews), old vs new.

        Old scores use ``policy`` (default: the view's), new ones ``target_policy`` (default: the
        same), so the committee can replay under a proposed scoring policy as under a proposed
        library, or both at once."""
        with self.reader.cursor(AsOfProjection.name) as cur:
            if review_ids is None:
                cur.execute(LATEST_REVIEWS_SQL, (tenant,))
            else:
                cur.execute(CHOSEN_REVIEWS_SQL, (tenant, review_ids))
            reviews: list[tuple[UUID, UUID, str, str]] = cur.fetchall()
            cur.execute(REVISIONS_SQL, (tenant,))
            revisions = cur.fetchall()
            words = meanings(revisions)
            outcomes = Outcomes(revisions, self._judge(cur, tenant, baseline, words),
                                self._judge(cur, tenant, target, words))
        old_policy = self.policy if policy is None else counted_policy(policy)
        new_policy = old_policy if target_policy is None else counted_policy(target_policy)
        return self._report(reviews, outcomes, baseline, target, (old_policy, new_policy))

    # --- judging under one version of the library -------------------------------------------

    def _judge(self, cur: Cursor[Any], tenant: str, version: LibraryVersion, words: Meanings) -> Judge:
        if isinstance(version, AsAnswered):
            cur.execute("SELECT standard_id, revision, priority FROM standard_revisions"
                        " WHERE tenant = %s", (tenant,))
            priorities = {(r[0], r[1]): r[2] for r in cur.fetchall()}

            def as_answered(standard_id: UUID, revision: int, expected: str) -> tuple[Judgement, int]:
                priority = priorities.get((standard_id, revision))
                judgement = OUT_OF_LIBRARY if priority is None else (priority, expected, True)
                return judgement, words.get((standard_id, revision), revision)
            return as_answered
        library: dict[UUID, tuple[Judgement, int]]
        if isinstance(version, LibraryAsOf):
            cur.execute(LIBRARY_AT_SQL, (tenant, version.at))
            library = {r[0]: ((r[9], r[6], r[2] != "retired"), words.get((r[0], r[3]), r[3]))
                       for r in cur.fetchall()}
        else:
            cur.execute("SELECT standard_id, priority, expected_answer, status <> 'retired', revision"
                        " FROM standards WHERE tenant = %s", (tenant,))
            library = {r[0]: ((r[1], r[2], r[3]), words.get((r[0], r[4]), r[4])) for r in cur.fetchall()}
            if isinstance(version, ProposedLibrary):
                for standard_id, change in version.overlay.overrides.items():
                    if standard_id in library:
                        (priority, expected, in_force), meaning = library[standard_id]
                        library[standard_id] = (
                            (change.priority or priority, change.expected_answer or expected,
                             in_force and not change.retired),
                            PROPOSED_WORDS if change.meaning_changed else meaning)

        def in_library(standard_id: UUID, revision: int, expected: str) -> tuple[Judgement, int]:
            return library.get(standard_id, (OUT_OF_LIBRARY, 0))
        return in_library

    def _report(self, reviews: list[tuple[UUID, UUID, str, str]], outcomes: Outcomes,
                baseline: LibraryVersion, target: LibraryVersion,
                policies: tuple[ScoringPolicy, ScoringPolicy]) -> ImpactReport:
        items: dict[tuple[Judgement, str, str | None, int], tuple[str, ScoredItem | None]] = {}

        def judged(judgement: Judgement, answer: str, rating: str | None,
                   count: int) -> tuple[str, ScoredItem | None]:
            """The item's state, and ``count`` such items as one weighted ScoredItem."""
            key = (judgement, answer, rating, count)
            if key not in items:
                priority, expected, in_force = judgement
                if not in_force:
                    items[key] = ("retired" if priority else "not_in_library", None)
                else:
                    state = ("not_applicable" if answer == "not_applicable" else
                             "aligned" if answer == expected else "misaligned")
                    items[key] = (state, ScoredItem("", f"{priority}{COUNT_MARK}{count}",
                                                    expected, answer, rating))
            return items[key]

        impacts: list[ClientImpact] = []
        transitions: Counter[str] = Counter()
        for review_id, client_id, name, tokens in sorted(reviews, key=lambda r: (r[2], str(r[1]))):
            old_items: list[ScoredItem] = []
            new_items: list[ScoredItem] = []
            changes: list[ItemChange] = []
            for number, count in outcomes.count(tokens).items():
                outcome = outcomes.by_number[number]
                old_state, old_item = judged(outcome.old, outcome.answer, outcome.rating, count)
                new_state, new_item = judged(outcome.new, outcome.answer, outcome.rating, count)
                if old_item is not None:
                    old_items.append(old_item)
                if new_item is not None:
                    new_items.append(new_item)
                if outcome.standard is not None and (old_state != new_state or outcome.reworded):
                    changes.append(ItemChange(*outcome.standard, old_state, new_state, outcome.reworded))
            old, new = score(old_items, policies[0]).score, score(new_items, policies[1]).score
            transitions.update(f"{c.old_state} -> {c.new_state}" for c in changes
                               if c.old_state != c.new_state)
            impacts.append(ClientImpact(client_id, name, review_id, old, new,
                                        None if old is None or new is None else new - old,
                                        tuple(sorted(changes, key=lambda c: natural_key(c.key)))))
        olds = [i.old_score for i in impacts if i.old_score is not None]
        news = [i.new_score for i in impacts if i.new_score is not None]
        deltas = [i.delta for i in impacts if i.delta is not None]
        total = MspImpact(
            clients=len(impacts),
            clients_changed=sum(1 for i in impacts if i.changes or i.old_score != i.new_score),
            items_changed=sum(len(i.changes) for i in impacts),
            transitions=dict(sorted(transitions.items())), average_old=average(olds),
            average_new=average(news), average_delta=average(deltas),
            meaning_changes=sum(1 for i in impacts for c in i.changes if c.meaning_changed))
        return ImpactReport(baseline.label, target.label, impacts, total)
