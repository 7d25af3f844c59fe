"""A reader remembers a read model's live generation for less time than a rebuild waits before
dropping the generation it swapped out, so no read is sent to a dropped schema."""

from projections.catalog import LIVE_GENERATION_TTL
from projections.rebuild import SWAP_GRACE_SECONDS


def test_a_live_generation_is_remembered_for_less_than_the_swap_grace() -> None:
    assert 0 < LIVE_GENERATION_TTL < SWAP_GRACE_SECONDS
