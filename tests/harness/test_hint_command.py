"""`python -m dojo hint N [K]`: hints one at a time, and a plain word for bad input."""
import subprocess
import sys

from dojo.run import ROOT


def hint(*args):
    return subprocess.run([sys.executable, "-m", "dojo", "hint", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_first_hint_and_the_way_to_the_next():
    done = hint("01")
    assert done.returncode == 0
    assert "Hint 1: The diner loops" in done.stdout and "提示 1：" in done.stdout
    assert "Hint 2" not in done.stdout
    assert "One more hint: python -m dojo hint 01 2" in done.stdout


def test_two_hints():
    done = hint("sentinel", "2")
    assert "Hint 2: After the last bun" in done.stdout and "One more hint" not in done.stdout


def test_an_unknown_kata_is_named():
    done = hint("99")
    assert done.returncode == 2 and "There is no kata '99'" in done.stdout and "Traceback" not in done.stderr
