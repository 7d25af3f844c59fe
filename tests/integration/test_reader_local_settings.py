"""A read points its transaction at a read model and sets planner settings in one statement
(``ProjectionReader.use`` with ``local``): they hold for the rest of that transaction only,
whether the live generation was remembered or looked up."""

from typing import Any

import pytest

from projections.catalog import ProjectionReader

pytestmark = pytest.mark.integration


def nested_loops_in_two_reads(reader: ProjectionReader) -> list[str]:
    found = []
    for _ in range(2):  # the first looks the generation up, the second remembers it
        with reader.transaction() as cur:
            reader.use(cur, "vcio_dashboard", {"enable_nestloop": "off"})
            found.append(cur.execute("SHOW enable_nestloop").fetchone()[0])
    return found


def test_a_setting_given_with_the_read_model_holds_in_the_transaction(services: Any) -> None:
    reader = ProjectionReader(services.pool)

    found = nested_loops_in_two_reads(reader)

    assert found == ["off", "off"]


def test_a_setting_given_with_the_read_model_ends_with_the_transaction(services: Any) -> None:
    reader = ProjectionReader(services.pool)
    nested_loops_in_two_reads(reader)

    with reader.cursor("vcio_dashboard") as cur:
        after = cur.execute("SHOW enable_nestloop").fetchone()[0]

    assert after == "on"
