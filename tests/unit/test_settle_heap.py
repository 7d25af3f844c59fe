"""A serving process settles its heap once its app is built: what exists then is frozen out of
the garbage collector's full collections (run in a child process: frozen objects are never
freed, which this test process would keep)."""

import subprocess
import sys


def test_settling_the_heap_freezes_what_the_process_holds() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", "import gc; from runtime.app import settle_heap;"
         " before = gc.get_freeze_count(); settle_heap(); print(before, gc.get_freeze_count())"],
        capture_output=True, text=True, check=True)

    before, after = map(int, shown.stdout.split())

    assert (before, after > 10_000) == (0, True)
