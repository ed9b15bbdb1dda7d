"""A pool of forked worker processes that survives its workers: the engine's ``process`` engine.

Each worker has its own pipe and says which item of its task it is on, so when one dies (a
segfault, an OOM kill) or does not answer the alarm of ``--doc-timeout`` (it is then killed),
only that item is lost: it becomes the piece :class:`Work` ``.lost`` makes of it, the items
before it in the same task and every task sent after go again to a fresh worker. Tasks are
sent two per worker at most, so memory stays bounded. What a task does is given by the engine
(:class:`Work`); the pool knows no kind of work.
"""
from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Iterator

@dataclass(frozen=True)
class Work:
    """What the workers run, per kind of work (the engine's ``ingest`` and ``process``)."""
    run: Callable[[str, list, dict, Callable[[int], None]], list]  # (kind, items, context, on_start) -> outputs
    combine: Callable[[str, list, list], Any]    # (kind, items, outputs) -> the task's piece of its batch
    lost: Callable[[str, Any, str, str], Any]    # (kind, item, reason, message) -> the piece of an item lost
    covered: Callable[[str, Any], int]           # (kind, piece) -> how many items it accounts for
    assemble: Callable[[str, list], Any]         # (kind, pieces in order) -> the batch's result


def _worker(conn, context: dict, work: Work) -> None:
    """A worker process: run the tasks it is sent, saying which item it is on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides when to stop
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the driver is gone
        if message is None:
            return
        task_id, kind, items = message
        try:
            outputs = work.run(kind, items, context, lambda i: conn.send(("start", task_id, i)))
            conn.send(("done", task_id, work.combine(kind, items, outputs)))
        except (BrokenPipeError, OSError):
            return


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = ": often the out-of-memory killer" if -exitcode == signal.SIGKILL else ""
        return f"the worker process was killed by {name} (signal {-exitcode}{hint}) on this document"
    return f"the worker process died (exit status {exitcode}) on this document"


@dataclass
class _Task:
    id: int
    batch: int
    kind: str
    items: list
    offset: int            # where the items sit in their batch
    started: int = -1      # index of the item the worker is on
    since: float = 0.0
    tries: int = 0         # workers lost on it


class Pool:
    """``workers`` forked worker processes, each with its own pipe; tasks are sent two per
    worker at most, so memory stays bounded."""

    def __init__(self, workers: int, context: dict, work: Work, grace: float = 10.0):
        """``grace``: seconds a worker gets past ``context["timeout"]`` to answer the alarm
        before it is killed."""
        self.size, self.context, self.work, self.grace = max(1, workers), context, work, grace
        self.ctx = multiprocessing.get_context("fork")
        self.workers: list[dict] = []
        self._ids = 0

    def _spawn(self) -> dict:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker, args=(child, self.context, self.work), daemon=True)
        proc.start()
        child.close()
        worker = {"proc": proc, "conn": parent, "tasks": deque()}
        self.workers.append(worker)
        return worker

    def _fill(self) -> None:
        while len(self.workers) < self.size:
            self._spawn()

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker["conn"].send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker["proc"].join(2)
            if worker["proc"].is_alive():
                worker["proc"].kill()
                worker["proc"].join()
            worker["conn"].close()
        self.workers.clear()

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def map(self, kind: str, batches: list[list]) -> Iterator:
        """One combined result per batch, in order; a batch is released once it is sent."""
        timeout = self.context.get("timeout")
        self._hard = timeout + max(self.grace, timeout / 10) if timeout else None
        self._slots: dict[int, dict[int, Any]] = {}  # per batch: its pieces' outputs, by offset
        sizes: dict[int, int] = {}
        self._queue: deque[_Task] = deque()
        fed, done = 0, 0
        self._fill()
        for b, batch in enumerate(batches):
            batches[b] = None  # released: the task holds it now
            sizes[b], self._slots[b] = len(batch), {}
            self._queue.append(self._task(b, kind, batch, 0))
            fed = b + 1
            while len(self._queue) >= self.size:  # keep a few batches read ahead, no more
                self._step(kind)
                while done < fed and self._complete(done, sizes[done], kind):
                    yield self._assemble(kind, self._slots.pop(done))
                    done += 1
        while done < fed:
            self._step(kind)
            while done < fed and self._complete(done, sizes[done], kind):
                yield self._assemble(kind, self._slots.pop(done))
                done += 1

    def _complete(self, batch: int, size: int, kind: str) -> bool:
        return sum(self.work.covered(kind, piece) for piece in self._slots[batch].values()) >= size

    def _assemble(self, kind: str, pieces: dict[int, Any]):
        return self.work.assemble(kind, [pieces[k] for k in sorted(pieces)])

    def _step(self, kind: str) -> None:
        """Send what the workers can take, then take what they say (or find that one died)."""
        for worker in self.workers:
            while self._queue and len(worker["tasks"]) < 2:
                task = self._queue.popleft()
                try:
                    worker["conn"].send((task.id, task.kind, task.items))
                except OSError:  # it died: found below
                    self._queue.appendleft(task)
                    break
                task.since = time.monotonic()
                worker["tasks"].append(task)
        ready = wait([w["conn"] for w in self.workers] + [w["proc"].sentinel for w in self.workers], timeout=1.0)
        now = time.monotonic()
        for worker in list(self.workers):
            dead = self._receive(worker, now) if worker["conn"] in ready or worker["proc"].sentinel in ready \
                else False
            current = worker["tasks"][0] if worker["tasks"] else None
            stuck = bool(self._hard and current and current.started >= 0 and now - current.since > self._hard)
            if stuck:
                worker["proc"].kill()
            if dead or stuck:
                worker["proc"].join()
                reason, message = ("timeout", _timeout_message(self.context["timeout"])) if stuck else \
                    ("crash", _death(worker["proc"].exitcode))
                self._lost(worker, kind, reason, message)

    def _receive(self, worker: dict, now: float) -> bool:
        """Read a worker's messages; True when it is gone."""
        conn = worker["conn"]
        try:
            while conn.poll():
                tag, task_id, payload = conn.recv()
                task = worker["tasks"][0]
                assert task.id == task_id, (task.id, task_id)
                if tag == "start":
                    task.started, task.since = payload, now
                else:
                    worker["tasks"].popleft()
                    self._slots[task.batch][task.offset] = payload
                    if worker["tasks"]:
                        worker["tasks"][0].since = now
        except (EOFError, OSError):
            return True
        return not worker["proc"].is_alive()

    def _task(self, batch: int, kind: str, items: list, offset: int) -> _Task:
        self._ids += 1
        return _Task(self._ids, batch, kind, items, offset)

    def _lost(self, worker: dict, kind: str, reason: str, message: str) -> None:
        """A worker died (or was killed): the item it was on is an error; the items before it in
        the same task and every task sent after go again to a fresh worker."""
        self.workers.remove(worker)
        worker["conn"].close()
        tasks = list(worker["tasks"])
        again: list[_Task] = []
        if tasks:
            first = tasks.pop(0)
            first.tries += 1
            # a task that kills workers before its first item: its first item is the culprit
            i = first.started if first.started >= 0 else (0 if first.tries > 2 else -1)
            if i >= 0:
                self._slots[first.batch][first.offset + i] = self.work.lost(kind, first.items[i], reason, message)
                if i:
                    again.append(self._task(first.batch, kind, first.items[:i], first.offset))
                if i + 1 < len(first.items):
                    again.append(self._task(first.batch, kind, first.items[i + 1:], first.offset + i + 1))
            else:
                first.started = -1
                again.append(first)
        for task in tasks:
            task.started = -1
        again.extend(tasks)
        self._queue.extendleft(reversed(again))
        self._spawn()


def _timeout_message(timeout: float) -> str:
    return f"stopped after {timeout:g} s (--doc-timeout): the worker did not answer the alarm and was killed"
