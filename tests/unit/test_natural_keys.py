"""Keys sort as people read them: numbers by value, letters without case."""

from projections.standards_library import natural_key


def test_numbers_in_keys_sort_by_value_not_by_text() -> None:
    keys = ["ac-14", "ac-2", "ac-1", "ac-2(1)", "ac-10"]

    ordered = sorted(keys, key=natural_key)

    assert ordered == ["ac-1", "ac-2", "ac-2(1)", "ac-10", "ac-14"]


def test_zero_padded_keys_keep_their_numeric_order() -> None:
    keys = ["FW-010", "FW-002", "FW-1", "fw-003"]

    ordered = sorted(keys, key=natural_key)

    assert ordered == ["FW-1", "FW-002", "fw-003", "FW-010"]


def test_the_sort_key_compares_byte_by_byte_like_the_database_c_collation() -> None:
    assert natural_key("GV.OC-01") < natural_key("GV.OC-05") < natural_key("GV.OC-10")
    assert natural_key("3.1.2").encode() < natural_key("3.1.12").encode()
