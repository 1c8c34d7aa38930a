"""Helpers for the harness's tests that hand a program in as a kata file."""
import json
import os
import shutil
import subprocess
import sys

from dojo.run import ROOT


def run_as_kata(kata, program: str, folder, *select) -> tuple[list[dict], str]:
    """``program`` handed in as ``kata``'s file (in ``folder``), through every test of the kata, no stop at
    the first failure (``select``: pytest's own, such as ``-k fork``), in a pytest of its own, as a
    learner's submission is (``--target``). Each test's record (dojo's --results), and pytest's output."""
    shutil.copy(program, os.path.join(folder, kata.file))
    results = os.path.join(folder, "results.json")
    done = subprocess.run([sys.executable, "-m", "pytest", f"tests/test_{kata.file}", f"--target={folder}",
                           f"--results={results}", "-q", "-p", "no:cacheprovider", *select],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    with open(results, encoding="utf-8") as f:
        return json.load(f)["tests"], done.stdout or done.stderr
