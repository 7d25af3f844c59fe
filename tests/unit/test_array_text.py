"""Lists rendered as PostgreSQL array literals for the commit message's parameters."""

from uuid import UUID

import pytest

from runtime.array_text import _element, array_text


def test_ids_and_numbers_are_written_as_they_print() -> None:
    ids = [UUID(int=1), UUID(int=2)]

    assert (array_text(ids), array_text([1, -2])) == (f"{{{ids[0]},{ids[1]}}}", "{1,-2}")


def test_none_is_a_null_element() -> None:
    assert array_text([None, 3]) == "{NULL,3}"


def test_bytes_are_bytea_hex_with_the_backslash_escaped() -> None:
    assert array_text([b"\x00\xff", b""]) == '{"\\\\x00ff","\\\\x"}'


def test_a_string_is_quoted_with_its_backslashes_and_double_quotes_escaped() -> None:
    assert array_text(['a "b" \\c', "NULL", ""]) == '{"a \\"b\\" \\\\c","NULL",""}'


def test_an_empty_list_is_an_empty_array() -> None:
    assert array_text([]) == "{}"


@pytest.mark.parametrize("value", [True, 1.5, object()])
def test_a_value_of_another_type_is_refused(value: object) -> None:
    with pytest.raises(TypeError):
        array_text([value])


@pytest.mark.parametrize("values", [
    [UUID(int=7), UUID(int=8)], [3, -4, 0], [b"\x00\\\"'", b""],
    ['a "b"', "c\\d", "it's", "", "NULL", "{x,y}", "é 雪"], [1, None, 2], ["a", 1]])
def test_a_list_of_one_type_is_written_as_element_by_element(values: list[object]) -> None:
    assert array_text(values) == "{" + ",".join(map(_element, values)) + "}"
