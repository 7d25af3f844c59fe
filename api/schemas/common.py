"""The contracts' building blocks: response models derived from the read models' view
dataclasses, request bodies derived from the commands, and the bodies every write shares.

A field is written once: in the view (what a read answers) or in the command (what a write
accepts, with its constraints). ``ViewModel`` and ``CommandBody`` copy those fields when their
subclass is created, so the API cannot drift from them; a subclass only adds what the public
contract has beyond the view (or names what it leaves out).
"""

import dataclasses
import operator
import types
import typing
from copy import copy
from functools import reduce
from typing import Any, ClassVar, Self, TypeVar
from uuid import UUID

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from commands.base import Command
from commands.results import CommandResult

C = TypeVar("C", bound=Command)


NEVER_PUBLIC = frozenset({"tenant"})  # the tenant is the caller's token's, never sent back


class ViewModel(BaseModel):
    """A response model made from a view dataclass: ``class XPublic(ViewModel, view=X)``.

    It has every field of the view (nested views become their own public models), except the
    ``exclude``d ones and the tenant, plus the view's ``properties`` named (derived figures the
    view computes, read by attribute). Fields declared in the subclass's body are added or win.
    """

    model_config = ConfigDict(from_attributes=True)
    public_models: ClassVar[dict[type, type["ViewModel"]]] = {}
    view: ClassVar[type | None] = None
    excluded: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, view: type | None = None, exclude: tuple[str, ...] = (),
                          properties: tuple[str, ...] = (), **config: Any) -> None:
        super().__init_subclass__(**config)
        if view is None:
            return
        own = dict(cls.__dict__.get("__annotations__", {}))
        hints = typing.get_type_hints(view)
        derived = {f.name: public_type(hints[f.name]) for f in dataclasses.fields(view)
                   if f.name not in NEVER_PUBLIC | set(exclude) and f.name not in own}
        for name in properties:
            derived[name] = public_type(typing.get_type_hints(getattr(view, name).fget)["return"])
        cls.__annotations__ = {**derived, **own}
        cls.view = view
        cls.excluded = NEVER_PUBLIC | set(exclude)
        ViewModel.public_models[view] = cls

    @classmethod
    def of_view(cls, view: Any, **more: Any) -> Self:
        """The view's public fields, plus the fields the view does not hold (``more``)."""
        held = {name: getattr(view, name) for name in cls.model_fields if name not in more}
        return cls.model_validate({**held, **more})


def public_type(kind: Any) -> Any:
    """``kind`` with every view dataclass in it replaced by its public model (declared first)."""
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if kind not in ViewModel.public_models:
            raise TypeError(f"declare the public model of {kind.__name__} before its first use")
        return ViewModel.public_models[kind]
    args = typing.get_args(kind)
    if not args:
        return kind
    origin = typing.get_origin(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return list[public_type(args[0])]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        return reduce(operator.or_, (public_type(a) for a in args))
    return origin[tuple(public_type(a) for a in args)]


class Body(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class CommandBody(Body):
    """A request body made from a command: ``class XCreate(CommandBody, command=C, path=(...))``.

    It has the command's fields with their types, defaults and constraints, minus the ``path``
    parameters (ids the URL carries) and the ``omit``ted ones; ``to_command`` puts them back
    together. ``partial``: every field optional, absent meaning "unchanged" (a change of some
    fields of what ``command`` sets); null is refused where the command's field cannot be null.
    """

    command: ClassVar[type[Command] | None] = None

    def __init_subclass__(cls, command: type[Command] | None = None, path: tuple[str, ...] = (),
                          omit: tuple[str, ...] = (), partial: bool = False, **config: Any) -> None:
        super().__init_subclass__(**config)
        if command is None:
            return
        path = path + omit
        unknown = set(path) - set(command.model_fields)
        if unknown:
            raise TypeError(f"{command.__name__} has no field {sorted(unknown)}")
        own = dict(cls.__dict__.get("__annotations__", {}))
        derived = {n: copy(f) for n, f in command.model_fields.items() if n not in path and n not in own}
        for name, field in derived.items():
            if partial:  # the default only marks "absent": it is never validated or sent on
                field.default, field.default_factory = None, None
            setattr(cls, name, field)
        cls.__annotations__ = {**{n: f.annotation for n, f in derived.items()}, **own}
        cls.command = command


class VersionCheck(Body):
    """Optimistic concurrency: the version the caller last saw; a mismatch answers 409."""

    expected_version: int | None = Field(default=None, ge=1)


class Recorded(BaseModel):
    """What a write did: the aggregate it changed, its new version, and where its events sit
    in the log (pass ``position`` as ``?wait_for=`` on a read to see this write)."""

    aggregate_id: UUID
    version: int
    position: int | None = Field(
        description="Log position of the events (a replay answers the first request's); "
        "null only when the command changed nothing."
    )
    replayed: bool = Field(
        description="True when an earlier request with the same Idempotency-Key is being answered again."
    )

    @classmethod
    def of(cls, result: CommandResult, **ids: UUID | None) -> Self:
        return cls(
            aggregate_id=result.aggregate_id,
            version=result.version,
            position=result.position,
            replayed=result.replayed,
            **ids,
        )


def to_command(kind: type[C], body: BaseModel | None = None, **ids: Any) -> C:
    """The command a request asks for: the body's fields plus the ids from the path.

    A value the command refuses is reported like any other invalid body field (``body.x``).
    """
    fields = body.model_dump(exclude_unset=True) if body is not None else {}
    try:
        return kind.model_validate({**fields, **ids})
    except ValidationError as error:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in error.errors()]) from None


class FieldError(BaseModel):
    """One part of the request that was refused, and why."""

    field: str = Field(description="Where: `body.mrr`, `body.answers[0].answer`, `query.start`, "
                       "`path.client_id`, a header's name, or the field a rule is about.")
    reason: str


class Problem(BaseModel):
    """RFC 9457 problem details: the one shape of every refused or failed API request.

    ``type`` is ``about:blank`` (the status says what kind of problem it is), ``title`` the
    status's phrase, ``detail`` what happened in a sentence, and ``errors`` each request field
    involved with its reason (empty when no field is)."""

    type: str = "about:blank"
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    errors: list[FieldError] = Field(default_factory=list)
