"""Holding Ctrl-C and SIGTERM while clean-up runs, so an impatient second signal cannot
leave a user or a pool behind; the held signal is raised once the clean-up is done.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    held: list[int] = []
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread: nothing to hold
            previous[sig] = signal.signal(sig, lambda n, f: held.append(n))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if held:
            raise KeyboardInterrupt
