"""The dashboard's target bands: the brief's and the manual's numbers, in one place."""

from decimal import Decimal

import pytest

from projections.targets import DEFAULT_TARGETS


def test_an_average_mrr_of_3400_is_within_the_manuals_band_of_2500_to_3500() -> None:
    assert DEFAULT_TARGETS.average_mrr.place(Decimal(3400)) == "in"


def test_an_average_mrr_above_3500_is_above_the_band() -> None:
    assert DEFAULT_TARGETS.average_mrr.place(Decimal("3500.01")) == "above"


def test_the_manuals_example_vcio_with_120000_mrr_is_within_the_mrr_per_vcio_band() -> None:
    assert DEFAULT_TARGETS.mrr_per_vcio.place(Decimal(120000)) == "in"


def test_forty_clients_are_within_the_clients_per_vcio_band() -> None:
    assert DEFAULT_TARGETS.clients_per_vcio.place(Decimal(40)) == "in"


def test_no_value_has_no_place_in_a_band() -> None:
    assert DEFAULT_TARGETS.average_mrr.place(None) is None


def test_a_value_below_the_low_end_is_below_the_band() -> None:
    assert DEFAULT_TARGETS.average_mrr.place(Decimal("2499.99")) == "below"


@pytest.mark.parametrize("value", [Decimal(2500), Decimal(3500)])
def test_both_ends_of_a_band_are_in_it(value: Decimal) -> None:
    assert DEFAULT_TARGETS.average_mrr.place(value) == "in"
