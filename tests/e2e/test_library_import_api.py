"""Importing a catalog over the API: a dry run says what would change and records nothing; the
real import then does exactly that, with withdrawn controls reported apart from retirements."""

from pathlib import Path

import httpx

from tests.e2e.steps import LogHead, ok

CATALOG = Path(__file__).parents[1] / "data" / "sp800-53-shaped-catalog.json"


def send(committee: httpx.Client, **params: str) -> httpx.Response:
    return committee.post("/committee/library/import", content=CATALOG.read_bytes(),
                          params={"filename": CATALOG.name, **params},
                          headers={"Content-Type": "application/json"})


def test_a_dry_run_import_answers_the_plan_and_records_nothing(
        committee_api: httpx.Client, log_head: LogHead) -> None:
    before = log_head()

    plan = ok(send(committee_api, dry_run="true"))

    assert plan["dry_run"] is True
    assert (len(plan["created"]), len(plan["withdrawn"]), plan["retired"]) == (7, 2, [])
    assert log_head() == before


def test_the_import_after_a_dry_run_does_what_the_plan_said(committee_api: httpx.Client) -> None:
    plan = ok(send(committee_api, dry_run="true"))

    done = ok(send(committee_api))
    again = ok(send(committee_api, dry_run="true"))

    assert (done["created"], done["withdrawn"], done["dry_run"]) == (
        plan["created"], plan["withdrawn"], False)
    assert (again["created"], again["revised"], again["unchanged"]) == ([], [], 9)
