"""The text of a group's transaction sent in one message (:mod:`runtime.group_inserts`): its
statements rendered once per shape (with or without idempotency records, with or without the
check of the saves' reads), cut at their placeholders, and the values that go in them, each
list one array literal.

Its statements with values are executed by name (:mod:`runtime.named_statements`) once a
connection has them; :attr:`CommitMessages.commit_message_parts` is the same message with the
statements written out, for a session that lost them.
"""

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from psycopg.sql import SQL, Composable, Composed

from commands.results import READ_VERSIONS_KWARG, CommandLogEntry, CommandResult
from runtime.array_text import array_text
from runtime.group_commit import PendingSave
from runtime.named_statements import NamedStatements

COMMIT = SQL("COMMIT")


def read_versions(group: Sequence[PendingSave]) -> list[tuple[Any, int]]:
    """The (id, version) of every aggregate the group's commands read and did not save."""
    return [read for p in group for read in p.kwargs.get(READ_VERSIONS_KWARG) or ()]


class CommitMessages:
    """The message half of :class:`runtime.group_inserts.GroupInserts`."""

    begin_xid_statement: SQL
    lock_write_statements: list[Any]
    insert_columns_text_statement: Composed
    insert_log_statement: Composed
    update_log_positions_statement: Composed
    check_reads_statement: Composed
    copy_events_statement: Composed
    last_id_statement: Composed

    @cached_property
    def copy_message_parts(self) -> dict[tuple[bool, bool], list[str]]:
        """The text of :meth:`_begin_and_copy`'s message cut at its placeholders: with or
        without idempotency records, with or without the check of reads."""
        return {(logged, checked): self._message_text(
            [self.begin_xid_statement, *self.lock_write_statements, self.last_id_statement],
            self.copy_events_statement, logged, checked).split("%s")
            for logged in (False, True) for checked in (False, True)}

    def _message_values(self, group: list[PendingSave], entries: list[CommandLogEntry | None],
                        log_params: tuple[list[str], ...], events: Sequence[list[Any]] = ()
                        ) -> tuple[bool, bool, list[str]]:
        """Whether a one-message transaction has idempotency records, whether it checks reads,
        and its values in the order of its placeholders: the records' keys, the ``events``'
        columns (if it inserts them), the reads to check, the records' results. Each list as
        one array literal (runtime.array_text: a fifth of psycopg's CPU for lists), to be quoted
        into the message's text (runtime.simple_query: half a cursor's CPU)."""
        logged = bool(log_params[0])
        arrays: list[list[Any]] = list(log_params) if logged else []
        arrays.extend(events)
        reads = read_versions(group)
        if reads:
            arrays.extend(([i for i, _ in reads], [v for _, v in reads]))
        if logged:
            arrays.extend(self._log_results(group, entries))
        return logged, bool(reads), [array_text(values) for values in arrays]

    def _message_text(self, lead: Sequence[Composable], events_statement: Composable,
                      logged: bool, checked: bool,
                      named: Callable[[Composable], Composable] = lambda statement: statement
                      ) -> str:
        """A whole transaction's text: ``lead``, the idempotency records, the events'
        statement, the check of the saves' reads (after all the group's events: a save that
        read what another save of the group changes fails here, and the group is written again
        save by save, in order), the records' results and COMMIT; rendered once per shape
        (rendering it each time cost about as much CPU as sending it)."""
        return SQL("; ").join([
            *lead, *([named(self.insert_log_statement)] if logged else []), events_statement,
            *([named(self.check_reads_statement)] if checked else []),
            *([named(self.update_log_positions_statement)] if logged else []), COMMIT,
        ]).as_string()

    @staticmethod
    def _log_results(group: list[PendingSave], entries: list[CommandLogEntry | None]
                     ) -> tuple[list[str], list[str], list[str], list[Any], list[int | None]]:
        """The idempotency records' keys, results without position, and the id and version
        of their save's last event (the server looks its notification id up)."""
        tenants, keys, results, last_ids, last_versions = [], [], [], [], []
        for pending, entry in zip(group, entries, strict=True):
            if entry is None:
                continue
            last = pending.stored_events[-1] if pending.stored_events else None
            tenants.append(entry.tenant)
            keys.append(entry.idempotency_key)
            results.append(CommandResult(entry.result.aggregate_id, entry.result.version, None,
                                         entry.result.created_id).to_json())
            last_ids.append(None if last is None else last.originator_id)
            last_versions.append(None if last is None else last.originator_version)
        return tenants, keys, results, last_ids, last_versions

    @cached_property
    def commit_message_parts(self) -> dict[tuple[bool, bool], list[str]]:
        """:attr:`commit_message_texts` cut at their placeholders, for
        :func:`runtime.simple_query.with_literals`."""
        return {shape: text.split("%s") for shape, text in self.commit_message_texts.items()}

    @cached_property
    def commit_message_texts(self) -> dict[tuple[bool, bool], str]:
        """The commit message's text (:meth:`_message_text`), without and with idempotency
        records, without and with the check of the saves' reads."""
        return {(logged, checked): self._message_text(
            [SQL("BEGIN"), *self.lock_write_statements], self.insert_columns_text_statement,
            logged, checked)
            for logged in (False, True) for checked in (False, True)}

    @cached_property
    def named_statements(self) -> NamedStatements:
        """The commit message's statements with values, to execute by name
        (:mod:`runtime.named_statements`)."""
        return NamedStatements(
            [self.insert_columns_text_statement, self.check_reads_statement,
             self.insert_log_statement, self.update_log_positions_statement],
            lead=[s for s in self.lock_write_statements if "lock_timeout" in s.as_string()])

    @cached_property
    def named_message_parts(self) -> dict[tuple[bool, bool], list[str]]:
        """:attr:`commit_message_parts` with each statement executed by name."""
        named = self.named_statements.executed
        return {(logged, checked): self._message_text(
            [SQL("BEGIN"), *self.lock_write_statements], named(self.insert_columns_text_statement),
            logged, checked, named).split("%s")
            for logged in (False, True) for checked in (False, True)}
