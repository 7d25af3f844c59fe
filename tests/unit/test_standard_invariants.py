"""The lifecycle rules of a library standard, each refused with its own named error."""

import pytest

from aggregates.errors import NothingToReviseError, StandardNotDraftError, StandardRetiredError
from commands.standards import (
    PublishStandard,
    ReviseStandard,
)
from tests.unit.scenario import Scenario


def test_publishing_a_published_standard_is_refused_naming_the_status(scenario: Scenario) -> None:
    standard = scenario.standard()

    with pytest.raises(StandardNotDraftError) as refused:
        scenario.bus.handle(PublishStandard(standard_id=standard), scenario.committee)

    assert refused.value.field == "status"


def test_revising_a_retired_standard_is_refused_naming_the_status(scenario: Scenario) -> None:
    standard = scenario.standard()
    scenario.retire(standard)

    with pytest.raises(StandardRetiredError) as refused:
        scenario.bus.handle(ReviseStandard(
            standard_id=standard, changes={"priority": "low"}, reason="less risky than thought"),
            scenario.committee)

    assert refused.value.field == "status"


def test_a_revision_that_changes_nothing_is_refused_naming_the_changes(scenario: Scenario) -> None:
    standard = scenario.standard(category="email")

    with pytest.raises(NothingToReviseError) as refused:
        scenario.bus.handle(ReviseStandard(
            standard_id=standard, changes={"category": "email"}, reason="tidy up"), scenario.committee)

    assert refused.value.field == "changes"
