"""``python -m dojo.bench``: what the dojo costs over the plain program, and how fast it answers. Not a test.

Sections (each can be left out with ``--skip``):

- ``katas``: for each kata, ``pytest --solutions --kata N`` (the harness side)
  and the very programs those tests ran, as plain Python (the floor), side by
  side: wall and CPU of each, and their ratio (goal: at most 1.5×);
- ``loop``: one solved kata's loop, ``pytest --solutions --kata 1 -k fork``
  (goal: under 1 s, wall);
- ``learner``: the learner's loop, plain ``pytest`` in a copy of the
  repository, at kata 01 (nothing solved yet) and at kata 06 (01–05 solved);
- ``hang``: how fast a hang is diagnosed, per start method (kata 01's classic
  hang); ``--loaded`` measures it again beside one busy process per core;

and, only with ``--class30`` (it takes minutes), the wall time to grade a
class of 30 (see :func:`build_class`) with ``-n auto`` (goal: 3 min on 2 cores).

How the floor is found: the harness side runs with ``DOJO_KEEP_RUNS=1`` and a
private ``TMPDIR``, so every run folder it made is kept there, each with its
``spec.json`` (the kata file, start method and shop of one program). Each spec
is then run by a small script of our own: import the kata module, set the
start method, call ``open_shop(Shop(**shop))``; no warden, no instrumentation.
The two sides alternate kata by kata (harness 01, floor 01, harness 02, …) so
that both meet the same machine.

CPU is that of the whole process tree: ``getrusage(RUSAGE_CHILDREN)`` around
each command, with this process a child subreaper (Linux) that reaps what the
command left behind, so that helpers nobody waits for (multiprocessing's
resource tracker, the forkserver) are counted too.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field

from dojo import katas as table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RATIO_GOAL = 1.5  # a kata's solved tests at most 1.5× the plain programs they run
LOOP_GOAL = 1.0  # seconds: one solved kata's loop
CLASS_GOAL = 180.0  # seconds: a class of 30 on 2 cores
#: Shop fields that set the tests' pace. Outside a run they are to do nothing (held steps of a run),
#: so the floor is the program at full speed. They are cleared here rather than left to the Shop:
#: a Shop that still sleeps would slow the floor, and cook_after reads a run's event log, which a
#: plain run does not have.
PACES = ("cook_pace", "eat_pace", "cook_after", "steam_pace")
SECTIONS = ("katas", "loop", "learner", "hang")
PR_SET_CHILD_SUBREAPER = 36

#: The floor: one recorded program as plain Python. Written to a file rather than run with -c, so
#: that spawn and forkserver children can re-import the main script as their __mp_main__, exactly as
#: they do a learner's script; the guard keeps them from running it again.
FLOOR_RUNNER = '''\
"""One kata program as plain Python, for dojo.bench: no warden, no instrumentation."""
import importlib
import json
import multiprocessing
import sys

if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    sys.path[:0] = [spec["target_dir"], spec["root"]]  # the kata module, then dojo (for the Shop)
    from dojo.shop import Shop

    multiprocessing.set_start_method(spec["start_method"], force=True)
    close = spec["shop"].get("close")
    if close:  # closing time (kata 10): a test sends it at a held step; plain Python has none, so it comes
        import os  # as soon as main waits for it (the floor then does a little less work than the test)
        import signal
        from multiprocessing import synchronize

        main, wait = os.getpid(), synchronize.Event.wait

        def wait_for_closing(self, timeout=None):
            if timeout is None and os.getpid() == main:
                os.kill(main, getattr(signal, close.get("signal", "SIGTERM")))
            return wait(self, timeout)

        synchronize.Event.wait = wait_for_closing
    if spec["entry"] == "__main__":  # a kata file that runs as a script (kata 15), with the test's shop
        import os
        import runpy

        os.environ["DOJO_SHOP"] = json.dumps(spec["shop"])
        runpy.run_path(os.path.join(spec["target_dir"], spec["module"] + ".py"), run_name="__main__")
    else:
        module = importlib.import_module(spec["module"])
        getattr(module, spec["entry"])(Shop(**spec["shop"]))
'''


# -- measuring one command ------------------------------------------------------


@dataclass
class Timing:
    wall: float
    cpu: float


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


_subreaper = False


def become_subreaper() -> bool:
    """Adopt whatever the measured commands orphan, so that its CPU time reaches RUSAGE_CHILDREN."""
    global _subreaper
    try:
        _subreaper = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux: orphans go uncounted, the figures say so
        _subreaper = False
    return _subreaper


def _reap(keep: set[int], timeout: float = 10.0) -> list[int]:
    """Wait for the orphans we adopted (they end on their own once their parent is gone).

    Returns the pids still alive after ``timeout``; those are killed, since only
    a command of ours can have left them. ``keep``: our own children that stay
    (the load of ``--loaded``).
    """
    if not _subreaper:
        return []
    import psutil

    deadline = time.monotonic() + timeout
    alive = []
    while time.monotonic() < deadline:  # again and again: an orphan that ends hands its own children down to us
        adopted = [p for p in psutil.Process().children() if p.pid not in keep]
        if not adopted:
            break
        # waitpid on our children: once reaped, their rusage is counted in ours
        _, alive = psutil.wait_procs(adopted, timeout=max(0.0, deadline - time.monotonic()))
    for p in alive:
        try:
            p.kill()
            p.wait(5)
        except psutil.Error:
            pass
    return [p.pid for p in alive]


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_keep: set[int] = set()  # pids of the load processes, which outlive every measured command


def timed(cmd: list[str], *, cwd: str, env: dict, timeout: float = 900) -> tuple[subprocess.CompletedProcess, Timing]:
    """Run ``cmd``; its wall time (until it exits) and the CPU time of its whole process tree."""
    cpu = _cpu_of_children()
    begin = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)
    wall = time.monotonic() - begin
    left = _reap(_keep)
    if left:
        print(f"note: {' '.join(cmd[1:])[:80]}… left processes running: {left} (killed)", file=sys.stderr)
    return done, Timing(wall, _cpu_of_children() - cpu)


def clean_env(**extra: str) -> dict:
    """Our environment without anything that would make a command part of a run or of an outer pytest."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJO_")}
    for name in ("PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"):
        env.pop(name, None)
    boot = os.path.join(ROOT, "dojo", "boot")
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.abspath(p) != boot]
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    else:
        env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def pytest_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]


