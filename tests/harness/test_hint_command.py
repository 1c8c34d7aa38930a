"""`python -m dojo hint N [K]`: hints one at a time, in the chosen language, and a plain word for bad input."""
import os
import subprocess
import sys

from dojo.katas import find
from dojo.run import ROOT

KATA = find("01")


def hint(*args, env=None):
    return subprocess.run([sys.executable, "-m", "dojo", "hint", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))


def test_the_first_hint_and_the_way_to_the_next():
    done = hint("01", "--lang", "en")
    assert done.returncode == 0
    assert f"Hint 1 of {len(KATA.hints)}: The diner loops" in done.stdout
    assert "提示" not in done.stdout and "Hint 2" not in done.stdout
    assert "One more hint: python -m dojo hint 01 2" in done.stdout


def test_two_hints():
    done = hint("sentinel", "2", "--lang", "en")
    assert "Hint 2 of" in done.stdout and "After the last bun" in done.stdout and "One more hint" not in done.stdout


def test_chinese_by_option_and_by_locale():
    for done in (hint("01", "--lang", "zh"), hint("01", env={"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LANGUAGE": ""})):
        assert f"练习 01 · {KATA.title['zh']}" in done.stdout
        assert f"提示 1（共 {len(KATA.hints)} 条）：{KATA.hints[0]['zh']}" in done.stdout
        assert "Hint" not in done.stdout


def test_an_unknown_kata_is_named():
    done = hint("99", "--lang", "en")
    assert done.returncode == 2 and "There is no kata '99'" in done.stdout and "Traceback" not in done.stderr


def test_an_unknown_language_is_named():
    done = hint("01", "--lang", "fr")
    assert done.returncode == 2 and "choose en (English) or zh (简体中文)" in done.stdout and not done.stderr
