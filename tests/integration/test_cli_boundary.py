"""The command line refuses bad input and failing I/O with one red line naming the problem and
exit code 2, never a traceback; a mistyped or empty ``--tenant`` is refused, not obeyed."""

import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from runtime.cli import app

pytestmark = pytest.mark.integration


@pytest.fixture
def known_tenant(vcio: CliRunner) -> str:
    name = f"msp-{uuid.uuid4().hex[:8]}"
    assert vcio.invoke(app, ["tenants", "create", name]).exit_code == 0
    return name


def refused(result: object, *words: str) -> None:
    """Exit 2, no traceback, and one error line that names the problem."""
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 2, output  # type: ignore[attr-defined]
    assert isinstance(result.exception, SystemExit), result.exception  # type: ignore[attr-defined]
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    for word in words:
        assert word in errors[0], output


@pytest.mark.parametrize("content", [b'{"not": "a catalog"}', b"", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"],
                         ids=["a JSON file that is no catalog", "an empty file", "a binary file"])
def test_importing_a_file_that_is_no_library_is_refused(
        vcio: CliRunner, known_tenant: str, tmp_path: Path, content: bytes) -> None:
    file = tmp_path / "library.json"
    file.write_bytes(content)

    result = vcio.invoke(app, ["standards", "import", str(file), "--tenant", known_tenant])

    refused(result)


def test_exporting_into_a_missing_directory_is_refused(vcio: CliRunner, known_tenant: str,
                                                       tmp_path: Path) -> None:
    result = vcio.invoke(app, ["standards", "export", str(tmp_path / "missing" / "lib.csv"),
                               "--tenant", known_tenant])

    refused(result, "missing")


@pytest.mark.parametrize("year", ["0", "-1", "10000"])
def test_planning_a_year_out_of_range_is_refused(vcio: CliRunner, year: str) -> None:
    result = vcio.invoke(app, ["schedule", "plan", "--year", year, "--dry-run"])

    refused(result, "--year")


def test_planning_for_an_unknown_client_is_refused(vcio: CliRunner) -> None:
    result = vcio.invoke(app, ["schedule", "plan", "--year", "2027", "--client", str(uuid.uuid4()),
                               "--dry-run"])

    refused(result, "client")


def test_a_token_for_an_empty_tenant_is_refused(vcio: CliRunner) -> None:
    result = vcio.invoke(app, ["tokens", "create", "--tenant", "", "--role", "admin"])

    refused(result, "tenant")


def test_a_token_for_a_mistyped_tenant_is_refused(vcio: CliRunner, known_tenant: str) -> None:
    result = vcio.invoke(app, ["tokens", "create", "--tenant", known_tenant + "x", "--role", "admin"])

    refused(result, "unknown tenant", known_tenant + "x")


def test_importing_into_a_mistyped_tenant_is_refused(vcio: CliRunner) -> None:
    catalog = Path(__file__).parents[1] / "data" / "basic-catalog.json"

    result = vcio.invoke(app, ["standards", "import", str(catalog), "--tenant", "demo-mps"])

    refused(result, "unknown tenant")


def test_a_malformed_token_lifetime_is_refused(vcio: CliRunner, known_tenant: str) -> None:
    result = vcio.invoke(app, ["tokens", "create", "--tenant", known_tenant, "--role", "viewer",
                               "--expires-in", "90x"])

    refused(result, "90x")


def test_retrying_an_unknown_projection_is_refused(vcio: CliRunner) -> None:
    result = vcio.invoke(app, ["projections", "retry", "bogus"])

    refused(result, "bogus")


def test_a_listed_token_can_be_revoked_by_its_id(vcio: CliRunner, known_tenant: str) -> None:
    created = vcio.invoke(app, ["tokens", "create", "--tenant", known_tenant, "--role", "viewer",
                                "--name", "board", "--expires-in", "90d"])
    token_id = created.output.split()[1]

    result = vcio.invoke(app, ["tokens", "revoke", token_id, "--tenant", known_tenant])

    assert result.exit_code == 0, result.output
    assert token_id not in vcio.invoke(app, ["tokens", "list", "--tenant", known_tenant]).output
