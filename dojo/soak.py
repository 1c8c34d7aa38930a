"""``python -m dojo.soak``: does a verdict depend on how busy the machine is? A soak, not a test.

A verdict must come from what a program did, never from the clock. This runs
every kata's tests against its solution, its stub and every wrong variant
(``tests/wrong/NN_slug/``), plus the hostile grading battery
(tests/harness/hostile.py, its class of hostile students graded with ``pytest --grade-class``),
first on an idle machine, then ``--rounds R`` times under load, and prints
every test whose class word (PASS, HANG, LOST, …; for the battery, the word
the grader writes per test) differs from the idle round, then what each
round left behind: survivors (``dojo.survivors``) and residue.

Every loaded round runs under all the kinds chosen with ``--load`` at once
(the worst case each round, so that "0 differences in 20 rounds" means 20
worst cases, not 7 of each):

- ``cpu``: CPU burners, 3 per core (busy loops in their own interpreters);
- ``churn``: one loop per core that starts Python interpreters one after the other;
- ``session``: a second dojo session, ``pytest --solutions -n 2`` over the
  same katas, one kata file after another, restarted until the round ends
  (two such sessions at once once made a memory hog be graded HANG instead
  of CRASH). Its own tests are compared too, with the idle round's solution.

Each subject (the solution, the stub, one variant) and kata is one
``pytest`` process, and so is each of ``--jobs`` classes of hostile
students; ``--jobs`` of them (default: one per core, as ``-n auto``) run at
once, the same in every round. Every process the soak starts carries
``DOJO_SOAK`` in its environment, and so do the runs those processes make:
whatever of a round is still alive afterwards is found by it. Every load
process is stopped at the end of its round, on Ctrl+C too.

The machine is shared with whatever else runs on it: its load average is
printed before each round, and /dev/shm is counted for the whole machine.

Exit code: 0 when no test differs, nothing survived, nothing was left, and
every pytest ran; 1 otherwise (130 when interrupted).
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from dojo import katas as table
from dojo.run import ROOT

TAG = "DOJO_SOAK"  # the environment marker of every process a soak starts (and of the runs they make)
LOADS = ("cpu", "churn", "session")
SUBJECTS = ("solution", "stub", "variants", "hostile")
BURNERS_PER_CORE = 3
# `-k fork` alone would take forkserver too, and a grading's spawn tests of the student fork_bomb (ids name the student)
QUICK = "fork and not forkserver and not spawn"
JOB_TIMEOUT = 900.0  # s: one pytest of one subject; pytest-timeout (120 s a test) comes first
SESSION_FINISH = 60.0  # s: how long a round waits for the second session's current kata file to end
POLL = 0.1  # s between looks at the running jobs
NOT_RUN = "NOT RUN"  # the class word of a test a round has no result for


def selection(quick: bool, keyword: str | None, method: str | None = None) -> list[str]:
    """pytest's ``-k`` for a subject: ``method`` (or the fork method alone with ``quick``) and ``keyword``."""
    parts = [p for p in (QUICK if quick else method, keyword) if p]
    return ["-k", " and ".join(f"({p})" for p in parts)] if parts else []


# -- what is compared -------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: str  # the class word: PASS, HANG, LOST, …, MISSING (grading), or the pytest outcome for others
    headline: str = ""


@dataclass(frozen=True)
class Difference:
    subject: str
    nodeid: str
    idle: str
    loaded: str
    headline: str  # the loaded round's first line, to tell what went differently

    def line(self) -> str:
        return f"{self.subject} {self.nodeid}: idle={self.idle} loaded={self.loaded}"


SECOND_SESSION = "second session: solution"


def session_differences(idle: dict, tests: list) -> list[Difference]:
    """The second session's own tests (the load is a dojo session too): each must say what the idle round said
    of the same solution test, or PASS when the idle round did not run the solutions."""
    out = []
    for nodeid, outcome in tests:
        was = idle.get(("solution", nodeid))
        expected = was.status if was else "PASS"
        if outcome.status != expected:
            out.append(Difference(SECOND_SESSION, nodeid, expected, outcome.status, outcome.headline))
    return out


