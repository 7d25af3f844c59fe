"""What the ledger tells a store that writes concurrent saves together (group commit): which
commands are deciding, so a group about to be written may wait a moment for their saves, and
when one of them waits for something else (an aggregate's lock), so no group waits for it.

The PostgreSQL store's :class:`runtime.group_commit.GroupCommit` answers both; a store that
writes each save on its own is given :class:`NoGathering`.
"""

import contextlib
from typing import Protocol


class SaveGathering(Protocol):
    """A store that writes concurrent saves together may wait for commands still deciding."""

    def deciding(self) -> contextlib.AbstractContextManager[None]: ...

    def waiting(self) -> contextlib.AbstractContextManager[None]: ...


class NoGathering:
    """For stores that write each save on its own: nothing to tell."""

    def deciding(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def waiting(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()
