"""A domain error names the offending field and the reason, which the API reports as they are."""

from aggregates.errors import ConflictError, DomainError, InvalidValueError, NotFoundError


def test_a_domain_error_keeps_its_field_and_reason_and_says_both() -> None:
    error = InvalidValueError("weights.high", "a weight is greater than 0")

    assert (error.field, error.reason, str(error)) == (
        "weights.high", "a weight is greater than 0", "weights.high: a weight is greater than 0")


def test_each_kind_of_domain_error_carries_its_status() -> None:
    assert (DomainError.status, NotFoundError.status, ConflictError.status, InvalidValueError.status) == (
        "rejected", "not_found", "conflict", "rejected")