def differences(idle: dict, loaded: dict) -> list[Difference]:
    """Every test, keyed ``(subject, nodeid)``, whose class word differs between the rounds.

    A test that only one round has a result for differs too: a pytest that
    broke, or timed out, under load must not pass as "no difference".
    """
    out = []
    for key in sorted(set(idle) | set(loaded)):
        a, b = idle.get(key), loaded.get(key)
        was, now = a.status if a else NOT_RUN, b.status if b else NOT_RUN
        if was != now:
            out.append(Difference(key[0], key[1], was, now, (b or a).headline))
    return out


# -- the subjects: one pytest process each ---------------------------------------------


@dataclass
class Job:
    name: str  # what the output calls it: the subject, or the students of a hostile class
    subjects: list  # the subjects whose tests it runs
    argv: list
    env: dict
    read: object  # (job) -> dict[(subject, nodeid), Outcome]; raises OSError/ValueError when nothing was written
    results: str  # the file (or folder) the pytest writes its outcomes to
    weight: float = 1.0  # an estimate of its wall time, to start the longest first
    log: str = ""
    # filled in by run_jobs
    wall: float = 0.0
    returncode: int | None = None
    error: str = ""


def _read_results(job: Job) -> dict:
    with open(job.results, encoding="utf-8") as f:
        tests = json.load(f)["tests"]
    out = {}
    for t in tests:
        # A test without a class word (skipped, or broken outside the judge: a timeout, an error in the
        # harness) keeps pytest's own word, and says where to read why.
        headline = t["headline"] or ("" if t["status"] else
                                     f"no class word: pytest says {t['outcome']} after {t['duration']} s (see {job.log})")
        out[(job.subjects[0], t["nodeid"])] = Outcome(t["status"] or t["outcome"].upper(), headline)
    return out


def _read_grades(job: Job) -> dict:
    """The class words the grader wrote for each student: gradescope.json's tags, as test_grading reads them."""
    out, missing = {}, []
    for subject in job.subjects:
        student = subject.split("/", 1)[1]
        try:
            with open(os.path.join(job.results, student, "gradescope.json"), encoding="utf-8") as f:
                tests = json.load(f)["tests"]
        except (OSError, ValueError):
            missing.append(student)
            continue
        out.update({(subject, t["name"]): Outcome(t["tags"][1], (t["output"] or "").split("\n", 1)[0])
                    for t in tests})
    if missing:  # the others' grades still count: one broken report must not hide the class
        job.error = f"no gradescope.json for {', '.join(missing)}; exit {job.returncode}"
    return out


