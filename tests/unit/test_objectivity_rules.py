"""The objectivity heuristics word by word: which words read as a check (a predicate), which
leading adverbs are skipped, what is an aside, a condition, a bundle, and the exact advice."""

import pytest

from commands.objectivity import (
    Concern,
    ObjectivityWarning,
    bundled_checks,
    conditional,
    ends_with_participle,
    is_predicate,
    objectivity_warnings,
    starts_with_predicate,
    top_level,
)
from events.vocabulary import ExpectedAnswer

AUXILIARIES = ["is", "are", "was", "were", "be", "been", "has", "have", "had", "does", "do", "did", "can",
               "could", "will", "would", "shall", "should", "may", "must"]
IRREGULAR = ["kept", "set", "run", "done", "shown", "known", "written", "made", "held", "built", "sent",
             "taken", "given", "put", "left", "met", "bought", "tested", "signed", "stored", "turned"]
LOOK_LIKE_PREDICATES = ["speed", "hundred", "bring", "thing", "string", "spring", "during", "nothing",
                        "something", "anything", "everything", "ceiling", "building", "morning", "evening"]
ADVERBS = ["also", "then", "still", "always", "fully", "properly", "both", "actively", "regularly",
           "automatically", "securely", "not"]


@pytest.mark.parametrize("word", AUXILIARIES + IRREGULAR)
def test_an_auxiliary_or_irregular_participle_is_a_predicate(word: str) -> None:
    assert is_predicate(word)


@pytest.mark.parametrize("word", LOOK_LIKE_PREDICATES)
def test_a_noun_or_preposition_ending_like_a_participle_is_not_a_predicate(word: str) -> None:
    assert not is_predicate(word)


@pytest.mark.parametrize(("word", "predicate"), [
    ("enabled", True), ("running", True), ("Reviewed,", True), ('"checked"', True), ("bed", False),
    ("used", False), ("fixed", True), ("firewall", False), ("sing", False)])
def test_a_longer_word_ending_in_ed_or_ing_is_a_predicate_and_a_short_one_is_not(
        word: str, predicate: bool) -> None:
    assert is_predicate(word) is predicate


@pytest.mark.parametrize("adverb", ADVERBS)
def test_a_segment_starting_with_an_adverb_then_a_predicate_starts_with_a_predicate(adverb: str) -> None:
    assert starts_with_predicate(f"{adverb} monitored daily")


def test_a_segment_of_adverbs_only_does_not_start_with_a_predicate() -> None:
    assert not starts_with_predicate("also still")


def test_an_empty_segment_does_not_start_with_a_predicate() -> None:
    assert not starts_with_predicate("   ")


@pytest.mark.parametrize(("segment", "ends"), [
    ("with unused rules removed", True), ("with the backups kept", True), ("the agent running", False),
    ("the admins who must", False), ("the firewall", False), ("", False)])
def test_a_segment_ending_in_a_past_participle_states_a_check_after_its_subject(
        segment: str, ends: bool) -> None:
    assert ends_with_participle(segment) is ends


def test_asides_in_brackets_are_removed_nested_ones_too() -> None:
    assert top_level("Is MFA on (for admins (and users)) everywhere (really)?") == "Is MFA on   everywhere  ?"


@pytest.mark.parametrize(("question", "bundled"), [
    ("Is logging on? Is it kept?", True),
    ("Is the agent installed and running?", True),
    ("Is the agent installed, and reporting?", True),
    ("Is the firewall patched and the VPN monitored?", True),
    ("Is the firewall patched; monitored and alerting?", True),
    ("Is every laptop and desktop in scope?", False),
    ("Is the UPS tested (weekly and monthly)?", False),
    ("Is the firewall patched, monitored?", False),
    ("Is the firewall patched?", False),
    ("Is every laptop and desktop running?", False),
    ("Is the backup software and its licence current?", False),
    ("Is every laptop and desktop encrypted?", False),
    ("Is every laptop, desktop and server encrypted?", False),
    ("Are the servers patched and the switches updated?", True),
    ("Is the rule set reviewed, with unused rules removed and reasons documented?", True),
])
def test_a_question_bundles_checks_when_a_later_segment_is_a_check_of_its_own(
        question: str, bundled: bool) -> None:
    assert bundled_checks(question) is bundled


@pytest.mark.parametrize(("question", "is_conditional"), [
    ("Where a guest network exists, is it isolated?", True),
    ("When staff leave, are accounts disabled?", True),
    ("If a VPN is used, does it require MFA?", True),
    ("Where guests connect, are they kept apart from staff, servers and printers?", True),
    ("Where is the backup stored?", False),
    ("Where a guest network exists, guests are isolated", False),
    ("Where a guest network exists,", False),
    ("Because of audits, is MFA on?", False),
    ("", False),
])
def test_a_conditional_question_puts_a_yes_no_question_behind_where_when_or_if(
        question: str, is_conditional: bool) -> None:
    assert conditional(question) is is_conditional


def test_each_concern_names_its_field_and_gives_its_advice() -> None:
    warnings = objectivity_warnings("What is installed and running?", "no")

    assert warnings == [
        ObjectivityWarning(Concern.NOT_YES_NO, "question",
                           "asks for a value or a description; ask whether a threshold is met instead"),
        ObjectivityWarning(Concern.BUNDLED, "question",
                           "bundles several checks; split it into one standard per check"),
        ObjectivityWarning(Concern.ALIGNED_ANSWER_NO, "expected_answer",
                           "the aligned answer is no; rephrase the question so that yes is aligned")]


@pytest.mark.parametrize("opening", ["what", "Which", "HOW", "when", "where", "who", "whom", "whose", "why",
                                     "list", "describe", "explain", "name", "state", "give", "provide",
                                     "enter", "specify"])
def test_a_question_opening_with_a_question_word_or_an_instruction_is_not_yes_no(opening: str) -> None:
    assert [w.concern for w in objectivity_warnings(f"  {opening} the admins", "yes")] == [Concern.NOT_YES_NO]


def test_a_question_word_inside_a_longer_word_does_not_open_a_question() -> None:
    assert objectivity_warnings("Whatever the site, is MFA on?", "yes") == []


def test_an_expected_answer_given_as_an_enum_value_is_read_by_its_value() -> None:
    warnings = objectivity_warnings("Is Telnet on?", ExpectedAnswer.NO)

    assert [w.concern for w in warnings] == [Concern.ALIGNED_ANSWER_NO]
