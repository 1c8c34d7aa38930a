"""``python -m dojo.bench``: how fast a hang is diagnosed. A benchmark, not a test.

For each start method it runs kata 01's classic hang (no sentinel) several
times and prints, in seconds:
- quiet→stop: from the last progress of the run to the warden's stop (the
  stall window plus the stack dump);
- quiet→report: from the last progress to the finished report text;
- whole run: from starting the warden to the finished report.
Then the wall time of a learner's first ``pytest`` (kata 01's HANG report).
Run it beside a load (e.g. two ``yes > /dev/null``) to see the loaded figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from dojo.judge import judge
from dojo.katas import BY_NUMBER
from dojo.report import render
from dojo.run import ROOT, run_program
from dojo.shop import Shop


def hang_latency(method: str, runs: int) -> list[tuple[float, float, float]]:
    kata = BY_NUMBER["01"]
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


def first_pytest() -> float:
    begin = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"], cwd=ROOT,
                          capture_output=True, text=True)
    assert "HANG: diner-1 is blocked in counter.get()" in done.stdout, done.stdout[-2000:]
    return time.monotonic() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'method':<11} {'quiet→stop':>22} {'quiet→report':>22} {'whole run':>22}   (median / max, s)")
    for method in BY_NUMBER["01"].methods:
        rows = hang_latency(method, args.runs)
        cells = [f"{statistics.median(c):.2f} / {max(c):.2f}" for c in zip(*rows)]
        print(f"{method:<11} {cells[0]:>22} {cells[1]:>22} {cells[2]:>22}")
    print(f"learner's first `pytest` (kata 01 HANG report): {first_pytest():.2f} s wall")


if __name__ == "__main__":
    main()
