"""How the ledger stores the values the library's JSON transcoder does not know: vocabulary
enums as their values and calendar dates as ISO text, so events stay readable JSON."""

from datetime import date
from enum import Enum
from typing import cast

from eventsourcing.persistence import Transcoding


class EnumAsValue(Transcoding):
    """Stores an enum member as its value, so events stay readable JSON."""

    def __init__(self, enum_type: type[Enum]) -> None:
        self.type = enum_type
        self.name = f"enum:{enum_type.__name__}"

    def encode(self, obj: Enum) -> str:
        return cast(str, obj.value)

    def decode(self, data: str) -> Enum:
        return cast(Enum, self.type(data))


class DateAsISO(Transcoding):
    """Stores a calendar date as ``YYYY-MM-DD`` (the library only knows datetimes).

    The transcoder looks types up exactly, so a ``datetime`` still uses the library's own
    transcoding and never lands here.
    """

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)
