"""The alignment score of the brief: ``100 * sum(weight * factor) / sum(weight)``.

Default weights: high 5, medium 3, low 1. Factors: aligned 1, marginal 0.5, highly vulnerable 0,
and a misaligned answer the vCIO has not rated yet 0. Not-applicable and unanswered standards
stay out of the score and show up in the coverage counts instead.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aggregates.errors import InvalidValueError
from projections.scoring import (
    ScoredItem,
    ScoringPolicy,
    score,
    score_by_category,
    score_rows_by_category,
)


def item(priority: str = "high", answer: str | None = "yes", rating: str | None = None, *,
         expected: str = "yes", category: str = "firewalls") -> ScoredItem:
    return ScoredItem(category, priority, expected, answer, rating)


def test_an_aligned_answer_scores_full_marks() -> None:
    assert score([item("low", "yes")]).score == Decimal("100.0")


def test_an_answer_matching_an_expected_no_is_aligned() -> None:
    assert score([item("medium", "no", expected="no")]).score == Decimal("100.0")


def test_a_marginal_rating_scores_half() -> None:
    assert score([item("high", "no", "marginal")]).score == Decimal("50.0")


def test_a_highly_vulnerable_rating_scores_nothing() -> None:
    assert score([item("high", "no", "highly_vulnerable")]).score == Decimal("0.0")


def test_an_unrated_misaligned_answer_scores_nothing() -> None:
    assert score([item("high", "no", None)]).score == Decimal("0.0")


def test_weights_follow_priority_high_5_medium_3_low_1() -> None:
    items = [item("high", "yes"), item("medium", "no", "highly_vulnerable"),
             item("low", "no", "highly_vulnerable")]

    # 100 * 5 / (5 + 3 + 1)
    assert score(items).score == Decimal("55.56")


def test_a_mixed_review_combines_weights_and_factors() -> None:
    items = [
        item("high", "yes"),                            # 5 * 1
        item("medium", "no", "marginal"),               # 3 * 0.5
        item("low", "no", "highly_vulnerable"),         # 1 * 0
        item("high", "no", None),                       # 5 * 0, not rated yet
    ]

    # 100 * 6.5 / 14 = 46.43
    assert score(items).score == Decimal("46.43")


def test_not_applicable_and_unanswered_standards_leave_the_score_unchanged() -> None:
    scored = [item("high", "yes"), item("medium", "no", "marginal")]
    left_out = [item("high", "not_applicable"), item("low", None)]

    assert score(scored + left_out).score == score(scored).score == Decimal("81.25")


def test_not_applicable_and_unanswered_standards_are_counted_as_coverage() -> None:
    items = [item("high", "yes"), item("medium", "no", "marginal"), item("low", "no"),
             item("high", "not_applicable"), item("low", None), item("medium", None)]

    result = score(items)

    assert (result.answered, result.aligned, result.misaligned) == (3, 1, 2)
    assert (result.not_applicable, result.unanswered) == (1, 2)
    assert result.coverage == Decimal("60.00")  # 3 answered of 5 applicable; the n/a is out


def test_a_review_with_no_applicable_answer_has_no_score() -> None:
    result = score([item("high", "not_applicable"), item("low", None)])

    assert result.score is None
    assert result.coverage == Decimal("0.00")


def test_each_category_is_scored_on_its_own_standards() -> None:
    items = [item("high", "yes", category="firewalls"),
             item("low", "no", "marginal", category="firewalls"),
             item("medium", "no", "highly_vulnerable", category="email"),
             item("low", "yes", category="email"),
             item("high", None, category="backup")]

    by_category = score_by_category(items)

    assert by_category["firewalls"].score == Decimal("91.67")  # 100 * 5.5 / 6
    assert by_category["email"].score == Decimal("25.0")  # 100 * 1 / 4
    assert by_category["backup"].score is None
    assert by_category["backup"].unanswered == 1


WORKED_EXAMPLE = [
    item("high", "yes", category="firewalls"),                        # 5 * 1
    item("medium", "no", "marginal", category="firewalls"),           # 3 * 0.5
    item("high", "no", "highly_vulnerable", category="firewalls"),    # 5 * 0
    item("low", "no", None, category="email"),                        # 1 * 0, not rated yet
    item("high", "not_applicable", category="email"),                 # out of score and coverage
    item("medium", None, category="email"),                           # unanswered: coverage only
    item("low", "no", "marginal", expected="no", category="email"),   # aligned: 1 * 1
]


def test_the_worked_example_scores_exactly_to_two_decimals() -> None:
    # 100 * (5 + 1.5 + 0 + 0 + 1) / (5 + 3 + 5 + 1 + 1) = 100 * 7.5 / 15
    assert score(WORKED_EXAMPLE).score == Decimal("50.00")


def test_the_worked_example_coverage_leaves_the_na_out_of_both_sides() -> None:
    result = score(WORKED_EXAMPLE)

    # 5 answered applicable / (7 in scope - 1 n/a) = 5 / 6
    assert (result.coverage, result.not_applicable, result.unanswered) == (Decimal("83.33"), 1, 1)


def test_the_worked_example_scores_each_category_on_its_own() -> None:
    by_category = score_by_category(WORKED_EXAMPLE)

    # firewalls: 100 * 6.5 / 13 = 50; email: 100 * (0 + 1) / (1 + 1) = 50, coverage 2 / 3
    assert (by_category["firewalls"].score, by_category["firewalls"].coverage) == (
        Decimal("50.00"), Decimal("100.00"))
    assert (by_category["email"].score, by_category["email"].coverage) == (
        Decimal("50.00"), Decimal("66.67"))


def test_a_category_answered_yes_no_and_na_is_fully_covered() -> None:
    items = [item("high", "yes"), item("high", "no", "marginal"), item("high", "not_applicable")]

    assert score(items).coverage == Decimal("100.00")


def test_an_msp_can_configure_its_own_weights_and_factors() -> None:
    policy = ScoringPolicy(weights={"high": Decimal(10), "medium": Decimal(2), "low": Decimal(1)},
                           marginal=Decimal("0.25"))
    items = [item("high", "no", "marginal"), item("medium", "yes")]

    # 100 * (10 * 0.25 + 2 * 1) / 12
    assert score(items, policy).score == Decimal("37.5")


PRIORITIES = st.sampled_from(["high", "medium", "low"])
EXPECTED = st.sampled_from(["yes", "no"])
ANSWERS = st.sampled_from([None, "yes", "no", "not_applicable"])
RATINGS = st.sampled_from([None, "marginal", "highly_vulnerable"])
CATEGORIES = st.sampled_from(["firewalls", "email", "backup"])
ANY_ITEM = st.builds(ScoredItem, CATEGORIES, PRIORITIES, EXPECTED, ANSWERS, RATINGS)


ALIGNED_ITEM = st.builds(lambda category, priority, expected: ScoredItem(
    category, priority, expected, expected), CATEGORIES, PRIORITIES, EXPECTED)


@given(st.lists(ANY_ITEM, max_size=40))
def test_any_score_lies_between_0_and_100(items: list[ScoredItem]) -> None:
    result = score(items)

    if result.answered:
        assert result.score is not None
        assert Decimal(0) <= result.score <= Decimal(100)
    else:
        assert result.score is None


@given(st.lists(ANY_ITEM, max_size=40))
def test_every_in_scope_standard_is_counted_exactly_once(items: list[ScoredItem]) -> None:
    result = score(items)

    assert result.answered + result.not_applicable + result.unanswered == len(items)
    assert result.aligned + result.misaligned == result.answered


@given(st.lists(ALIGNED_ITEM, min_size=1, max_size=40),
       st.lists(ANY_ITEM.filter(lambda i: not i.is_applicable_answer), max_size=10))
def test_all_aligned_answers_score_100_whatever_is_left_out(
        aligned_items: list[ScoredItem], left_out: list[ScoredItem]) -> None:
    assert score(aligned_items + left_out).score == Decimal("100.0")


@given(st.lists(ANY_ITEM, max_size=40))
def test_category_scores_cover_every_item_once(items: list[ScoredItem]) -> None:
    by_category = score_by_category(items)

    assert sum(s.answered + s.not_applicable + s.unanswered
               for s in by_category.values()) == len(items)


def test_a_half_hundredth_rounds_up() -> None:
    # 100 * (1 * 0.5) / (1 + 3 * 5) = 3.125
    items = [item("low", "no", "marginal"), *[item("high", "no", "highly_vulnerable")] * 3]

    assert score(items).score == Decimal("3.13")


def test_a_policy_s_highly_vulnerable_and_unrated_factors_apply_to_their_own_answers() -> None:
    policy = ScoringPolicy(highly_vulnerable=Decimal("0.2"), unrated=Decimal("0.1"))

    assert (score([item("high", "no", "highly_vulnerable")], policy).score,
            score([item("high", "no")], policy).score) == (Decimal("20.00"), Decimal("10.00"))


def test_each_category_is_scored_under_the_given_policy() -> None:
    policy = ScoringPolicy(marginal=Decimal("0.25"))

    by_category = score_by_category([item("high", "no", "marginal", category="email")], policy)

    assert by_category["email"].score == Decimal("25.00")


@pytest.mark.parametrize("missing", ["high", "medium", "low"])
def test_a_policy_without_a_weight_for_a_priority_is_refused_naming_it(missing: str) -> None:
    weights = {p: Decimal(1) for p in ("high", "medium", "low") if p != missing}

    with pytest.raises(InvalidValueError) as refused:
        ScoringPolicy(weights=weights)

    assert (refused.value.field, refused.value.reason) == (
        f"weights.{missing}", "every priority needs a weight")


def test_a_negative_weight_is_refused_naming_it() -> None:
    with pytest.raises(InvalidValueError) as refused:
        ScoringPolicy(weights={"high": Decimal(5), "medium": Decimal(-1), "low": Decimal(1)})

    assert (refused.value.field, refused.value.reason) == ("weights.medium", "must not be negative")


def test_all_weights_zero_is_refused_naming_the_weights() -> None:
    with pytest.raises(InvalidValueError) as refused:
        ScoringPolicy(weights={"high": Decimal(0), "medium": Decimal(0), "low": Decimal(0)})

    assert (refused.value.field, refused.value.reason) == ("weights", "at least one weight must be above 0")


def test_a_zero_weight_beside_others_is_accepted() -> None:
    policy = ScoringPolicy(weights={"high": Decimal(5), "medium": Decimal(0), "low": Decimal(0)})

    assert score([item("high", "yes"), item("low", "no")], policy).score == Decimal("100.00")


@pytest.mark.parametrize("factor", ["aligned", "marginal", "highly_vulnerable", "unrated"])
@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("1.01")])
def test_a_factor_outside_0_to_1_is_refused_naming_it(factor: str, value: Decimal) -> None:
    with pytest.raises(InvalidValueError) as refused:
        ScoringPolicy(**{factor: value})

    assert (refused.value.field, refused.value.reason) == (factor, "must be between 0 and 1")


@pytest.mark.parametrize("value", [Decimal(0), Decimal(1)])
def test_factors_of_exactly_0_and_1_are_accepted(value: Decimal) -> None:
    assert ScoringPolicy(marginal=value).marginal == value


def test_rows_read_from_a_table_score_by_category_as_the_items_they_hold() -> None:
    items = [item("high", "no", "marginal", category="email"), item("low", "yes"),
             item("medium", None, category="email"), item("high", "not_applicable")]

    by_rows = score_rows_by_category([(i.category, i.priority, i.expected_answer, i.answer,
                                       i.rating) for i in items])

    assert by_rows == score_by_category(items) and by_rows["email"].score == Decimal("50.00")
