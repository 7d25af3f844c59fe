"""Fuzzing the API with schemathesis over its own OpenAPI document: every operation, a bounded
number of generated requests each (valid ones sent with an admin's and a TAM's token, invalid
ones with the admin's), against the real server and database. No answer may be a 5xx, and every answer must be
documented: its status, its media type, its headers and its body's schema.

Path ids named ``client_id`` and ``standard_id`` are replaced by a real client's and standard's,
so requests reach the read models and the domain instead of stopping at a 404.
"""

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from runtime.services import Services
from tests.e2e.steps import CLIENT_A, publish_standard

pytestmark = pytest.mark.e2e

EXAMPLES_PER_OPERATION = 4  # per mode: about 1,000 requests, a minute on two busy cores
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_tenant(services: Services, api_url: str) -> dict[str, Any]:
    """A tenant of its own with a client and a published standard, and tokens of two roles."""
    tenant = f"msp-fuzz-{uuid.uuid4().hex[:8]}"
    tokens = {role: services.tokens.create(tenant, role, f"fuzz.{role}") for role in ("admin", "tam")}
    with httpx.Client(base_url=f"{api_url}/api/v1", timeout=15,
                      headers={"Authorization": f"Bearer {tokens['admin']}"}) as admin:
        standard_id = publish_standard(admin, "fuzz-backup", "backup", "high")
        created = admin.post("/clients", json=CLIENT_A)
        assert created.status_code == 201, created.text
    return {"tokens": tokens, "ids": {"client_id": created.json()["client_id"], "standard_id": standard_id}}


@pytest.fixture(scope="module")
def api_schema(api_url: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{api_url}/openapi.json")


def fuzz(operation: Any, mode: GenerationMode, ids: dict[str, str], send: Callable[[Any], None]) -> None:
    """``EXAMPLES_PER_OPERATION`` generated requests for ``operation``, each given to ``send``."""
    names = {p.name for p in operation.path_parameters}
    strategy = operation.as_strategy(generation_mode=mode,
                                     path_parameters={k: v for k, v in ids.items() if k in names} or None)

    @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(case: Any) -> None:
        send(case)

    try:
        run()
    except Unsatisfiable:  # an operation with nothing to get wrong (no parameters, no body)
        assert mode is GenerationMode.NEGATIVE


def test_no_generated_request_answers_a_5xx_or_anything_undocumented(
    api_schema: schemathesis.BaseSchema, fuzz_tenant: dict[str, Any], api_url: str
) -> None:
    findings: dict[str, str] = {}
    sent: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]

    for operation in operations:
        def send(case: Any, label: str = operation.label, roles: tuple[str, ...] = ("admin", "tam")) -> None:
            for token in (fuzz_tenant["tokens"][role] for role in roles):
                sent.append(label)
                try:
                    case.call_and_validate(base_url=api_url, checks=CHECKS,
                                           headers={"Authorization": f"Bearer {token}"})
                except (Exception, BaseExceptionGroup) as failure:  # every finding is collected
                    kinds = [line for line in str(failure).splitlines() if line.startswith("- ")]
                    findings.setdefault(f"{label} {kinds}", str(failure))

        fuzz(operation, GenerationMode.POSITIVE, fuzz_tenant["ids"], send)
        # invalid input is refused the same for every role that passes the role check
        fuzz(operation, GenerationMode.NEGATIVE, fuzz_tenant["ids"], partial(send, roles=("admin",)))

    print(f"fuzzed {len(sent)} requests over {len(set(sent))} of {len(operations)} operations; "
          f"{len(findings)} findings")
    assert not findings, "\n\n".join(findings.values())
