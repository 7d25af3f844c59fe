"""When the application runs the "as of" read model: the overview as of a day lists the answers
of that day, and the committee's replay shows which clients' scores move under the current
library. (Until the wiring runs that read model, these pages say it is not available.)"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commands.results import Actor
from commands.standards import ReviseStandard
from projections.runner import BatchProjector
from runtime.services import Services
from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn
from web.time_travel import AS_OF_READ_MODEL

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
AsOfProjection = pytest.importorskip("projections.as_of", reason="no as-of read model yet").AsOfProjection
pytestmark = pytest.mark.e2e

ALL_ALIGNED = {"FW-1": "yes", "FW-2": "yes", "BK-1": "yes", "BK-2": "no", "EM-1": "yes", "EM-2": "yes"}


@pytest.fixture
def run_as_of_read_model(services: Services) -> Iterator[Callable[[], None]]:
    """Call it once the test has arranged its data: the "as of" read model catches up and the
    pages find it among the application's projections (as they will once it is wired)."""
    wired = AS_OF_READ_MODEL in services.projectors

    def start() -> None:
        if wired:
            return
        projector = BatchProjector(services.database.conninfo, AsOfProjection(), services.decode,
                                   services.ledger.recorder.events_table_name)
        projector.ensure_created()
        projector.catch_up()
        services.projectors[AS_OF_READ_MODEL] = projector

    yield start
    if not wired:
        services.projectors.pop(AS_OF_READ_MODEL, None)


@pytest.fixture
def clock_ahead(services: Services) -> Iterator[Callable[[int], datetime]]:
    """Moves the server's clock some days ahead, so "yesterday" comes after today's records."""
    original = services.clock

    def ahead(days: int) -> datetime:
        moved = datetime.now(UTC) + timedelta(days=days)
        services.clock = lambda: moved
        return moved

    yield ahead
    services.clock = original


def test_the_overview_as_of_a_day_lists_the_answers_of_that_day(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot,
        run_as_of_read_model: Callable[[], None], clock_ahead: Callable[[int], datetime]) -> None:
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, ALL_ALIGNED, days_ago=20)
    arrange.review(client_id, {"FW-1": "no"})
    run_as_of_read_model()
    then = (clock_ahead(10) - timedelta(days=1)).date().isoformat()
    sign_in("viewer")

    page.goto(f"/clients/{client_id}?as_of={then}&basis=observed")

    answers = page.locator("section", has=page.get_by_role("heading", name=f"Answers at the end of {then}"))
    expect(answers).to_contain_text("Review #2 (answering)")
    expect(answers.locator("#score-then")).to_have_text("0")
    expect(answers).to_contain_text("Is FW-1 in place on every site?")
    expect(page.locator("#score-now")).to_contain_text("100")
    shoot("overview-as-of-with-answers")


def test_the_committee_replay_shows_whose_score_moves(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot, services: Services,
        tenant: str, run_as_of_read_model: Callable[[], None]) -> None:
    standards = arrange.library()
    client_id, _ = arrange.client("Brightwater Logistics")
    arrange.review(client_id, ALL_ALIGNED, days_ago=20)
    services.bus.handle(ReviseStandard(
        standard_id=standards["BK-2"], changes={"expected_answer": "yes"},
        reason="Backups must now be kept off site"), Actor(tenant, "carla.committee", "committee"))
    arrange.settle()
    run_as_of_read_model()
    sign_in("committee")
    page.goto("/committee")

    page.get_by_role("button", name="Replay").click()

    row = page.locator("table.impact tbody tr", has_text="Brightwater Logistics")
    expect(row.locator("td").nth(0)).to_have_text("100")
    expect(row.locator("td").nth(1)).to_have_text("94.4")
    expect(row).to_contain_text("BK-2 aligned → misaligned")
    shoot("committee-replay-impact")
