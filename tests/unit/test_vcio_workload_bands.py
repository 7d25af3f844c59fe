"""The vCIO dashboard places each vCIO's touches and meetings held a month against the MSP's
workload bands per vCIO (``touches_per_vcio_month``, ``meetings_per_vcio_month``)."""

from decimal import Decimal

from projections.targets import DEFAULT_TARGETS, Band
from projections.vcio_dashboard_figures import Counts, VcioMetrics, placed_against

THREE_MONTHS = Decimal(3)


def metrics(vcio: str | None, touches: int = 0, meetings_held: int = 0,
            months: Decimal = THREE_MONTHS) -> VcioMetrics:
    return VcioMetrics(vcio, Counts(touches=touches, meetings_held=meetings_held), months, 0,
                       *placed_against(DEFAULT_TARGETS))


def test_touches_a_month_are_the_periods_touches_over_its_months() -> None:
    assert metrics("vera.vcio", touches=100).touches_per_month == Decimal("33.3")


def test_touches_a_month_below_the_low_end_are_placed_below() -> None:
    assert metrics("vera.vcio", touches=104).touches_per_month_band == "below"  # 34.7 < 35


def test_touches_a_month_at_the_high_end_are_placed_in_the_band() -> None:
    assert metrics("vera.vcio", touches=270).touches_per_month_band == "in"  # 90, inclusive


def test_meetings_held_a_month_above_the_high_end_are_placed_above() -> None:
    assert metrics("vera.vcio", meetings_held=72).meetings_per_month_band == "above"  # 24 > 23


def test_meetings_are_placed_against_the_msps_own_band() -> None:
    own = VcioMetrics("vera.vcio", Counts(meetings_held=3), THREE_MONTHS, 0,
                      DEFAULT_TARGETS.nrr_share_percent, DEFAULT_TARGETS.touches_per_vcio_month,
                      Band(Decimal(1), Decimal(2)))

    assert own.meetings_per_month_band == "in"


def test_the_whole_msp_is_not_placed_against_a_per_vcio_band() -> None:
    msp = metrics(None, touches=270, meetings_held=45)

    assert (msp.touches_per_month_band, msp.meetings_per_month_band) == (None, None)


def test_an_empty_period_has_no_rate_and_no_band() -> None:
    empty = metrics("vera.vcio", touches=5, months=Decimal(0))

    assert (empty.touches_per_month, empty.touches_per_month_band) == (None, None)
