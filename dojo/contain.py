"""Containment for graded runs: limits, and a fence the learner's code cannot cross.

A graded submission is untrusted code. Its main process calls ``enter()``
before the learner's file is even read, so every process it starts (by fork,
spawn or forkserver) inherits the same walls:

- resource limits per process (``setrlimit``): CPU seconds, address space,
  open files, no core files, and, where the kernel counts them for this user,
  processes (the size of any file written, ``FILE_SIZE``, is set by the warden
  for every run: see ``file_cap`` in dojo/warden.py);
- Landlock (Linux 5.13 and later, no root needed): the run may read the whole
  filesystem (Python must import itself) but write only inside its own run
  folder and /dev/shm (multiprocessing's semaphores live there); and, from
  Landlock ABI 6, it may not signal or connect to anything outside the run.
  So it cannot write into the grader's output or the repository, nor kill
  the warden, pytest, or another student's run.

- a /dev/shm of its own (Linux mount namespace; a user namespace too when
  not root): an empty tmpfs that only this run's processes see, and that the
  kernel removes once the last of them has ended. multiprocessing's
  semaphores live there, and so does anything else the program leaves in
  /dev/shm: nothing a graded run created stays after it.

The warden adds the limits that only an outside watcher can keep: processes
in the whole tree and memory of the whole tree (``TREE_PROCS``,
``TREE_MEMORY``). What this does not stop is written in the README's threat
model: it is a fence for mistakes and mischief, not a jail for an attacker.
"""
from __future__ import annotations

import ctypes
import os
import resource

CPU_SECONDS = 20  # per process; the warden's wall-clock deadline comes first for a sane run
ADDRESS_SPACE = 1 << 30  # bytes per process: room for Python and its threads, not for a hog
OPEN_FILES = 256
FILE_SIZE = 8 << 20  # bytes: no file (stdout is one) grows past this; the write fails with OSError (EFBIG)
PROCESSES = 256  # more processes for this user than it had at the start (ignored for root)
TREE_PROCS = 64  # processes alive at once in one run (checked by the warden)
TREE_MEMORY = 2 << 30  # bytes of resident memory of one run (checked by the warden)

# Landlock's ABI (linux/landlock.h). The syscall numbers are the same on every architecture.
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_FS = {  # access right -> the ABI version that brought it
    "execute": (1 << 0, 1), "write_file": (1 << 1, 1), "read_file": (1 << 2, 1), "read_dir": (1 << 3, 1),
    "remove_dir": (1 << 4, 1), "remove_file": (1 << 5, 1), "make_char": (1 << 6, 1), "make_dir": (1 << 7, 1),
    "make_reg": (1 << 8, 1), "make_sock": (1 << 9, 1), "make_fifo": (1 << 10, 1), "make_block": (1 << 11, 1),
    "make_sym": (1 << 12, 1), "refer": (1 << 13, 2), "truncate": (1 << 14, 3),
}
# Reading and executing stay allowed everywhere (they are simply not handled), so only writes are fenced.
_WRITES = [name for name in _FS if name not in ("execute", "read_file", "read_dir")]
_FILE_WRITES = ("write_file", "truncate")  # the rights a rule on a single file (not a folder) may carry
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1  # packed in the kernel's header
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 where there is none (old kernel, not Linux, disabled)."""
    try:
        version = _libc().syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(0, version)


def _rights(names, abi: int) -> int:
    return sum(bit for name, (bit, since) in _FS.items() if name in names and since <= abi)


def fence(writable: list[str]) -> str:
    """Forbid writes outside ``writable``, and signals and sockets outside this process tree.

    Applies to the calling thread and everything it starts later. Returns what
    was done, for the run's record ("landlock 7", or why not).
    """
    abi = landlock_abi()
    if abi < 1:
        return "no landlock"
    libc = _libc()
    attr = _RulesetAttr(_rights(_WRITES, abi), 0, (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 8  # older kernels know only the first field
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return f"no landlock ({os.strerror(ctypes.get_errno())})"
    try:
        for path in writable:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue  # not on this machine (e.g. no /dev/shm): nothing to allow
            try:
                folder = os.path.isdir(path)
                rule = _PathBeneath(_rights(_WRITES if folder else _FILE_WRITES, abi), fd)
                if libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)):
                    return f"no landlock (rule for {path}: {os.strerror(ctypes.get_errno())})"
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0):
            return f"no landlock (no_new_privs: {os.strerror(ctypes.get_errno())})"
        if libc.syscall(_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)):
            return f"no landlock ({os.strerror(ctypes.get_errno())})"
    finally:
        os.close(ruleset)
    return f"landlock {abi}"


def _user_processes() -> int:
    uid = os.getuid()
    count = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def limit() -> None:
    """Per-process resource limits, inherited by every process started later."""
    wanted = [(resource.RLIMIT_CPU, CPU_SECONDS), (resource.RLIMIT_AS, ADDRESS_SPACE),
              (resource.RLIMIT_NOFILE, OPEN_FILES), (resource.RLIMIT_CORE, 0)]
    if os.getuid() != 0 and os.path.isdir("/proc"):
        # The kernel counts every process of this user, the grader's own among them; root is never limited.
        wanted.append((resource.RLIMIT_NPROC, _user_processes() + PROCESSES))
    for which, value in wanted:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(which, (value, hard if which != resource.RLIMIT_CPU else value + 1))
        except (ValueError, OSError):
            pass  # a limit this platform does not have, or a lower one already set: keep it


_CLONE_NEWNS, _CLONE_NEWUSER = 0x00020000, 0x10000000
_MS_NOSUID, _MS_NODEV, _MS_REC, _MS_PRIVATE = 2, 4, 1 << 14, 1 << 18
SHM_SIZE = "64m"  # the run's own /dev/shm: room for semaphores and a queue's buffers, not for a hog


def private_shm() -> str:
    """Give this process, and all it starts, an empty /dev/shm of its own, gone when the last of them ends.

    Must run while the process has one thread (the kernel refuses a new mount
    namespace to a threaded process). Returns what was done, for the run's record.
    """
    if not os.path.isdir("/dev/shm"):
        return "no /dev/shm"
    libc = _libc()
    uid, gid = os.getuid(), os.getgid()
    flags = _CLONE_NEWNS | (0 if uid == 0 else _CLONE_NEWUSER)  # root needs no user namespace to mount
    if libc.unshare(flags):
        return f"shared /dev/shm ({os.strerror(ctypes.get_errno())})"
    try:
        if flags & _CLONE_NEWUSER:  # the same ids inside as outside, so files and signals work as before
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                with open(f"/proc/self/{name}", "w") as f:
                    f.write(text)
    except OSError as exc:
        return f"shared /dev/shm ({exc.strerror})"
    # Private first, so that the new mount never shows in the grader's own namespace.
    if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None):
        return f"shared /dev/shm ({os.strerror(ctypes.get_errno())})"
    if libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", _MS_NOSUID | _MS_NODEV, f"size={SHM_SIZE},mode=1777".encode()):
        return f"shared /dev/shm ({os.strerror(ctypes.get_errno())})"
    return "private /dev/shm"


def enter(run_dir: str) -> str:
    """Contain this process and all it will start. Call before any learner code runs."""
    limit()
    shm = private_shm()
    return f"{fence([run_dir, '/dev/shm', '/dev/null'])}, {shm}"
