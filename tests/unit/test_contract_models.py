"""The API's models are made from the views and the commands, so a field and its constraints are
written once: these check the making, without a server."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from pydantic import ValidationError

from api.schemas.common import CommandBody, ViewModel
from api.schemas.reviews import AnswerPut
from commands.reviews import RecordAnswer


@pytest.fixture(autouse=True)
def registry_as_it_was() -> Iterator[None]:
    """The models declared here must not join the API's registry of public models."""
    saved = dict(ViewModel.public_models)
    yield
    ViewModel.public_models.clear()
    ViewModel.public_models.update(saved)


def test_a_body_made_from_a_command_has_its_fields_except_the_path_ids() -> None:
    fields = set(AnswerPut.model_fields)

    assert fields == set(RecordAnswer.model_fields) - {"client_id", "review_id", "standard_id"}


def test_a_body_made_from_a_command_keeps_the_commands_constraints() -> None:
    with pytest.raises(ValidationError) as refused:
        AnswerPut.model_validate({"answer": "yes", "note": "x" * 4001})

    assert [e["loc"] for e in refused.value.errors()] == [("note",)]


def test_a_body_naming_a_path_field_the_command_lacks_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="no field"):
        class Wrong(CommandBody, command=RecordAnswer, path=("meeting_id",)):
            pass


@dataclass(frozen=True)
class Line:
    tenant: str
    amount: Decimal

    @property
    def doubled(self) -> Decimal:
        return self.amount * 2


@dataclass(frozen=True)
class Sheet:
    lines: tuple[Line, ...]


def test_a_public_model_has_the_views_fields_and_named_properties_but_never_the_tenant() -> None:
    class LinePublic(ViewModel, view=Line, properties=("doubled",)):
        pass

    dumped = LinePublic.model_validate(Line("msp-1", Decimal("43.75"))).model_dump(mode="json")

    assert dumped == {"amount": "43.75", "doubled": "87.50"}


def test_a_view_nesting_an_undeclared_view_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="declare the public model of Line"):
        class SheetPublic(ViewModel, view=Sheet):
            pass