@functools.lru_cache(maxsize=None)
def _hostile():
    """tests/harness/hostile.py, the battery test_grading.py grades too (tests/ is not an installed package)."""
    spec = importlib.util.spec_from_file_location("dojo_soak_hostile", os.path.join(ROOT, "tests", "harness", "hostile.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pytest(*args) -> list:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]


def plan(katas: list, quick: bool, work: Path, round_name: str, env: dict, classes: int = 2,
         subjects: tuple = SUBJECTS, keyword: str | None = None) -> list[Job]:
    """Every subject's pytest for one round; ``work`` holds the files shared by all rounds.

    One pytest per subject and kata; the hostile battery's students are
    graded in ``classes`` classes (one pytest each), the same in every round:
    a pytest per student would cost more in starting pytest than most of
    them take to grade.
    """
    out = work / round_name
    out.mkdir(parents=True, exist_ok=True)
    select = selection(quick, keyword)
    methods = 1 if quick else None
    jobs = []

    def kata_job(subject, kata, mode_args, weight):
        slug = subject.replace("/", "-")
        results = str(out / f"{kata.number}-{slug}.json")
        jobs.append(Job(subject, [subject], _pytest(f"tests/test_{kata.file}", *mode_args, f"--results={results}", *select),
                        env, _read_results, results, weight, str(out / f"{kata.number}-{slug}.log")))

    for kata in katas:
        tests = _count(kata, methods)
        if "solution" in subjects:
            kata_job("solution", kata, ["--solutions"], tests * 0.5)
        if "stub" in subjects:  # the stub hangs in almost every test: about 1.5 s each, mostly waiting
            kata_job("stub", kata, [f"--target={os.path.join(ROOT, 'katas')}"], tests * 1.5)
        for reject in kata.must_reject if "variants" in subjects else []:
            folder = work / "variants" / kata.name / reject.variant
            if not folder.exists():
                folder.mkdir(parents=True)
                shutil.copy(os.path.join(ROOT, "tests", "wrong", kata.name, f"{reject.variant}.py"), folder / kata.file)
            kata_job(f"{kata.name}/{reject.variant}", kata, [f"--target={folder}"], tests * 1.2)

    hostile = _hostile()
    graded = [k for k in katas if k.number in hostile.KATAS] if "hostile" in subjects else []
    if graded:
        students = sorted(hostile.EXPECTED)
        groups = [students[i::classes] for i in range(classes) if students[i::classes]]
        outside = work / "outside"  # where writes_outside aims: it must stay empty
        outside.mkdir(exist_ok=True)
        graded_select = selection(quick, keyword, method="spawn")  # the battery as test_grading grades it
        for i, group in enumerate(groups, 1):
            folder = work / f"class-{i}"
            if not folder.exists():
                hostile.build_class(folder, only=set(group))
            grades = out / f"grades-{i}"
            genv = hostile.grading_env(grades, outside, outside / "PLANTED")
            genv[TAG] = env[TAG]
            jobs.append(Job(f"hostile class {i} ({', '.join(group)})", [f"hostile/{s}" for s in group],
                            _pytest(f"--grade-class={folder}", f"--grade-out={grades}", *graded_select,
                                    *[f"tests/test_{k.file}" for k in graded]),
                            genv, _read_grades, str(grades), 2.0 * len(group) * len(graded),
                            str(out / f"hostile-class-{i}.log")))
    return jobs


def _count(kata, methods: int | None) -> int:
    """How many tests the kata has (under ``methods`` start methods): from its test file, without collecting."""
    text = open(os.path.join(ROOT, "tests", f"test_{kata.file}"), encoding="utf-8").read()
    per_method = len(re.findall(r"^def test_", text, re.M))
    return per_method * (methods or len(kata.methods))


# -- process groups ----------------------------------------------------------------


def _start(argv, env, log=None) -> subprocess.Popen:
    """A process in a session (so a process group) of its own: the group is stopped as one."""
    out = open(log, "wb") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        if log:
            out.close()  # the child has its own copy


def _stop(proc: subprocess.Popen, interrupt: float = 0.0) -> None:
    """Stop ``proc``'s whole process group: SIGINT first when ``interrupt`` > 0 (pytest then cleans up its runs)."""
    if proc.poll() is None and interrupt > 0:
        _signal_group(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=interrupt)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(proc.pid, signal.SIGKILL)  # the leader may be gone while the rest of its group is not
    proc.wait()
    _until_group_gone(proc.pid)


def _until_group_gone(pgid: int, bound: float = 5.0) -> None:
    """Wait until no live process is left in group ``pgid``. SIGKILL is delivered asynchronously: a member
    (the churn loop's current interpreter) can still be running an instant after the leader was reaped, and
    would be counted as something the load left behind."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        alive = False
        for p in psutil.process_iter():
            try:
                if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                    alive = True
                    break
            except (OSError, psutil.Error):
                continue
        if not alive:
            return
        _signal_group(pgid, signal.SIGKILL)
        time.sleep(0.01)


def _signal_group(pgid: int, sig) -> None:
    try:
        os.killpg(pgid, sig)
    except OSError:  # the group has ended
        pass


def carrying(value: str) -> list[psutil.Process]:
    """Live processes whose environment has ``DOJO_SOAK=value`` (or a value that starts with it)."""
    found, mark = [], f"{TAG}={value}".encode()
    for p in psutil.process_iter():
        try:
            with open(f"/proc/{p.pid}/environ", "rb") as f:
                entries = f.read().split(b"\0")
            if any(e.startswith(mark) for e in entries) and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p)
        except (OSError, psutil.Error):  # it ended while we looked, or is not ours to read
            continue
    return found


def _kill(procs) -> None:
    for p in procs:
        try:
            p.kill()
        except psutil.Error:
            pass


# -- the loads -------------------------------------------------------------------------

CHURN = "import subprocess, sys\nwhile True:\n    subprocess.run([sys.executable, '-c', 'pass'])\n"


class Load:
    """The chosen kinds of load, started together and stopped together (the second session last)."""

    def __init__(self, kinds: list[str], katas: list, quick: bool, tag: str, cores: int, folder: str | None = None,
                 keyword: str | None = None):
        self.kinds, self.katas, self.tag, self.cores = kinds, katas, tag, cores
        self.select = selection(quick, keyword)  # the same tests as the subjects
        self.folder = folder  # where the second session writes its results (--results), if anywhere
        self.results: list[str] = []  # one file per kata file the second session ran, in order
        self.env = dict(os.environ, **{TAG: tag})
        self.env.pop("PYTEST_XDIST_WORKER", None)
        self.procs: list[subprocess.Popen] = []  # burners and churn loops
        self.session: subprocess.Popen | None = None
        self.session_exits: list[int] = []  # the second session's exit code for each kata file it ran
        self.cut_off = False  # the second session had to be stopped in the middle of a kata file
        self.left: list[str] = []  # processes of the load still alive once it was stopped
        self.stopping = False

    def describe(self) -> str:
        words = {"cpu": f"cpu ({BURNERS_PER_CORE * self.cores} burners)",
                 "churn": f"churn ({self.cores} loops)",
                 "session": "session (pytest --solutions -n 2, kata by kata)"}
        return " + ".join(words[k] for k in self.kinds) or "none"

    def start(self) -> None:
        if "cpu" in self.kinds:
            for _ in range(BURNERS_PER_CORE * self.cores):
                self.procs.append(_start([sys.executable, "-c", "while True: pass"], self.env))
        if "churn" in self.kinds:
            for _ in range(self.cores):
                self.procs.append(_start([sys.executable, "-c", CHURN], self.env))
        self.tick()

    def tick(self) -> None:
        """Keep the second session going: the next kata file as soon as one ends."""
        if "session" not in self.kinds or self.stopping or (self.session and self.session.poll() is None):
            return
        if self.session:
            self.session_exits.append(self.session.returncode)
            _stop(self.session)  # its group: a worker it left
        if sum(code not in (0, 1) for code in self.session_exits) >= 3:
            return  # it cannot even start (2: interrupted, 3: internal error, 4: usage): no restarting in a loop
        kata = self.katas[len(self.session_exits) % len(self.katas)]
        results, log = [], None
        if self.folder:
            self.results.append(os.path.join(self.folder, f"session-{len(self.session_exits) + 1}.json"))
            results, log = [f"--results={self.results[-1]}"], self.results[-1][:-5] + ".log"
        self.session = _start(_pytest("--solutions", "-n", "2", f"tests/test_{kata.file}", *results,
                                      *self.select), self.env, log)

    def stop(self, finish: float = SESSION_FINISH) -> None:
        """Stop it all. The session may end its current kata file (up to ``finish`` s): a session that is cut
        off leaves run folders and semaphores behind, which would count as the subjects' residue."""
        self.stopping = True
        try:
            for p in self.procs:
                _stop(p)
        finally:
            try:
                if self.session and self.session.returncode is None:
                    try:
                        self.session.wait(timeout=finish)
                    except subprocess.TimeoutExpired:
                        self.cut_off = True
                    _stop(self.session, interrupt=10.0)
                    self.session_exits.append(self.session.returncode)
            finally:
                # Anything of the load that left its group (the session's runs are in sessions of their own):
                # written down, as a session that ended on its own must leave nothing, then killed.
                left = carrying(self.tag)
                for p in left:
                    try:
                        self.left.append(f"{p.pid} (second session{', cut off' if self.cut_off else ''}) "
                                         + " ".join(p.cmdline()))
                    except psutil.Error:
                        pass
                _kill(left)

    def session_tests(self) -> list[tuple[str, Outcome]]:
        """(nodeid, outcome) of every test the second session ran to its end: it is a soak subject as well."""
        out = []
        for path, code in zip(self.results, self.session_exits):
            if code not in (0, 1):  # cut off, or broken: what it wrote is not a verdict
                continue
            try:
                job = Job("second session", ["second session"], [], {}, _read_results, path, log=path[:-5] + ".log")
                out += [(nodeid, o) for (_, nodeid), o in _read_results(job).items()]
            except (OSError, ValueError, KeyError):
                continue
        return out

    def session_note(self) -> str:
        """What the second session did: how many kata files, and whether a solution failed under this load."""
        if "session" not in self.kinds:
            return ""
        codes = ", ".join(f"{self.session_exits.count(c)}× exit {c}" for c in sorted(set(self.session_exits)))
        return (f"second session: {len(self.session_exits)} kata file(s) against the solutions ({codes or 'none'})"
                + ("; cut off in the middle of one at the end" if self.cut_off else ""))

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop(finish=0)
            raise
        return self

    def __exit__(self, kind, *_):
        self.stop(finish=0 if kind else SESSION_FINISH)  # interrupted: no waiting for the session


# -- running a round ---------------------------------------------------------------------


#: The harness's own test of Ctrl+C: the round of this name stays open after its last pytest, until interrupted,
#: so the interrupt always lands in the middle of a loaded round (however fast the machine runs it).
HOLD_OPEN = "DOJO_SOAK_HOLD_OPEN"


def run_jobs(jobs: list[Job], parallel: int, load: Load | None = None, tag: str | None = None,
             hold_open: bool = False) -> None:
    """Run the jobs, ``parallel`` at once, longest first; on any exception every running job is stopped,
    and so is every process that carries ``DOJO_SOAK=tag``."""
    pending = sorted(jobs, key=lambda j: -j.weight)
    running: dict[int, tuple[Job, subprocess.Popen, float]] = {}
    try:
        while pending or running or hold_open:
            while pending and len(running) < parallel:
                job = pending.pop(0)
                proc = _start(job.argv, job.env, job.log)
                running[proc.pid] = (job, proc, time.monotonic())
            time.sleep(POLL)
            if load:
                load.tick()
            for pid, (job, proc, began) in list(running.items()):
                now = time.monotonic()
                if proc.poll() is None and now - began < JOB_TIMEOUT:
                    continue
                if proc.returncode is None:
                    job.error = f"still running after {JOB_TIMEOUT:.0f} s: stopped"
                    _stop(proc, interrupt=10.0)
                _stop(proc)  # its group: anything it left running in it
                job.wall, job.returncode = now - began, proc.returncode
                del running[pid]
    finally:
        for job, proc, _ in running.values():
            _stop(proc, interrupt=5.0)
        if (pending or running) and tag:  # left early (Ctrl+C): a pytest Popen had started as the interrupt came
            _stop_tagged(tag, interrupt=5.0)  # is not in ``running``, but carries the tag


def _stop_tagged(value: str, interrupt: float) -> None:
    """Stop every process carrying ``DOJO_SOAK=value``: SIGINT to each group it leads, then SIGKILL to all."""
    leaders = []
    for p in carrying(value):
        try:
            if os.getsid(p.pid) == p.pid:
                os.killpg(p.pid, signal.SIGINT)
                leaders.append(p)
        except OSError:  # it has ended
            pass
    psutil.wait_procs(leaders, timeout=interrupt)
    _kill(carrying(value))


def collect(jobs: list[Job]) -> dict:
    """Every test's outcome; a job that wrote nothing gets its error and the end of its log."""
    tests = {}
    for job in jobs:
        try:
            tests.update(job.read(job))
        except (OSError, ValueError, KeyError) as exc:
            tail = ""
            try:
                tail = Path(job.log).read_text(errors="replace").strip().splitlines()[-3:]
            except OSError:
                pass
            job.error = job.error or f"no results ({exc.__class__.__name__}: {exc}); exit {job.returncode}; " + " | ".join(tail)
            continue
        # 1: tests failed, as most subjects must; 5: -k selected none of this subject's tests
        if job.returncode not in (0, 1, 5) and not job.error:
            job.error = f"pytest exited {job.returncode} (interrupted, broken, or a usage error): see its log"
    return tests


def residue(roots: tuple = (ROOT,)) -> dict[str, set]:
    """What runs may leave on the machine: named semaphores in /dev/shm, run folders in the temp folder.

    One small function on purpose: dojo/survivors.py is learning to find
    residue of ended sessions itself; once it does, this can go. A run
    folder counts when the program it ran lies under one of ``roots`` (its
    spec.json says), so that other sessions on the machine are not counted.
    A semaphore's name says nothing of its run (``sem.mp-`` and random
    letters), so every new one counts, except ``sem.mp-dojo-*``: runs of the
    coming residue checks name theirs so, and ``survivors()`` tells those
    of ended sessions itself; no run of this code makes one.
    """
    shm = {f"/dev/shm/{n}" for n in _listdir("/dev/shm") if n.startswith("sem.") and not n.startswith("sem.mp-dojo-")}
    tmp = tempfile.gettempdir()
    runs = set()
    for name in _listdir(tmp):
        if not name.startswith("dojo-run-"):
            continue
        try:
            with open(os.path.join(tmp, name, "spec.json"), encoding="utf-8") as f:
                target = json.load(f)["target_dir"]
        except (OSError, ValueError, KeyError):  # being made or removed right now: not left behind
            continue
        if any(os.path.commonpath([target, str(r)]) == str(r) for r in roots):
            runs.add(os.path.join(tmp, name))
    return {"/dev/shm sem.*": shm, "dojo-run-*": runs}


def _listdir(path) -> list:
    try:
        return os.listdir(path)
    except OSError:
        return []


def _survivors() -> list[str]:
    from dojo.survivors import survivors  # its residue checks are being added: always ask it, never copy it

    return survivors()


@dataclass
class Round:
    name: str
    load: str
    tag: str = ""  # DOJO_SOAK of its processes: "<tag>-subjects", "<tag>-load"
    wall: float = 0.0
    jobs: list = field(default_factory=list)
    tests: dict = field(default_factory=dict)
    differences: list = field(default_factory=list)
    survivors: list = field(default_factory=list)
    residue: dict = field(default_factory=dict)
    loadavg: tuple = ()
    session_tests: list = field(default_factory=list)  # (nodeid, Outcome) of the second session's tests
    notes: list = field(default_factory=list)

    @property
    def errors(self) -> list[Job]:
        return [j for j in self.jobs if j.error]


def soak_round(name: str, kinds: list[str], katas: list, args, work: Path, say=print,
               weights: dict | None = None) -> Round:
    """One round: every subject's pytest under ``kinds`` of load (none: the idle round).

    ``weights``: each pytest's wall time in an earlier round, to start the longest first.
    """
    tag = f"{uuid.uuid4().hex[:12]}-{name.replace(' ', '')}"
    env = dict(os.environ, **{TAG: f"{tag}-subjects"})
    env.pop("PYTEST_XDIST_WORKER", None)  # a soak started from a test: its pytests are sessions of their own
    jobs = plan(katas, args.quick, work, name.replace(" ", "-"), env, classes=args.jobs, subjects=args.subjects,
                keyword=args.keyword)
    for job in jobs:
        job.weight = (weights or {}).get(job.name, job.weight)
    cores = os.cpu_count() or 1
    rnd = Round(name, "+".join(kinds) or "none", tag, loadavg=os.getloadavg())
    roots = (ROOT, str(work))
    before_survivors, before = set(_survivors()), residue(roots)
    load = (Load(kinds, katas, args.quick, f"{tag}-load", cores, str(work / name.replace(" ", "-")), args.keyword)
            if kinds else None)
    say(f"round {name} ({TAG}={tag}-*): {len(jobs)} pytest processes, {args.jobs} at once; "
        f"load: {load.describe() if load else 'none'}; the machine's load average before it: {rnd.loadavg[0]:.2f} "
        f"on {cores} cores")
    if not load and rnd.loadavg[0] > cores / 2:
        say("  (this machine is busy with something else: the idle round is not idle, and fewer differences show)")
    began = time.monotonic()
    with load or contextlib.nullcontext():  # the load ends with the round's last pytest, not after the reading
        run_jobs(jobs, args.jobs, load, tag=f"{tag}-subjects", hold_open=os.environ.get(HOLD_OPEN) == name)
        rnd.wall = time.monotonic() - began
    rnd.jobs = jobs
    rnd.tests = collect(jobs)
    if load:
        rnd.session_tests = load.session_tests()
        rnd.notes = [n for n in (load.session_note(),) if n]
    ours = carrying(f"{tag}-subjects")  # every pytest of the round has ended: nothing of it may be alive
    rnd.survivors = [line for line in _survivors() if line not in before_survivors]
    seen = {int(m) for line in rnd.survivors for m in re.findall(r"(\d+) \(run ", line)}
    for p in ours:
        if p.pid not in seen:
            try:
                rnd.survivors.append(f"{p.pid} (soak {name}) {' '.join(p.cmdline())}")
            except psutil.Error:
                pass
    _kill(ours)  # found and written down: the next round must not inherit them
    rnd.survivors += load.left if load else []
    after = residue(roots)
    rnd.residue = {kind: sorted(after[kind] - before[kind]) for kind in after}
    written = written_outside(work, work / name.replace(" ", "-"))
    if written:
        rnd.residue["written where no run may write (writes_outside, or a planted conftest ran)"] = written
        for p in written:
            os.remove(p)
    return rnd


def written_outside(work: Path, round_dir: Path) -> list[str]:
    """Files the hostile class wrote where no run may: writes_outside aims at ``work/outside`` and at its
    grader's own folder, and a planted conftest.py that ran would write ``work/outside/PLANTED``."""
    outside = work / "outside"
    return sorted(([str(p) for p in outside.iterdir()] if outside.exists() else [])
                  + [str(p) for p in round_dir.glob("grades-*/PWNED")])


# -- output --------------------------------------------------------------------------------


def table_of(rounds: list[Round]) -> str:
    rows = [("round", "load", "subjects", "tests", "wall", "differences", "survivors", "residue", "broken pytests")]
    for r in rounds:
        rows.append((r.name, r.load, str(len({s for j in r.jobs for s in j.subjects})), str(len(r.tests)), f"{r.wall:.0f} s",
                     "—" if r.name == "idle" else str(len(r.differences)), str(len(r.survivors)),
                     str(sum(len(v) for v in r.residue.values())), str(len(r.errors))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
                     for row in rows)


def report(rounds: list[Round], say=print, interrupted: bool = False) -> bool:
    """Print the table, the differences, survivors, residue and broken pytests; True when all is clean."""
    say("")
    say(table_of(rounds))
    clean = True
    for r in rounds:
        for note in r.notes:
            say(f"\nRound {r.name}: {note}")
        if r.differences:
            clean = False
            say(f"\nDifferences in round {r.name} (class word on the idle machine, then under load):")
            for d in r.differences:
                say(f"  {d.line()}")
                if d.headline:
                    say(f"      {d.headline[:200]}")
        if r.survivors:
            clean = False
            say(f"\nSurvivors after round {r.name}:")
            for line in r.survivors:
                say(f"  {line}")
        if any(r.residue.values()):
            clean = False
            say(f"\nResidue after round {r.name} (new since the round began; /dev/shm is the whole machine's, "
                "so another session beside the soak counts there too):")
            for kind, entries in r.residue.items():
                if entries:
                    shown = ", ".join(os.path.basename(e) for e in entries[:5])
                    say(f"  {kind}: {len(entries)}  ({shown}{', …' if len(entries) > 5 else ''})")
        if r.errors:
            clean = False
            say(f"\nPytests that broke in round {r.name}:")
            for j in r.errors:
                say(f"  {j.name} ({j.log}): {j.error}")
    if interrupted:
        say("\nInterrupted: the rounds above are all that ended.")
    else:
        say("\n" + ("No test changed its class word under load; nothing survived, nothing was left."
                    if clean else "Not clean: see above."))
    return clean


def record(rounds: list[Round], args, path: str) -> None:
    data = {"argv": sys.argv, "cpus": os.cpu_count(), "katas": [k.number for k in args.katas],
            "subjects": list(args.subjects), "quick": args.quick, "k": args.keyword, "jobs": args.jobs,
            "rounds": [{"name": r.name, "load": r.load, "tag": r.tag, "wall": round(r.wall, 1), "loadavg_before": r.loadavg,
                        "tests": {f"{s} {n}": asdict(o) for (s, n), o in sorted(r.tests.items())},
                        "differences": [asdict(d) for d in r.differences], "survivors": r.survivors,
                        "residue": r.residue, "notes": r.notes,
                        "second_session_tests": [[n, asdict(o)] for n, o in r.session_tests],
                        "pytests": [{"name": j.name, "argv": j.argv[3:], "wall": round(j.wall, 1),
                                     "returncode": j.returncode, "error": j.error} for j in r.jobs]}
                       for r in rounds]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)


# -- the command --------------------------------------------------------------------------------


def parse(argv: list[str]):
    parser = argparse.ArgumentParser(prog="python -m dojo.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1, metavar="R", help="loaded rounds after the idle one (default 1)")
    parser.add_argument("--kata", action="append", metavar="N", help="only kata N (repeatable; default: every kata)")
    parser.add_argument("--load", default=",".join(LOADS), metavar="KINDS",
                        help=f"the kinds of load of every loaded round, together (default {','.join(LOADS)})")
    parser.add_argument("--subjects", default=",".join(SUBJECTS), metavar="KINDS",
                        help=f"what the kata tests run against (default {','.join(SUBJECTS)}; "
                             "hostile: the grading battery, katas 01 and 03)")
    parser.add_argument("--quick", action="store_true", help="the fork start method only (a third of the tests)")
    parser.add_argument("-k", dest="keyword", metavar="EXPR",
                        help="only the tests pytest's -k EXPR selects, e.g. -k test_every_bun_is_eaten_and_the_shop_closes")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="pytest processes at once, in every round (default: one per core)")
    parser.add_argument("--json", metavar="FILE", help="write every round's every test, and the rest, as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the soak's folder (logs, results, grades)")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.load.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in LOADS]
    if unknown or not kinds:
        parser.error(f"--load {args.load}: choose among {', '.join(LOADS)}, e.g. --load cpu,session")
    args.kinds = [k for k in LOADS if k in kinds]
    wanted = [k.strip() for k in args.subjects.split(",") if k.strip()]
    if not wanted or any(k not in SUBJECTS for k in wanted):
        parser.error(f"--subjects {args.subjects}: choose among {', '.join(SUBJECTS)}, e.g. --subjects hostile")
    args.subjects = tuple(wanted)
    katas = []
    for name in args.kata or [k.number for k in table.KATAS]:
        kata = table.find(name)
        if kata is None:
            parser.error(f"--kata {name}: no such kata. Known: {', '.join(k.name for k in table.KATAS)}")
        if kata.gate:
            print(f"kata {kata.number} is left out: it {kata.gate}")
        elif kata not in katas:
            katas.append(kata)
    if args.rounds < 0 or args.jobs < 1:
        parser.error("--rounds must be 0 or more, and --jobs 1 or more")
    args.katas = katas
    return args


def _summary(r: Round) -> str:
    """One line as a round ends: the table comes at the end."""
    left = sum(len(v) for v in r.residue.values())
    diff = "" if r.name == "idle" else f"{len(r.differences)} differences, "
    return (f"  {r.name}: {len(r.tests)} tests in {r.wall:.0f} s; {diff}{len(r.survivors)} survivors, "
            f"{left} residue, {len(r.errors)} broken pytests")


def _last_net() -> None:
    """Every process the soak started is a child in a group of its own, stopped by now; one still alive (a Popen
    that an interrupt cut short before the soak could write it down, still without its tag) goes with its group."""
    children = psutil.Process().children()
    for child in children:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            pass
    psutil.wait_procs(children, timeout=5)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    args = parse(argv)
    # Stopped from outside (CI's timeout, kill): unwind like Ctrl+C, so every load and job is stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    work = Path(tempfile.mkdtemp(prefix="dojo-soak-"))
    rounds: list[Round] = []
    interrupted = False
    try:
        rounds.append(soak_round("idle", [], args.katas, args, work))
        print(_summary(rounds[-1]))
        for i in range(1, args.rounds + 1):
            rnd = soak_round(f"loaded {i}", args.kinds, args.katas, args, work,
                             weights={j.name: j.wall for j in rounds[0].jobs})
            rnd.differences = (differences(rounds[0].tests, rnd.tests)
                               + session_differences(rounds[0].tests, rnd.session_tests))
            rounds.append(rnd)
            print(_summary(rnd))
    except KeyboardInterrupt:
        interrupted = True
        print("\nInterrupted: every load and pytest of the soak was stopped.")
    finally:
        _last_net()
        if args.json and rounds:
            record(rounds, args, args.json)
        if args.keep:
            print(f"The soak's folder (logs, results, grades): {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    clean = report(rounds, interrupted=interrupted) if rounds else False
    return 130 if interrupted else 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
