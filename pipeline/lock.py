"""One writer at a time on an output folder: an OS lock that dies with its process.

``OUT/.lock`` is locked with ``flock`` (an exclusive lock on the open file, released by the
kernel when the process ends, however it ends: a lock left by a killed run never blocks). The
holder writes who it is into the file (run id, pid, host, start), so a run that finds the
folder locked can name it. Forked children (pool workers) close their inherited copy of the
descriptor, so a worker that outlives a killed driver does not keep the folder locked.

Models studied: restic's repository locks (who holds it, stale locks never block) and Delta
Lake's single-writer commit; unlike restic's lock files, an OS lock needs no staleness guess.
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

from .errors import LockedError, PreflightError

LOCK_FILE = ".lock"
_held: set[int] = set()  # descriptors of the locks this process holds


def _close_in_child() -> None:
    for fd in list(_held):
        try:
            os.close(fd)  # the parent's open file keeps the lock: closing our copy does not release it
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


def holder(out_dir: Path) -> dict:
    """What the holder wrote into the lock file ({} when nothing readable)."""
    try:
        return json.loads((out_dir / LOCK_FILE).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def _describe(info: dict) -> str:
    if not info:
        return "a run that has not yet said who it is"
    return (f"run {info.get('run_id', '?')} (pid {info.get('pid', '?')} on {info.get('host', '?')}, "
            f"started {info.get('started', '?')})")


class OutLock:
    """``with OutLock(out, run_id, wait=30): ...`` holds ``out/.lock`` for the block."""

    def __init__(self, out_dir: Path, run_id: str, *, wait: float = 0.0, command: str = "run"):
        self.out_dir, self.run_id, self.wait, self.command = out_dir, run_id, wait, command
        self.fd: int | None = None

    def acquire(self) -> None:
        path = self.out_dir / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise PreflightError(f"cannot write to --out {self.out_dir}: {exc.strerror or exc}") from exc
        deadline = time.monotonic() + max(self.wait, 0.0)
        pause = 0.05
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    waited = f"waited {self.wait:g} s" if self.wait else "did not wait"
                    raise LockedError(f"another vnpress command holds {path}: {_describe(holder(self.out_dir))}; "
                                      f"{waited} (pass --wait SECONDS to wait for it)") from None
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
        self.fd = fd
        _held.add(fd)
        info = {"run_id": self.run_id, "command": self.command, "pid": os.getpid(), "host": socket.gethostname(),
                "started": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except OSError:
            pass  # who holds it is a courtesy; the lock itself is what counts

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        _held.discard(self.fd)
        os.close(self.fd)  # closing the last descriptor releases the lock
        self.fd = None

    def __enter__(self) -> "OutLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
