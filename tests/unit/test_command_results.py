"""What a command answers and how the answer is kept for a replay; how a command is told apart
from another sent under the same key; and the stand-in for a vault that was never wired."""

import json
import warnings
from uuid import UUID, uuid4

import pytest

from commands.context import NoVault
from commands.results import CommandResult, fingerprint
from commands.reviews import CompleteReview
from commands.standards import ReviseStandard
from events.vocabulary import Priority

AGGREGATE, CREATED = UUID(int=7), UUID(int=9)


def test_a_result_is_kept_as_json_with_its_ids_version_and_position() -> None:
    text = CommandResult(AGGREGATE, 4, 120, CREATED).to_json()

    assert json.loads(text) == {"aggregate_id": str(AGGREGATE), "version": 4, "position": 120,
                                "created_id": str(CREATED)}


def test_a_result_without_a_created_id_keeps_none() -> None:
    assert json.loads(CommandResult(AGGREGATE, 4, None).to_json())["created_id"] is None


@pytest.mark.parametrize("created", [CREATED, None])
def test_a_kept_result_reads_back_as_the_same_result_marked_replayed(created: UUID | None) -> None:
    kept = CommandResult(AGGREGATE, 4, 120, created).to_json()

    assert CommandResult.from_json(kept) == CommandResult(AGGREGATE, 4, 120, created, replayed=True)


def test_a_fresh_result_is_not_replayed() -> None:
    assert CommandResult(AGGREGATE, 1, None).replayed is False


def test_the_same_command_has_the_same_fingerprint_whatever_its_expected_version() -> None:
    client_id, review_id = uuid4(), uuid4()

    assert fingerprint(CompleteReview(client_id=client_id, review_id=review_id)) == fingerprint(
        CompleteReview(client_id=client_id, review_id=review_id, expected_version=3))


def test_commands_with_different_content_have_different_fingerprints() -> None:
    client_id = uuid4()

    assert fingerprint(CompleteReview(client_id=client_id, review_id=uuid4())) != fingerprint(
        CompleteReview(client_id=client_id, review_id=uuid4()))


def test_a_fingerprint_stays_what_stored_command_logs_hold() -> None:
    # the sha256 of "CompleteReview:" and the command's JSON without expected_version; a change
    # would make every stored idempotency key look reused for a different command
    command = CompleteReview(client_id=AGGREGATE, review_id=CREATED, expected_version=2)

    assert fingerprint(command) == "c30cc52bdfa010f6d7cf369678b929b463faacfa024c9f60c32f1de714b26b8b"


def test_a_revision_fingerprints_its_json_plain_changes_quietly_and_as_before() -> None:
    # the changes are held JSON-plain (priority as text); serialising them against the enum
    # types warned on every resend, and the digest must stay the one stored logs hold
    command = ReviseStandard(standard_id=AGGREGATE, reason="r",
                             changes={"question": "Is MFA on for every admin?",
                                      "priority": Priority.HIGH})

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        digest = fingerprint(command)

    assert digest == "8dc9bc3f9f887907da99fb1e711abfc5cc6bcdb6b99e6880ac60361c7beb3af9"


@pytest.mark.parametrize("call", [
    lambda vault: vault.seal(AGGREGATE, "Dana"), lambda vault: vault.unseal(AGGREGATE, "x"),
    lambda vault: vault.unseal_all(AGGREGATE, ["x"]), lambda vault: vault.forget(AGGREGATE)])
def test_a_bus_without_a_vault_fails_loudly_on_any_personal_data(call: object) -> None:
    with pytest.raises(RuntimeError, match="^this bus was built without a personal-data vault$"):
        call(NoVault())
