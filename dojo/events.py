"""The event log of one run: what every process of the learner's program did.

Each process appends to a file of its own (``events/<pid>.jsonl``), so no
process ever waits on a lock held by another: a lock shared with learner code
could itself deadlock, and then the harness would be part of the bug.
Times are ``time.monotonic()``, one clock for every process on Linux.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field

RUN_DIR_ENV = "DOJO_RUN_DIR"
RUN_ID_ENV = "DOJO_RUN_ID"

_file = None
_file_pid = None
_count = 0
_bell = None  # this process's end of the warden's doorbell (see ring())
ROLE = "main"  # this process's role; set by the instrumentation at start
#: events kept per process: a busy loop (get_nowait() a million times) must not fill the disk
LIMIT = 50_000


def run_dir() -> str | None:
    return os.environ.get(RUN_DIR_ENV)


DOORBELL = "doorbell"  # a FIFO in the run folder: one byte per event wakes the warden at once


def _out():
    global _file, _file_pid, _count, _bell
    pid = os.getpid()
    if _file is None or _file_pid != pid:
        # A forked child inherits the parent's file object: open its own.
        directory = os.path.join(run_dir(), "events")
        _file = open(os.path.join(directory, f"{pid}.jsonl"), "a", buffering=1)
        _file_pid, _count = pid, 0
        if _bell is not None:  # the parent's, inherited through fork
            try:
                os.close(_bell)
            except OSError:
                pass
        try:  # non-blocking: a warden that is slow to read must never hold up the learner's program
            _bell = os.open(os.path.join(run_dir(), DOORBELL), os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:  # no warden listening (a harness test, or the run is over): the warden polls anyway
            _bell = None
    return _file


def ring() -> None:
    """Wake the warden: something happened. The warden reads the events themselves from the files."""
    if _bell is not None:
        try:
            os.write(_bell, b"!")
        except OSError:  # full (the warden will read the files anyway) or gone (the run is over)
            pass


def seconds(value) -> float | None:
    """A wait's length as a number, or None (sleep("x") is the learner's error to meet, not ours)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number == number else None  # not NaN


def log(ev: str, **fields) -> None:
    """Append one event. Does nothing outside a dojo run."""
    global _count
    if run_dir() is None:
        return
    # tid tells threads apart within the program's own order; nid is the kernel's id, which the warden
    # matches with /proc/PID/task/NID when it asks whether a thread is asleep.
    record = {"t": time.monotonic(), "pid": os.getpid(), "tid": threading.get_ident(),
              "nid": threading.get_native_id(), "role": ROLE, "ev": ev}
    record.update(fields)
    try:
        out = _out()
        _count += 1
        if _count == LIMIT:
            record = {**record, "ev": "too-many-events", "fields_of": ev}
        elif _count > LIMIT:
            return
        out.write(json.dumps(record, default=repr) + "\n")
        ring()
    except OSError:  # the run directory is gone: the run is over
        pass


def label(item, limit: int = 40) -> str:
    """How an item is named in reports: its repr, kept short."""
    text = repr(item)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Event:
    t: float
    pid: int
    role: str
    ev: str
    fields: dict = field(default_factory=dict)

    def __getattr__(self, name):  # event-specific fields: e.item, e.q, …
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None


def read_events(directory: str) -> list[Event]:
    """All events of a run, in time order. A torn last line is skipped."""
    events = []
    folder = os.path.join(directory, "events")
    for name in os.listdir(folder) if os.path.isdir(folder) else ():
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    raw = json.loads(line)
                except ValueError:
                    continue
                events.append(Event(raw.pop("t"), raw.pop("pid"), raw.pop("role"), raw.pop("ev"), raw))
    events.sort(key=lambda e: e.t)
    return events


def learner_line() -> dict:
    """Where in the learner's files the call being logged was made: {"file", "line"}, or {} (none of theirs
    within a few frames: multiprocessing's own, such as the exit handler's joins). Called by the function
    that logs, so two frames up is that function's caller."""
    target = os.environ.get("DOJO_TARGET_DIR", "")
    frame = sys._getframe(2)
    for _ in range(8):  # the learner's frame is a call or two up
        if frame is None:
            break
        if target and os.path.abspath(frame.f_code.co_filename).startswith(target + os.sep):
            return {"file": os.path.abspath(frame.f_code.co_filename), "line": frame.f_lineno}
        frame = frame.f_back
    return {}
