"""Is a standard's question objective? Warnings (never refusals) for a draft's author.

A standard is one objective question answered yes / no / not applicable, where yes means aligned.
Three habits make a question harder to answer the same way twice, and each gets a warning:
- **not yes/no**: it asks for a value or a description ("What size is the partition?",
  "List the admins"), so there is nothing to align to;
- **bundled**: it joins several checks in one question (two question marks, or a second
  predicate after "and": "licensed, switched on and valid", "installed and running", "with
  unused rules removed and reasons documented"), so a partial yes cannot be recorded;
- **aligned answer no**: the aligned answer is "no", which mixes polarities in a library whose
  findings are the questions answered "no".

Pure functions on text: no command, no I/O. Heuristic by nature (a warning, not a rule), and
tuned to stay silent on a plain list of things one predicate applies to ("every server,
firewall and switch").
"""

import re
from dataclasses import dataclass
from enum import Enum

OPEN_QUESTION = re.compile(
    r"^\s*(what|which|how|when|where|who|whom|whose|why|list|describe|explain|name|state|"
    r"give|provide|enter|specify)\b", re.IGNORECASE)
AUXILIARIES = frozenset({
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "does", "do", "did", "can",
    "could", "will", "would", "shall", "should", "may", "must"})
IRREGULAR_PARTICIPLES = frozenset({
    "kept", "set", "run", "done", "shown", "known", "written", "made", "held", "built", "sent",
    "taken", "given", "put", "left", "met", "bought", "tested", "signed", "stored", "turned"})
NOT_PREDICATES = frozenset({"need", "speed", "feed", "seed", "bed", "red", "shed", "hundred",
                            "bring", "thing", "ring", "string", "spring", "king", "during",
                            "nothing", "something", "anything", "everything", "ceiling",
                            "building", "morning", "evening", "wing", "sing"})
SEPARATORS = re.compile(r",\s*(?:and|or)\s+|,\s*|;\s*|\s+and\s+")
LEADING_ADVERBS = frozenset({"also", "then", "still", "always", "fully", "properly", "both",
                             "actively", "regularly", "automatically", "securely", "not"})


class Concern(Enum):
    NOT_YES_NO = "not_yes_no"
    BUNDLED = "bundled"
    ALIGNED_ANSWER_NO = "aligned_answer_no"


@dataclass(frozen=True)
class ObjectivityWarning:
    """One concern about a draft, with the field it is about and advice in plain words."""

    concern: Concern
    field: str
    message: str


def top_level(text: str) -> str:
    """The text with parenthesised asides removed (a list in brackets is an example, not a test)."""
    while True:
        shorter = re.sub(r"\([^()]*\)", " ", text)
        if shorter == text:
            return text
        text = shorter


def is_predicate(word: str) -> bool:
    word = word.lower().strip(".,;:?!'\"")
    if word in AUXILIARIES or word in IRREGULAR_PARTICIPLES:
        return True
    if word in NOT_PREDICATES or len(word) < 5:
        return False
    return word.endswith(("ed", "ing"))


def starts_with_predicate(segment: str) -> bool:
    words = [w for w in segment.split() if w.lower() not in LEADING_ADVERBS]
    return bool(words) and is_predicate(words[0])


def ends_with_participle(segment: str) -> bool:
    """ "..., with unused rules removed": a check stated after its subject."""
    words = segment.split()
    return bool(words) and is_predicate(words[-1]) and not words[-1].lower().endswith("ing") and (
        words[-1].lower() not in AUXILIARIES)


def bundled_checks(question: str) -> bool:
    """Several checks in one question: two questions, or a predicate after "and" / in a list
    that ends in "and" (the first segment always starts the question and is not counted). A
    segment ending in a participle is a second check only after one that already did: "every
    laptop and desktop encrypted" is one check over two things."""
    if question.count("?") > 1:
        return True
    text = top_level(question.rstrip("?").strip())
    if not re.search(r"\band\b", text):
        return False
    segments = [s for s in SEPARATORS.split(text) if s.strip()]
    stated = [ends_with_participle(s) for s in segments]
    return any(starts_with_predicate(segment) or (stated[i] and any(stated[:i]))
               for i, segment in enumerate(segments) if i > 0)


def conditional(question: str) -> bool:
    """ "Where X applies, is Y true?": a yes/no question behind a condition."""
    head, _, rest = question.partition(",")
    first = head.split()[0].lower() if head.split() else ""
    return first in ("where", "when", "if") and bool(rest.split()) and (
        rest.split()[0].lower() in AUXILIARIES)


def objectivity_warnings(question: str, expected_answer: str) -> list[ObjectivityWarning]:
    """What makes this question less than one objective yes/no test (empty when it is one)."""
    warnings: list[ObjectivityWarning] = []
    if OPEN_QUESTION.match(question) and not conditional(question):
        warnings.append(ObjectivityWarning(
            Concern.NOT_YES_NO, "question",
            "asks for a value or a description; ask whether a threshold is met instead"))
    if bundled_checks(question):
        warnings.append(ObjectivityWarning(
            Concern.BUNDLED, "question",
            "bundles several checks; split it into one standard per check"))
    if str(getattr(expected_answer, "value", expected_answer)) == "no":
        warnings.append(ObjectivityWarning(
            Concern.ALIGNED_ANSWER_NO, "expected_answer",
            "the aligned answer is no; rephrase the question so that yes is aligned"))
    return warnings
