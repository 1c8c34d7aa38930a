"""The soak (dojo/soak.py) as an instrument: it sees a changed class word, and its load goes away.

The soak itself is far too long for a test; this checks its parts: the
comparison on made-up results, every kind of load started and fully stopped
(Ctrl+C included), and one tiny real round (kata 04's solution, fork only).
"""
import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest



from dojo import soak, verify
from dojo.katas import BY_NUMBER
from dojo.run import ROOT

PASS, HANG, CRASH = soak.Outcome("PASS"), soak.Outcome("HANG", "HANG: …"), soak.Outcome("CRASH", "CRASH: memory")


def test_the_same_class_words_are_no_difference():
    idle = {("solution", "t[fork]"): PASS, ("hostile/memory_hog", "01 · t [spawn]"): CRASH}
    assert soak.differences(idle, dict(idle)) == []


def test_a_changed_class_word_is_a_difference_with_the_loaded_headline():
    idle = {("solution", "t[fork]"): PASS, ("hostile/memory_hog", "01 · t [spawn]"): CRASH}
    loaded = {("solution", "t[fork]"): PASS, ("hostile/memory_hog", "01 · t [spawn]"): HANG}
    [d] = soak.differences(idle, loaded)
    assert d.line() == "hostile/memory_hog 01 · t [spawn]: idle=CRASH loaded=HANG"
    assert d.headline == "HANG: …"


def test_a_test_only_one_round_has_is_a_difference():
    """A pytest that broke under load has no results: that must not read as "nothing changed"."""
    idle = {("stub", "a[fork]"): HANG, ("stub", "b[fork]"): HANG}
    loaded = {("stub", "a[fork]"): HANG, ("stub", "c[fork]"): PASS}
    assert [d.line() for d in soak.differences(idle, loaded)] == [
        f"stub b[fork]: idle=HANG loaded={soak.NOT_RUN}", f"stub c[fork]: idle={soak.NOT_RUN} loaded=PASS"]


def test_the_second_sessions_own_tests_are_compared_with_the_idle_solution():
    idle = {("solution", "t[fork]"): PASS, ("solution", "u[fork]"): PASS}
    [d] = soak.session_differences(idle, [("t[fork]", PASS), ("u[fork]", HANG), ("v[fork]", PASS)])
    assert d.line() == f"{soak.SECOND_SESSION} u[fork]: idle=PASS loaded=HANG"


def test_a_file_written_outside_the_runs_is_found(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "loaded-1" / "grades-2").mkdir(parents=True)
    assert soak.written_outside(tmp_path, tmp_path / "loaded-1") == []
    (tmp_path / "outside" / "PLANTED").write_text("a planted conftest.py ran")
    (tmp_path / "loaded-1" / "grades-2" / "PWNED").write_text("written by writes_outside")
    assert soak.written_outside(tmp_path, tmp_path / "loaded-1") == [
        str(tmp_path / "loaded-1" / "grades-2" / "PWNED"), str(tmp_path / "outside" / "PLANTED")]


def _until(condition, seconds=30.0):
    """Wait for ``condition`` to hold (polling), failing after ``seconds``: a bound, not a guess."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


def _tag():
    return f"test-{os.getpid()}-{time.monotonic_ns()}"


def test_burners_and_churn_start_and_are_stopped_to_the_last_process():
    tag = _tag()
    load = soak.Load(["cpu", "churn"], [], quick=True, tag=tag, cores=1)
    with load:
        # 3 burners and one churn loop, and the churn loop's current interpreter now and then
        assert len(load.procs) == soak.BURNERS_PER_CORE + 1
        _until(lambda: len(soak.carrying(tag)) >= len(load.procs))
        assert all(p.poll() is None for p in load.procs)
    assert all(p.returncode is not None for p in load.procs)
    assert _described(soak.carrying(tag)) == []


def test_the_load_is_stopped_on_ctrl_c():
    tag = _tag()
    load = soak.Load(["cpu", "churn"], [], quick=True, tag=tag, cores=1)
    with pytest.raises(KeyboardInterrupt):
        with load:
            _until(lambda: len(soak.carrying(tag)) >= len(load.procs))
            raise KeyboardInterrupt
    assert _described(soak.carrying(tag)) == []


def test_the_second_session_and_its_runs_are_stopped():
    """The second session's runs live in sessions of their own: stopping its group alone would not reach them."""
    tag = _tag()
    load = soak.Load(["session"], [BY_NUMBER["04"]], quick=True, tag=tag, cores=1)
    with load:
        # a run of the second session has begun: its test process started its launcher (dojo/launcher.py)
        _until(lambda: any("dojo.launcher" in line for _, _, line in _described(soak.carrying(tag))), 60)
    assert load.session.returncode is not None
    assert _described(soak.carrying(tag)) == []


