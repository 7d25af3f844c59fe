"""A rebuild shares its read models out between workers by the work each is expected to do."""

from dataclasses import dataclass, field
from typing import Any, cast

from projections.rebuild_workers import share_out
from projections.runner import BatchProjector


@dataclass
class Costed:
    rebuild_cost: float


@dataclass
class Model:
    name: str
    topics: frozenset[str]
    projection: Costed = field(default_factory=lambda: Costed(1.0))


def model(name: str, topics: set[str], cost: float = 1.0) -> BatchProjector:
    return cast(BatchProjector, Model(name, frozenset(topics), Costed(cost)))


def names(groups: list[list[Any]]) -> list[set[str]]:
    return [{p.name for p in group} for group in groups]


COUNTS = {"answer": 10_000, "review": 100, "meeting": 50}


def test_the_two_costliest_read_models_go_to_different_workers() -> None:
    models = [model("timeline", {"answer", "review"}, 2.4), model("scores", {"answer"}, 2.0),
              model("meetings", {"meeting"})]

    groups = share_out(models, COUNTS, 2)

    assert len(groups) == 2
    assert all(not {"timeline", "scores"} <= group for group in names(groups))


def test_read_models_are_shared_so_the_busiest_worker_has_least_work() -> None:
    models = [model(n, {"answer"}, cost) for n, cost in
              (("a", 3.0), ("b", 2.0), ("c", 2.0), ("d", 1.0))]

    groups = share_out(models, COUNTS, 2)

    assert sorted(names(groups), key=sorted) == [{"a", "d"}, {"b", "c"}]


def test_every_read_model_is_built_by_exactly_one_worker() -> None:
    models = [model(f"m{n}", {"answer"} if n % 2 else {"meeting"}, 1 + n / 10) for n in range(7)]

    groups = share_out(models, COUNTS, 2)

    built = [p.name for group in groups for p in group]
    assert sorted(built) == sorted(p.name for p in models)


def test_fewer_read_models_than_workers_leaves_no_idle_worker() -> None:
    groups = share_out([model("only", {"answer"})], COUNTS, 2)

    assert names(groups) == [{"only"}]


def test_a_read_model_whose_topics_are_not_in_the_log_is_still_built() -> None:
    groups = share_out([model("empty", {"unknown"}), model("busy", {"answer"})], COUNTS, 2)

    assert sorted(names(groups), key=sorted) == [{"busy"}, {"empty"}]
