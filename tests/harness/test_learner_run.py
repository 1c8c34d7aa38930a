"""The learner's run, driven like a learner: `pytest` in a copy of the repository.

Order, stop at the first unsolved kata, the progress table ("N of M katas",
skipped with its reason), exactly one next step, --all-katas, and --lang.
"""
import re

import pytest

from dojo.katas import KATAS

from .learner_tools import learner_run, next_steps

FIRST, SECOND = KATAS[0], KATAS[1]
SYNTAX_ERROR = "def open_shop(shop)\n    pass\n"  # fails in a fraction of a second, under every start method


def failures(out: str) -> str:
    return out.split("= FAILURES =", 1)[1].split("Deadlock Dojo · ", 1)[0]


def test_the_table_counts_the_katas_and_ends_in_one_next_step(learner_copy):
    done = learner_run(learner_copy)
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    report = failures(out)
    assert "The run, one lane per process:" in report  # the picture
    assert f"Hint: {FIRST.hints[0]['en']}" in report
    assert f"That was hint 1 of {len(FIRST.hints)}. The next one:  pytest --hint" in report
    assert f"0 of {len(KATAS)} katas done" in out
    assert re.search(rf"▶ {FIRST.number} {FIRST.slug} +{re.escape(FIRST.title['en'])} +current", out)
    for k in KATAS[1:]:
        assert re.search(rf"· {k.number} {k.slug} .* ahead$", out, re.M), k.name
    assert next_steps(out) == [f"Next: open katas/{FIRST.file}, read the story at the top, and fix the TODO. "
                               "Then run:  pytest"]


def test_a_kata_that_cannot_run_here_is_skipped_with_its_reason(learner_copy):
    table = learner_copy / "dojo" / "katas.py"
    # Gate the second kata on a Python that does not exist yet (the table's own mechanism for 3.13+ katas).
    table.write_text(_gate(table.read_text(), SECOND.number))
    done = learner_run(learner_copy)
    out = done.stdout
    assert re.search(rf"- {SECOND.number} {SECOND.slug} .* skipped: needs Python 99.0 or newer$", out, re.M), out[-3000:]
    assert f"0 of {len(KATAS)} katas done · 1 skipped on this Python" in out
    assert len(next_steps(out)) == 1


def _gate(source: str, number: str) -> str:
    """dojo/katas.py with kata ``number`` gated on Python 99 (appended, so the table's layout does not matter)."""
    return source + (f"\nimport dataclasses as _dc\nKATAS[:] = [_dc.replace(k, min_python=(99, 0)) if k.number == {number!r} "
                     "else k for k in KATAS]\nBY_NUMBER.update((k.number, k) for k in KATAS)\n")


@pytest.mark.parametrize("args", [(), ("-n", "2")], ids=["plain", "xdist"])
def test_all_katas_runs_every_kata_and_still_gives_one_next_step(learner_copy, args):
    for k in KATAS:
        (learner_copy / "katas" / k.file).write_text(SYNTAX_ERROR)
    # One test of each kata, under one start method: enough to see every kata run, and fast.
    firsts = [re.search(r"^def (test_\w+)", (learner_copy / "tests" / f"test_{k.name}.py").read_text(), re.M)[1]
              for k in KATAS]
    only_fork = ("-k", f"({' or '.join(firsts)}) and fork and not forkserver")
    stopped = learner_run(learner_copy, *only_fork, *args)
    assert f"tests/test_{FIRST.name}.py::" in stopped.stdout
    assert f"FAILED tests/test_{SECOND.name}.py" not in stopped.stdout  # later katas wait their turn
    done = learner_run(learner_copy, "--all-katas", *only_fork, *args)
    out = done.stdout
    assert done.returncode == 1
    for k in KATAS:
        assert f"FAILED tests/test_{k.name}.py" in out, k.name
    assert re.search(rf"▶ {FIRST.number} {FIRST.slug} .* current", out)
    assert re.search(rf"✗ {SECOND.number} {SECOND.slug} .* failing", out)
    # Each kata's report names its own hint: plain `pytest --hint` gives the current kata's.
    assert f"The next one:  pytest --hint {SECOND.number}" in out
    assert next_steps(out) == [f"Next: open katas/{FIRST.file} and fix what the report above names. Then run:  pytest"]


def test_chinese_from_the_option_and_from_the_locale(learner_copy):
    for how in ({"lang": "zh"}, {"lang": None, "env": {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LANGUAGE": ""}}):
        out = learner_run(learner_copy, **how).stdout
        report = failures(out)
        assert f"练习 {FIRST.number} · {FIRST.title['zh']} · 启动方式：" in report, how
        assert f"提示：{FIRST.hints[0]['zh']}" in report and "Hint:" not in report
        assert "Deadlock Dojo · 进度" in out and f"共 {len(KATAS)} 个练习，已完成 0 个" in out
        assert f"{FIRST.title['zh']}" in out.split("Deadlock Dojo · 进度", 1)[1]
        assert next_steps(out) == [f"下一步：打开 katas/{FIRST.file}，读一读开头的故事，完成 TODO，然后运行：pytest"]


def test_english_from_the_locale(learner_copy):
    out = learner_run(learner_copy, lang=None, env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LANGUAGE": ""}).stdout
    assert "Deadlock Dojo · progress" in out and "进度" not in out
    assert len(next_steps(out)) == 1 and next_steps(out)[0].startswith("Next: ")


def test_an_unknown_language_is_a_usage_error(learner_copy):
    done = learner_run(learner_copy, lang="fr")
    assert done.returncode == 4
    assert "--lang fr: choose en (English) or zh (简体中文). Example: pytest --lang zh" in done.stderr
    assert "Traceback" not in done.stderr
