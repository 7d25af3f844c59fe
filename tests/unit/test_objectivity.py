"""The objectivity check on a standard's question: warnings for drafts, never refusals."""

import json
from importlib import resources

import pytest

from commands.objectivity import Concern, objectivity_warnings


def concerns(question: str, expected: str = "yes") -> list[Concern]:
    return [w.concern for w in objectivity_warnings(question, expected)]


def test_a_single_threshold_question_with_yes_aligned_gets_no_warning() -> None:
    assert concerns("Is the system partition at least 40 GB?") == []


@pytest.mark.parametrize("question", [
    "What size is the system partition?", "How many admins does the tenant have?",
    "Which backup product is used?", "List the firewall rules that allow inbound traffic."])
def test_a_question_asking_for_a_value_or_a_description_is_not_yes_no(question: str) -> None:
    assert concerns(question) == [Concern.NOT_YES_NO]


def test_a_yes_no_question_behind_a_condition_is_still_yes_no() -> None:
    assert concerns("Where a Wi-Fi network uses a shared password, is it at least 16 characters?") == []


@pytest.mark.parametrize("question", [
    "Are the subscriptions licensed, switched on, and valid for another 30 days?",
    "Is the agent installed and reporting to the console on every device?",
    "Is logging enabled? Is it kept for 90 days?",
    "Has every rule been reviewed this year, with unused rules removed and a reason documented?"])
def test_a_question_bundling_several_checks_is_flagged(question: str) -> None:
    assert concerns(question) == [Concern.BUNDLED]


@pytest.mark.parametrize("question", [
    "Is every server, firewall, core switch and storage device connected to a UPS?",
    "Is multi-factor sign-in required for email (Exchange Online and Gmail)?",
    "Is the guest Wi-Fi isolated from the staff and server networks?"])
def test_one_check_applied_to_a_list_of_things_is_not_a_bundle(question: str) -> None:
    assert concerns(question) == []


def test_a_question_whose_aligned_answer_is_no_is_flagged() -> None:
    warnings = objectivity_warnings("Is Telnet enabled on any switch?", "no")

    assert [(w.concern, w.field) for w in warnings] == [(Concern.ALIGNED_ANSWER_NO, "expected_answer")]


def test_every_question_of_the_demo_library_passes_the_objectivity_check() -> None:
    text = resources.files("runtime").joinpath("demo_data/standards_library.json").read_text()
    standards = json.loads(text)["standards"]

    flagged = {s["key"]: [w.message for w in objectivity_warnings(s["question"], s["expected_answer"])]
               for s in standards}

    assert {key: messages for key, messages in flagged.items() if messages} == {}
