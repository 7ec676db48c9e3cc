"""The prefetch child's fork: the first thing ``reader FILE`` does, before anything is imported.

It needs nothing but ``os`` and ``sys``, so ``reader.cli`` can fork before the settings, the
logging, the app context and Qt are imported (about 30 ms at a cold start): the child imports
the extractor on the other core meanwhile and then waits for its orders (which library to ask),
which the window's process sends once it has read the settings (reader.core.prefetch).
"""

from __future__ import annotations

import os
import sys


class Forked:
    """A prefetch child just forked: its pid, the end its answer comes on, the end its orders
    go to, and the file it is for (as given)."""

    __slots__ = ("answers", "orders", "path", "pid")

    def __init__(self, path: str, pid: int, answers: int, orders: int) -> None:
        self.path = path
        self.pid = pid
        self.answers = answers
        self.orders = orders


def single_threaded() -> bool:
    """Forking is only safe while this process has one thread (Qt and pools start others)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: only the Python-level view is available
        import threading

        return threading.active_count() == 1


def fork_prefetch(path: str) -> Forked | None:
    """Fork a child that gets the file at ``path`` ready (reader.core.prefetch.serve); None
    when forking is not possible or not safe here (no fork, macOS, threads already running)
    or ``path`` is not a regular file."""
    if not hasattr(os, "fork") or sys.platform == "darwin" or not single_threaded():
        return None
    try:
        if not os.path.isfile(path):
            return None
        answers = os.pipe()
        orders = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        for end in (*answers, *orders):
            os.close(end)
        return None
    if pid == 0:  # the child: never returns into the caller's code
        try:
            os.close(orders[1])
            from reader.core import prefetch

            prefetch.serve(path, answers, orders[0])
        finally:
            os._exit(1)
    os.close(answers[1])
    os.close(orders[0])
    return Forked(path, pid, answers[0], orders[1])
