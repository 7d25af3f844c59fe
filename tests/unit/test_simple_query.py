"""Values quoted into a message's text as SQL string literals (runtime.simple_query)."""

import psycopg
import pytest

from runtime.simple_query import quoted, with_literals


def test_a_quote_is_doubled_and_a_backslash_kept_under_standard_strings() -> None:
    assert quoted("it's \\x") == "'it''s \\x'"


def test_a_backslash_is_doubled_in_an_escape_literal_without_standard_strings() -> None:
    assert quoted("it's \\x", standard_strings=False) == "E'it''s \\\\x'"


def test_a_nul_is_refused_as_psycopg_refuses_it() -> None:
    with pytest.raises(psycopg.DataError, match="NUL"):
        quoted("a\x00b")


def test_values_are_quoted_between_the_parts_in_order() -> None:
    assert with_literals(["SELECT ", ", ", ""], ["a", "b'"], True) == "SELECT 'a', 'b'''"


def test_a_count_of_values_that_does_not_fit_the_places_is_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 1 places"):
        with_literals(["SELECT ", ""], ["a", "b"], True)
