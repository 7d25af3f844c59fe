"""Fuzzing the API with schemathesis over its own OpenAPI document: every operation, a bounded
number of generated requests each (valid ones sent with an admin's and a TAM's token, invalid
ones with the admin's), against the real server over a database of its own. No answer may be a
5xx, every answer must be documented (its status, media type, headers and body schema), and
nothing accepted may leave a read model a dead letter.

Path ids named ``client_id`` and ``standard_id`` are replaced by a real client's and standard's,
so requests reach the read models and the domain instead of stopping at a 404.
"""

import uuid
from collections.abc import Callable, Iterator
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

from runtime.app import build_app
from runtime.services import Services, build_services
from tests.e2e.serving import own_database, serving
from tests.e2e.steps import CLIENT_A, publish_standard

pytestmark = pytest.mark.e2e

EXAMPLES_PER_OPERATION = 3  # per mode: about 760 requests, about a minute on two busy cores
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_services(services: Services) -> Iterator[tuple[Services, str]]:
    """Services over a database of their own, served: fuzzed writes never reach the shared log."""
    with own_database(services.database) as database:
        own = build_services(services.settings, database)
        own.start_projection_runners()
        try:
            with serving(build_app(own)) as url:
                yield own, url
        finally:
            own.close()


@pytest.fixture(scope="module")
def fuzz_tenant(fuzz_services: tuple[Services, str]) -> dict[str, Any]:
    """A tenant with a client and a published standard, and tokens of two roles."""
    services, url = fuzz_services
    tenant = f"msp-fuzz-{uuid.uuid4().hex[:8]}"
    tokens = {role: services.tokens.create(tenant, role, f"fuzz.{role}") for role in ("admin", "tam")}
    with httpx.Client(base_url=f"{url}/api/v1", timeout=15,
                      headers={"Authorization": f"Bearer {tokens['admin']}"}) as admin:
        standard_id = publish_standard(admin, "fuzz-backup", "backup", "high")
        created = admin.post("/clients", json=CLIENT_A)
        assert created.status_code == 201, created.text
    return {"tokens": tokens, "ids": {"client_id": created.json()["client_id"], "standard_id": standard_id}}


@pytest.fixture(scope="module")
def api_schema(fuzz_services: tuple[Services, str]) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{fuzz_services[1]}/openapi.json", timeout=60)


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
    api_schema: schemathesis.BaseSchema, fuzz_tenant: dict[str, Any], fuzz_services: tuple[Services, str]
) -> None:
    services, api_url = fuzz_services
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

    services.wait_for(services.ledger.recorder.max_notification_id() or 0, timeout=60)
    for letter in services.reader.dead_letters():  # accepted, yet a read model could not hold it
        findings[f"dead letter {letter.projection} {letter.topic}"] = f"{letter.projection}: {letter.error}"
    print(f"fuzzed {len(sent)} requests over {len(set(sent))} of {len(operations)} operations; "
          f"{len(findings)} findings")
    assert not findings, "\n\n".join(findings.values())