def counts(out: str) -> dict[str, int]:
    """pytest's last summary line as numbers: {"passed": 9, "deselected": 183}."""
    lines = [line for line in out.splitlines() if re.search(r"\d+ (passed|failed|error|skipped)", line)]
    return {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", lines[-1])} if lines else {}


# -- the harness side and the floor ------------------------------------------------


def find_specs(folder: str) -> list[dict]:
    """Every spec.json under ``folder``, wherever it lies (run folders may be nested), in the order they were made."""
    found = []
    for root, _, files in os.walk(folder):
        if "spec.json" in files:
            path = os.path.join(root, "spec.json")
            with open(path, encoding="utf-8") as f:
                found.append((os.stat(path).st_mtime_ns, path, json.load(f)))
    return [spec for _, _, spec in sorted(found, key=lambda t: t[:2])]


@dataclass
class HarnessRun:
    timing: Timing
    tests: dict[str, int]
    specs: list[dict]
    returncode: int
    output: str


def harness_run(kata: table.Kata, *extra: str) -> HarnessRun:
    """``pytest --solutions --kata N``, timed; with the spec of every program its tests ran."""
    private = tempfile.mkdtemp(prefix="dojo-bench-tmp-")
    try:
        done, timing = timed(pytest_cmd("--solutions", "--kata", kata.number, "-q", *extra), cwd=ROOT,
                             env=clean_env(TMPDIR=private, DOJO_KEEP_RUNS="1"))
        specs = find_specs(private)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return HarnessRun(timing, counts(done.stdout), specs, done.returncode, done.stdout + done.stderr)


class FloorFailed(RuntimeError):
    """A recorded program failed as plain Python: the floor would be no floor."""


def write_runner(folder: str) -> str:
    path = os.path.join(folder, "floor_runner.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(FLOOR_RUNNER)
    return path


def full_speed(shop: dict) -> dict:
    return {**shop, **{name: {} for name in PACES if name in shop}}


def floor_run(spec: dict, runner: str, timeout: float = 60) -> Timing:
    """One recorded program as plain Python, at full speed, in a fresh interpreter; its wall and CPU time."""
    payload = {"root": ROOT, "target_dir": spec["target_dir"], "module": spec["module"], "entry": spec["entry"],
               "start_method": spec["start_method"], "shop": full_speed(spec["shop"])}
    # Like a run's processes: no __pycache__ left in the solutions folder.
    done, timing = timed([sys.executable, runner, json.dumps(payload)], cwd=os.path.dirname(runner),
                         env=clean_env(PYTHONDONTWRITEBYTECODE="1"), timeout=timeout)
    if done.returncode != 0:
        raise FloorFailed(f"{spec['module']} ({spec['start_method']}) exited {done.returncode} as plain Python:\n"
                          + (done.stdout + done.stderr)[-3000:])
    return timing


@dataclass
class KataRow:
    number: str
    name: str
    tests: int = 0
    runs: int = 0
    harness: list[Timing] = field(default_factory=list)
    floor: list[Timing] = field(default_factory=list)  # per round: the sum of its programs, run one after another
    load: list[float] = field(default_factory=list)  # the 1-minute load average after each round
    problem: str = ""  # why this row has no figures, or what went wrong on the harness side

    def ratio(self) -> Timing | None:
        """The median of each round's ratio: a round's two sides met the same load, medians of each side may not."""
        pairs = list(zip(self.harness, self.floor))
        if not pairs:
            return None
        return Timing(statistics.median(h.wall / f.wall if f.wall else float("inf") for h, f in pairs),
                      statistics.median(h.cpu / f.cpu if f.cpu else float("inf") for h, f in pairs))


def measure_katas(chosen: list[table.Kata], repeat: int, runner: str) -> list[KataRow]:
    rows = {k.number: KataRow(k.number, k.name) for k in chosen}
    for k in chosen:
        if k.gate:
            rows[k.number].problem = f"skipped: {k.gate}"
    for round_ in range(repeat):
        for k in chosen:
            row = rows[k.number]
            if row.problem:
                continue
            run = harness_run(k)
            if run.returncode != 0 or not run.specs:
                row.problem = f"harness side failed (exit {run.returncode}, {len(run.specs)} programs)"
                print(run.output[-3000:], file=sys.stderr)
                continue
            row.harness.append(run.timing)
            row.tests = sum(run.tests.get(w, 0) for w in ("passed", "failed", "error", "errors"))
            row.runs = len(run.specs)
            try:
                floor = [floor_run(spec, runner) for spec in run.specs]  # serially, right after the harness side
            except (FloorFailed, subprocess.TimeoutExpired) as exc:
                row.problem = f"the floor failed: {str(exc).splitlines()[0]}"
                print(exc, file=sys.stderr)
                continue
            row.floor.append(Timing(sum(t.wall for t in floor), sum(t.cpu for t in floor)))
            row.load.append(os.getloadavg()[0])
            f = row.floor[-1]
            print(f"  [{round_ + 1}/{repeat}] kata {k.number}: harness {run.timing.wall:.2f} s wall "
                  f"{run.timing.cpu:.2f} s CPU; floor ({row.runs} programs) {f.wall:.2f} s wall {f.cpu:.2f} s CPU",
                  file=sys.stderr)
    return list(rows.values())


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def format_table(rows: list[KataRow], goal: float = RATIO_GOAL) -> str:
    """kata | tests | harness wall / CPU | floor wall / CPU | ratio wall / CPU | goal (medians, seconds)."""
    head = (f"{'kata':<26} {'tests':>5}  {'harness wall / CPU':>18}  {'floor wall / CPU':>16}  "
            f"{'ratio wall / CPU':>16}  goal {goal:g}×")
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = r.ratio()
        if ratio is None:
            lines.append(f"{r.name:<26} {r.tests or '':>5}  {r.problem}")
            continue
        h, f = median(r.harness), median(r.floor)
        lines.append(f"{r.name:<26} {r.tests:>5}  {h.wall:>8.2f} / {h.cpu:>5.2f} s  {f.wall:>6.2f} / {f.cpu:>5.2f} s  "
                     f"{ratio.wall:>6.1f}× / {ratio.cpu:>5.1f}×  {_mark(ratio.wall <= goal)} / {_mark(ratio.cpu <= goal)}"
                     + (f"  ({r.problem})" if r.problem else ""))
    return "\n".join(lines)


# -- the loops -------------------------------------------------------------------


def solved_loop(repeat: int) -> list[Timing]:
    """``pytest --solutions --kata 1 -k fork``: the loop of one kata that passes."""
    timings = []
    for _ in range(repeat):
        done, timing = timed(pytest_cmd("--solutions", "--kata", "1", "-k", "fork", "-q"), cwd=ROOT, env=clean_env())
        if done.returncode != 0:
            raise RuntimeError("the solved loop failed:\n" + done.stdout[-3000:])
        timings.append(timing)
    return timings


def _learner_tools():
    """tests/harness/learner_tools.py: the one definition of what a learner's copy holds."""
    spec = importlib.util.spec_from_file_location("dojo_bench_learner_tools",
                                                  os.path.join(ROOT, "tests", "harness", "learner_tools.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def learner_copy_at(folder: str, current: table.Kata) -> str:
    """A learner's copy of the repository in which every kata before ``current`` is solved."""
    from pathlib import Path

    copy = _learner_tools().make_learner_copy(Path(folder))
    for k in table.KATAS:
        if k.number < current.number:
            shutil.copyfile(os.path.join(ROOT, "solutions", k.file), copy / "katas" / k.file)
    return str(copy)


def learner_loop(current: table.Kata, repeat: int) -> list[Timing]:
    """Plain ``pytest`` where the learner is at ``current``: the katas before it pass, it fails as its stub does.

    One run first, unmeasured: the loop is the learner's second run and every
    one after (the first also compiles the copy's modules).
    """
    timings = []
    with tempfile.TemporaryDirectory(prefix="dojo-bench-learner-") as folder:
        copy = learner_copy_at(os.path.join(folder, "dojo"), current)
        for i in range(repeat + 1):
            done, timing = timed([sys.executable, "-m", "pytest"], cwd=copy, env=clean_env())  # as typed
            if done.returncode != 1 or f"katas/{current.file}" not in done.stdout:
                raise RuntimeError(f"the learner's run at kata {current.number} did not stop there:\n"
                                   + done.stdout[-3000:])
            if i:
                timings.append(timing)
    return timings


# -- how fast a hang is diagnosed -------------------------------------------------------


def hang_latency(method: str, runs: int) -> list[tuple[float, float, float]]:
    """(quiet→stop, quiet→report, whole run) of kata 01's classic hang, ``runs`` times, in this process."""
    from dojo.judge import judge
    from dojo.report import render
    from dojo.run import run_program
    from dojo.shop import Shop

    kata = table.BY_NUMBER["01"]
    out = []
    for _ in range(runs):
        begin = time.monotonic()
        run = run_program(target_dir=os.path.join(ROOT, "tests", "wrong", "01_sentinel"), kata_file="no_sentinel.py",
                          entry="open_shop", contract=kata.contract, start_method=method, shop=Shop(buns_per_cook=3))
        verdict = judge(run)
        render(verdict, title="bench", hints=kata.hints, next_step="")
        done = time.monotonic()
        assert verdict.status.value == "HANG", verdict.first.headline
        quiet = run.result["last_progress"]
        out.append((run.result["stopped"] - quiet, done - quiet, done - begin))
    return out


class Load:
    """One busy process per core, for the loaded hang figures; ended by pid when done."""

    def __enter__(self):
        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)]
        _keep.update(p.pid for p in self.procs)
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
            p.wait()
            _keep.discard(p.pid)


def hang_section(runs: int, loaded: bool) -> dict:
    results = {}
    for label in ("idle", "loaded") if loaded else ("idle",):
        # "idle": no load of ours; on a shared machine, the load average says what else ran.
        added = f"{os.cpu_count()} busy processes added" if label == "loaded" else "no load added"
        print(f"\nTime to a HANG report ({label}: {added}, load {os.getloadavg()[0]:.1f} at start; "
              f"median / max of {runs}, s):")
        print(f"{'method':<11} {'quiet→stop':>14} {'quiet→report':>14} {'whole run':>14}")
        results[label] = {}
        with Load() if label == "loaded" else contextlib.nullcontext():
            for method in table.BY_NUMBER["01"].methods:
                rows = hang_latency(method, runs)
                results[label][method] = [list(c) for c in zip(*rows)]
                cells = [f"{statistics.median(c):.2f} / {max(c):.2f}" for c in zip(*rows)]
                print(f"{method:<11} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14}")
    return results


# -- a class of 30 -------------------------------------------------------------------


#: (kind, how many) of the class of 30, in the order students are named
CLASS = (("full", 8), ("stubs", 6), ("half", 8), ("wrong", 6), ("only_01_02", 2))


def wrong_variants() -> dict[str, list[str]]:
    """tests/wrong's classic wrong answers, by kata number: {"01": [path, …]}."""
    found = {}
    for k in table.KATAS:
        folder = os.path.join(ROOT, "tests", "wrong", k.name)
        found[k.number] = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py")) \
            if os.path.isdir(folder) else []
    return found


def build_class(folder: str, root: str = ROOT) -> dict[str, str]:
    """A class of 30 submissions in ``folder`` (one folder per student), as ``--grade-class`` reads it.

    8 hand in the full solutions, 6 the untouched stubs, 8 are half done (01–03
    solved, the rest stubs), 2 handed in only 01–02 (solved), and 6 have a
    classic wrong answer in every kata: student i takes variant i (round
    robin) of each kata's tests/wrong, so that every variant is in the class.
    Returns {student: kind}.
    """
    variants = wrong_variants()
    kinds = {}
    for kind, n in CLASS:
        for i in range(n):
            name = f"{kind}_{i + 1:02d}"
            os.makedirs(os.path.join(folder, name))
            for k in table.KATAS:
                if kind == "full" or (kind == "half" and k.number <= "03") or (kind == "only_01_02" and k.number <= "02"):
                    source = os.path.join(root, "solutions", k.file)
                elif kind == "stubs" or kind == "half":
                    source = os.path.join(root, "katas", k.file)
                elif kind == "wrong" and variants[k.number]:
                    source = variants[k.number][i % len(variants[k.number])]
                elif kind == "wrong":  # a kata without wrong variants: its stub is wrong enough
                    source = os.path.join(root, "katas", k.file)
                else:
                    continue  # not handed in
                shutil.copyfile(source, os.path.join(folder, name, k.file))
            kinds[name] = kind
    return kinds


def class30(workers: str = "auto", *select: str) -> dict:
    """Grade the class of 30 with ``-n workers``; ``select``: pytest's own selection (a quick look: --kata 1)."""
    with tempfile.TemporaryDirectory(prefix="dojo-bench-class-") as folder:
        kinds = build_class(os.path.join(folder, "class"))
        out = os.path.join(folder, "out")
        done, timing = timed(pytest_cmd(f"--grade-class={os.path.join(folder, 'class')}", f"--grade-out={out}",
                                        "-n", workers, "-q", *select), cwd=ROOT, env=clean_env(), timeout=3600)
        try:
            with open(os.path.join(out, "grades.csv"), encoding="utf-8") as f:
                graded = len(f.read().strip().splitlines()) - 1  # less the header
        except OSError:
            graded = 0
    if done.returncode != 0 or graded != len(kinds):
        raise RuntimeError(f"grading the class failed (exit {done.returncode}, {graded} of {len(kinds)} graded):\n"
                           + (done.stdout + done.stderr)[-3000:])
    return {"students": len(kinds), "tests": counts(done.stdout), "wall": timing.wall, "cpu": timing.cpu}


# -- the command ------------------------------------------------------------------------


def _sections(args, skip: set[str], chosen: list[table.Kata], repeat: int, figures: dict) -> None:
    if "katas" not in skip:
        with tempfile.TemporaryDirectory(prefix="dojo-bench-floor-") as folder:
            rows = measure_katas(chosen, repeat, write_runner(folder))
        print("\nEach kata's solved tests (pytest --solutions --kata N) against the same programs as plain Python, "
              "one after another (the floor, paces off); medians, s; ratio: the median of the rounds' ratios:")
        print(format_table(rows))
        busy = max((x for r in rows for x in r.load), default=0)
        if busy > (os.cpu_count() or 1):
            print(f"note: the machine was busy (load up to {busy:.1f} on {os.cpu_count()} cores): wall times wait "
                  "for a core; the CPU ratio holds better.")
        figures["katas"] = [{**asdict(r), "ratio": asdict(r.ratio()) if r.ratio() else None} for r in rows]
    if "loop" not in skip:
        loop = median(timings := solved_loop(repeat))
        print(f"\nOne solved kata's loop (pytest --solutions --kata 1 -k fork): {loop.wall:.2f} s wall "
              f"(goal < {LOOP_GOAL:g} s) {_mark(loop.wall < LOOP_GOAL)}, {loop.cpu:.2f} s CPU")
        figures["loop"] = [asdict(t) for t in timings]
    if "learner" not in skip:
        figures["learner"] = {}
        print("\nThe learner's loop (pytest in a learner's copy, the katas before the current one solved):")
        for number in ("01", "06"):
            timings = learner_loop(table.BY_NUMBER[number], repeat)
            figures["learner"][number] = [asdict(t) for t in timings]
            print(f"  at kata {number}: {median(timings).wall:.2f} s wall, {median(timings).cpu:.2f} s CPU")
    if "hang" not in skip:
        figures["hang"] = hang_section(args.hang_runs, args.loaded)
    if args.class30:
        print("\nGrading a class of 30 (pytest --grade-class … -n auto) …", flush=True)
        result = class30()
        figures["class30"] = result
        print(f"A class of 30: {result['wall']:.0f} s wall, {result['cpu']:.0f} s CPU "
              f"(goal ≤ {CLASS_GOAL:.0f} s on 2 cores) {_mark(result['wall'] <= CLASS_GOAL)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dojo.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kata", action="append", metavar="N", help="only kata N in the table (repeatable)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="measure K times, show the median")
    parser.add_argument("--skip", default="", metavar="LIST", help=f"sections to leave out: {','.join(SECTIONS)}")
    parser.add_argument("--hang-runs", type=int, default=5, metavar="K", help="runs per start method (default 5)")
    parser.add_argument("--loaded", action="store_true", help="also time the HANG report beside one busy process per core")
    parser.add_argument("--class30", action="store_true", help="also grade a class of 30 with -n auto (minutes)")
    parser.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(SECTIONS):
        parser.error(f"--skip: unknown section(s) {', '.join(sorted(skip - set(SECTIONS)))}; known: {', '.join(SECTIONS)}")
    chosen = []
    for name in args.kata or [k.number for k in table.KATAS]:
        kata = table.find(name)
        if kata is None:
            parser.error(f"--kata {name}: no such kata")
        chosen.append(kata)
    repeat = max(1, args.repeat)

    counted = become_subreaper()
    load = os.getloadavg()
    print(f"dojo bench · {platform.python_implementation()} {platform.python_version()} · {os.cpu_count()} cores · "
          f"load {load[0]:.2f} at start · median of {repeat} · CPU of the whole process tree"
          + ("" if counted else " (orphans not counted: no subreaper here)"))
    figures: dict = {"python": platform.python_version(), "cores": os.cpu_count(), "load_at_start": load[0],
                     "repeat": repeat, "orphans_counted": counted}
    # An unmeasured run first: the first pytest of a session also compiles and warms the file cache.
    timed(pytest_cmd("--solutions", "--kata", "1", "-k", "fork", "-q"), cwd=ROOT, env=clean_env())

    try:
        _sections(args, skip, chosen, repeat, figures)
    finally:  # a section that fails (or Ctrl-C) still leaves the figures measured so far
        figures["load_at_end"] = os.getloadavg()[0]
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
