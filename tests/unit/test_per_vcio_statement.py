"""The vCIO dashboard's per-vCIO statement is rendered once per table of cadence rules
(``projections.vcio_dashboard_sql.per_vcio_statement``), not on every request."""

from aggregates.cadence_rules import default_rules
from projections.vcio_dashboard_sql import per_vcio_statement


def test_equal_rules_read_apart_give_the_statement_rendered_once() -> None:
    first, again = default_rules(), default_rules().model_copy(deep=True)

    assert per_vcio_statement(first) is per_vcio_statement(again)


def test_rules_with_other_touches_give_another_statement() -> None:
    rules = default_rules()
    more = rules.model_copy(update={"cadence_rules": [
        rule.model_copy(update={"touches_per_month": rule.touches_per_month + 1})
        for rule in rules.cadence_rules]})

    assert per_vcio_statement(more) != per_vcio_statement(rules)
