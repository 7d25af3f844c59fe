"""The one way in: every command is registered with its roles, and the bus refuses a role that
may not send a command before any aggregate is loaded or any event recorded."""

import importlib
import pkgutil
from decimal import Decimal

import pytest

import commands
from commands.base import ChangeCommand, Command
from commands.bus import CommandBus, NotPermittedError
from commands.clients import OnboardClient
from commands.context import Context
from commands.ledger import Ledger
from commands.registry import REGISTRY, ROLES, Registration
from commands.results import Actor, CommandResult
from commands.reviews import RateAnswer
from events.vocabulary import Answer, Rating
from tests.unit.scenario import Scenario

# The reference matrix, written by domain area rather than per command so that a command
# registered with the wrong roles shows up as a difference.
COMMITTEE_MODULES = {"commands.standards", "commands.change_sets", "commands.suggestions"}
SUGGESTION_COMMANDS = {"SuggestStandard"}  # and any role that works with clients may suggest
SCHEDULER_COMMANDS = {"PlanClientMeetings", "PlanCommitteeMeetings", "NoticeReviewArea",
                      "NoticeOverdueActionItem"}
INTEGRATION_COMMANDS = {"ChangeClientProfile", "RecordAnswer", "SuggestAnswer", "LogTouch",
                        "HoldMeeting"}
TAM_COMMANDS = {"StartReview", "RecordAnswer", "RecordAnswers", "CompleteReview", "SubmitReview"}
VCIO_REVIEW_COMMANDS = {"RateAnswer", "CompleteReview", "SendBackItem", "FinaliseReview"}
ADMIN_MODULES = {"commands.msp_settings"}  # the MSP's own rules
ADMIN_ONLY_COMMANDS = {"EraseDecisionMaker"}


def expected_roles(command: type[Command]) -> set[str]:
    name, module = command.__name__, command.__module__
    roles = {"admin"}
    if module in ADMIN_MODULES or name in ADMIN_ONLY_COMMANDS:
        return roles
    if module in COMMITTEE_MODULES:
        roles.add("committee")
        roles |= {"vcio", "tam"} if name in SUGGESTION_COMMANDS else set()
    elif name in SCHEDULER_COMMANDS:
        roles.add("scheduler")
    elif module == "commands.reviews":
        roles |= {"tam"} if name in TAM_COMMANDS else set()
        roles |= {"vcio"} if name in VCIO_REVIEW_COMMANDS else set()
    else:
        roles.add("vcio")
    if name in INTEGRATION_COMMANDS:
        roles.add("integration")
    return roles


def every_command_type() -> list[type[Command]]:
    for info in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"commands.{info.name}")
    found: list[type[Command]] = []
    pending = list(Command.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if kind is not ChangeCommand and kind.__module__.startswith("commands."):
            found.append(kind)
    return sorted(found, key=lambda k: k.__name__)


def recording_bus(ledger: Ledger, calls: list[type[Command]]) -> CommandBus:
    """The real roles table with handlers that only note the call (no command payload needed)."""

    def noted(cmd: Command, ctx: Context) -> CommandResult:
        calls.append(type(cmd))
        raise LookupError("stop here: permission was granted")

    registry = {kind: Registration(kind, noted, entry.roles) for kind, entry in REGISTRY.items()}
    return CommandBus(ledger, registry=registry)


def test_every_command_type_in_the_commands_package_has_a_registry_entry() -> None:
    missing = [kind.__name__ for kind in every_command_type() if kind not in REGISTRY]

    assert missing == []
    assert len(REGISTRY) == len(every_command_type())


def test_every_registry_entry_names_only_known_roles_and_its_own_command() -> None:
    for kind, entry in REGISTRY.items():
        assert entry.command is kind
        assert entry.roles and entry.roles <= set(ROLES), kind.__name__


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_send_exactly_the_commands_of_the_reference_matrix(
        memory_ledger: Ledger, tenant: str, role: str) -> None:
    calls: list[type[Command]] = []
    bus = recording_bus(memory_ledger, calls)
    actor = Actor(tenant, f"someone.{role}", role)
    allowed, refused = set(), set()

    for kind in every_command_type():
        try:
            bus.handle(kind.model_construct(), actor)
        except NotPermittedError:
            refused.add(kind.__name__)
        except LookupError:
            allowed.add(kind.__name__)

    expected = {k.__name__ for k in every_command_type() if role in expected_roles(k)}
    assert allowed == expected
    assert refused == {k.__name__ for k in every_command_type()} - expected
    assert {k.__name__ for k in calls} == expected


def test_a_viewer_may_send_no_command_at_all(memory_ledger: Ledger, tenant: str) -> None:
    viewer = Actor(tenant, "val.viewer", "viewer")
    bus = CommandBus(memory_ledger)

    assert not any(bus.allows(viewer, kind) for kind in every_command_type())


def test_a_refused_command_records_nothing_and_names_the_roles_needed(scenario: Scenario) -> None:
    client = scenario.client()
    standard = scenario.standard()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.NO)
    head = scenario.ledger.recorder.max_notification_id()

    with pytest.raises(NotPermittedError) as refused:
        scenario.bus.handle(RateAnswer(client_id=client, review_id=review, standard_id=standard,
                                       rating=Rating.MARGINAL), scenario.tam)

    assert refused.value.roles_needed == ("admin", "vcio")
    assert "RateAnswer" in str(refused.value) and "tam" in str(refused.value)
    assert scenario.ledger.recorder.max_notification_id() == head


def test_a_command_from_an_allowed_role_reaches_its_handler(scenario: Scenario) -> None:
    result = scenario.bus.handle(OnboardClient(
        name="Acme", mrr=Decimal("2500"), user_count=10, complexity=3, industry="legal",
        vcio="vera.vcio", tam="tom.tam"), scenario.vcio)

    assert scenario.ledger.load_client(scenario.vcio, result.aggregate_id).name == "Acme"