def _soak_env(tmp_path) -> dict:
    # The soak's folder and its runs' folders (made in the temporary folder) land in tmp_path:
    # whatever a run cut short leaves there goes with it.
    env = dict(os.environ, TMPDIR=str(tmp_path))
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def test_one_tiny_real_round(tmp_path):
    """The whole path on three tests: plan, run, load, compare, survivors, residue, table, JSON."""
    record = tmp_path / "soak.json"
    done = subprocess.run([sys.executable, "-m", "dojo.soak", "--kata", "4", "--quick", "--subjects", "solution",
                           "--rounds", "1", "--load", "cpu", "--json", str(record)],
                          cwd=ROOT, env=_soak_env(tmp_path), capture_output=True, text=True, timeout=300)
    # 1 is a finding of the soak (on a shared machine, residue of another session counts too), not a failure
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads(record.read_text())
    idle, loaded = data["rounds"]
    assert (idle["name"], loaded["name"], loaded["load"]) == ("idle", "loaded 1", "cpu")
    forks = len(verify.rejects_of(os.path.join(ROOT, "tests", "test_04_hangs_on_get.py")))  # one fork test each
    assert sorted(idle["tests"]) == sorted(loaded["tests"]) and len(idle["tests"]) == forks
    assert {t["status"] for t in idle["tests"].values()} == {"PASS"}
    assert all(j["returncode"] == 0 and not j["error"] for r in data["rounds"] for j in r["pytests"])
    assert "differences" in done.stdout and "loaded 1" in done.stdout
    for r in data["rounds"]:
        assert _described(soak.carrying(r["tag"])) == [], f"a process of round {r['name']} outlived the soak"


def test_ctrl_c_in_a_loaded_round_stops_everything(tmp_path):
    soaking = subprocess.Popen([sys.executable, "-m", "dojo.soak", "--kata", "4", "--quick", "--subjects", "solution",
                                "--rounds", "1", "--load", "cpu,churn"],
                               cwd=ROOT, env=dict(_soak_env(tmp_path), **{soak.HOLD_OPEN: "loaded 1"}),
                               stdout=subprocess.PIPE, text=True)
    tag = None
    try:  # the loaded round stays open until the interrupt: it cannot end before the Ctrl+C comes
        for line in soaking.stdout:  # each line as the soak prints it
            if line.startswith("round loaded 1"):
                break
        tag = line.split(f"{soak.TAG}=", 1)[1].split("-*", 1)[0]
        _until(lambda: len(soak.carrying(tag)) >= 3 * (os.cpu_count() or 1))  # the burners are up
        soaking.send_signal(signal.SIGINT)
        rest = soaking.stdout.read()
        assert soaking.wait(timeout=60) == 130, rest
    finally:
        soaking.kill()
        soaking.wait()
        left = _described(soak.carrying(tag)) if tag else []
        if tag:  # whatever happened above (a time-out of this test too), the load it started goes with it
            soak._stop_tagged(tag, interrupt=0)
    assert "Interrupted" in rest
    assert left == []


def _described(procs) -> list:
    out = []
    for p in procs:
        try:
            out.append((p.pid, p.ppid(), " ".join(p.cmdline())))
        except psutil.Error:  # it ended meanwhile: not left
            pass
    return out
