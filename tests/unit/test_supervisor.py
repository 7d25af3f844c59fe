"""The watchdog's decisions without a real server: restart a stopped one, give up on one that
will not start."""

import threading
from pathlib import Path

from runtime.supervisor import DatabaseWatchdog, Postmaster, postmaster_state


class FakeServer:
    def __init__(self, pgdata: Path, starts: bool) -> None:
        self.pgdata = pgdata
        self.starts = starts
        self.attempts = 0

    def ensure_postgres_running(self) -> None:
        self.attempts += 1
        if not self.starts:
            raise RuntimeError("pg_ctl: could not start server")


def test_a_data_directory_without_a_lock_file_has_no_running_server(tmp_path: Path) -> None:
    assert postmaster_state(tmp_path) == (Postmaster.STOPPED, None)


def test_a_lock_file_naming_a_process_that_is_not_postgres_counts_as_stopped(tmp_path: Path) -> None:
    (tmp_path / "postmaster.pid").write_text("1\n/data\n")

    assert postmaster_state(tmp_path)[0] is Postmaster.STOPPED


def test_the_watchdog_starts_a_stopped_server_and_counts_the_restart(tmp_path: Path) -> None:
    server = FakeServer(tmp_path, starts=True)
    watchdog = DatabaseWatchdog(server, start_lock=threading.Lock())

    running = watchdog.check()

    assert (running, server.attempts, watchdog.restarts) == (True, 1, 1)


def test_the_watchdog_gives_up_on_a_server_that_will_not_start(tmp_path: Path) -> None:
    server = FakeServer(tmp_path, starts=False)
    given_up = threading.Event()
    watchdog = DatabaseWatchdog(server, interval=0.02, give_up_after=0.2, on_give_up=given_up.set,
                                start_lock=threading.Lock())

    watchdog.start()
    called = given_up.wait(5)
    watchdog.stop()

    assert called and watchdog.gave_up and watchdog.restarts == 0 and server.attempts > 1
