"""Events recorded with NUL in their text, before commands checked it, keep loading: the
PostgreSQL ledger's transcoder reads every NUL as U+FFFD and leaves all other text alone."""

from runtime.transcoder import FastJSONTranscoder


def roundtrip(value: object) -> object:
    transcoder = FastJSONTranscoder()
    return transcoder.decode(transcoder.encode({"value": value}))["value"]  # type: ignore[index]


def test_a_stored_nul_is_read_as_the_replacement_character() -> None:
    assert roundtrip("a\x00b") == "a\ufffdb"


def test_a_nul_in_a_nested_key_and_list_is_read_as_the_replacement_character() -> None:
    assert roundtrip({"k\x00": ["\x00", 1]}) == {"k\ufffd": ["\ufffd", 1]}


def test_the_literal_text_backslash_u0000_is_left_as_it_was() -> None:
    assert roundtrip("typed \\u0000 by hand") == "typed \\u0000 by hand"


def test_a_nul_after_a_literal_backslash_is_replaced_and_the_backslash_kept() -> None:
    assert roundtrip("x\\\x00y") == "x\\\ufffdy"
