"""Every report in the learner's language: English only, or Chinese only.

The judge's findings are built from fixed events here (no learner program
runs), so every kind of finding it can write is met in a second: a sentence
added in English alone shows up as a failure, not as English in a Chinese
report. The golden files (test_reports.py) show whole reports as read.
"""
import json
import pickle
import re
import unicodedata

import pytest

from dojo.events import Event
from dojo import promises
from dojo.judge import Proc, Status, Verdict, judge
from dojo.lang import Text, local, pick, say
from dojo.report import picture, render
from dojo.run import ROOT, Run

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: words of the dojo's English sentences (none is in these runs' code or Python's messages)
ENGLISH = re.compile(r"\b(the|was|were|is|are|and|with|never|found|processes|ended|printed|cooked|eaten|lane)\b", re.I)
#: half-width punctuation right after a Chinese character: a sentence written with English punctuation
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:.!?()]")
SPEC = {"target_dir": "/nowhere", "kata_file": "/nowhere/kata.py", "shown_path": "katas/kata.py",
        "shop": {}, "deadline": 15.0}


def _run(events, outcome="exited", main_exit=0, alive=(), stderr="", spec=SPEC, stacks=None):
    events = [Event(t, pid, role, ev, fields) for t, pid, role, ev, fields in events]
    result = {"outcome": outcome, "main_exit": main_exit, "alive": [{"pid": p} for p in alive],
              "started": 0.0, "stopped": 2.0, "last_progress": 1.0, "zombies": []}
    return Run(spec=spec, result=result, events=events, stderr=stderr, stacks=stacks or {})


def _stack(*frames):
    """A faulthandler dump of one thread, innermost frame first: (file, line, function)."""
    return "Thread 0x00007f (most recent call first):\n" + "".join(
        f'  File "{file}", line {line} in {fn}\n' for file, line, fn in frames)


# A hang read from stacks: a cook held back by the test, a diner in get(), main at exit.
PROGRAMS = f"{ROOT}/tests/harness/golden/programs"
HANG_SPEC = dict(SPEC, target_dir=PROGRAMS, kata_file=f"{PROGRAMS}/at_exit_hang.py")
HANG_EVENTS = [
    (0.00, 1, "main", "begin", {}),
    (0.01, 1, "main", "start-child", {"child": "cook-1", "daemon": False}),
    (0.02, 1, "main", "start-child", {"child": "diner-1", "daemon": False}),
    (0.10, 2, "cook-1", "begin", {}),
    (0.11, 2, "cook-1", "waiting-for", {"hold": "2-2-1", "after": ["cook-2"], "roles": ["cook-2"]}),
    (0.20, 3, "diner-1", "begin", {}),
    (0.30, 3, "diner-1", "get-enter", {}),
]
HANG_STACKS = {
    1: _stack(("/usr/lib/python3/multiprocessing/util.py", 360, "_exit_function")),
    2: _stack((f"{ROOT}/dojo/shop.py", 70, "hold"), (f"{ROOT}/dojo/shop.py", 80, "buns"),
              (f"{PROGRAMS}/at_exit_hang.py", 6, "cook")),
    3: _stack(("/usr/lib/python3/multiprocessing/queues.py", 103, "get"), (f"{PROGRAMS}/at_exit_hang.py", 13, "diner")),
}


def _problem(kind, **fields):
    return _run([(0.0, 1, "main", "begin", {}), (0.1, 1, "main", "problem", {"kind": kind, **fields})],
                main_exit=3)


BUSY = [  # one run that breaks most promises at once
    (0.00, 1, "main", "begin", {}),
    (0.01, 1, "main", "start-child", {"child": "cook-1", "daemon": False}),
    (0.02, 1, "main", "started", {"child": "cook-1", "child_pid": 2}),
    (0.03, 1, "main", "start-child", {"child": "diner-1", "daemon": False}),
    (0.04, 1, "main", "started", {"child": "diner-1", "child_pid": 3}),
    (0.05, 1, "main", "start-child", {"child": "diner-2", "daemon": False}),
    (0.06, 1, "main", "started", {"child": "diner-2", "child_pid": 4}),
    (0.10, 2, "cook-1", "begin", {}),
    (0.11, 2, "cook-1", "cooked", {"item": "'bun 1-0'"}),
    (0.12, 2, "cook-1", "put", {"item": "'bun 1-0'"}),
    (0.13, 2, "cook-1", "cooked", {"item": "'bun 1-1'"}),
    (0.14, 2, "cook-1", "put", {"item": "'bun 1-1'"}),
    (0.20, 3, "diner-1", "begin", {}),
    (0.21, 3, "diner-1", "get", {"item": "'bun 1-0'", "tid": 7}),
    (0.22, 3, "diner-1", "task_done", {"tid": 7}),
    (0.23, 3, "diner-1", "ate", {"item": "'bun 1-0'", "tid": 7}),
    (0.24, 3, "diner-1", "ate", {"item": "'bun 1-0'", "tid": 7}),
    (0.25, 3, "diner-1", "ate", {"item": "None", "tid": 7}),
    (0.26, 3, "diner-1", "task_done-error", {"tid": 7}),
    (0.27, 2, "cook-1", "qjoin-enter", {"tid": 9, "file": f"{ROOT}/katas/kata.py", "line": 5}),
    (0.28, 2, "cook-1", "qjoin-return", {"tid": 9}),
    (0.30, 1, "main", "sleep", {"asked": 0.5}),
    (0.40, 1, "main", "terminate", {"child": "diner-1", "how": "kill", "file": f"{ROOT}/katas/kata.py", "line": 30}),
    (0.50, 2, "cook-1", "end", {"exitcode": 3}),
    (0.60, 1, "main", "join-return", {"child": "diner-2", "exitcode": 1}),
    (0.70, 1, "main", "crash", {"error": "ZeroDivisionError", "where": "import",
                                "text": "Traceback (only your code is shown):\n  (raised outside your code)\n"
                                        "ZeroDivisionError: division by zero\n"}),
]

PROMISES = promises.ALWAYS + ("diners_go_home", "nobody_is_killed", "cooks_wait_for_their_buns")
VERDICTS = {
    "missing": lambda: judge(_problem("missing")),
    "syntax": lambda: judge(_problem("syntax", line=3, msg="expected ':'", code="def open_shop(shop)")),
    "unreadable": lambda: judge(_problem("unreadable", error="'utf-8' codec can't decode byte 0xff")),
    "missing-function": lambda: judge(_problem("missing-function", name="cook", wanted="def cook(counter, shop)")),
    "signature": lambda: judge(_problem("signature", name="cook", wanted="def cook(counter, shop)",
                                        mine="def cook(counter)")),
    "many": lambda: judge(_run(BUSY, main_exit=1, stderr="FileNotFoundError: [Errno 2] No such file\n"),
                          PROMISES),
    "leak": lambda: judge(_run(BUSY[:3] + [(0.1, 2, "cook-1", "begin", {})], outcome="leaked", alive=(2,))),
    "hang-stalled": lambda: judge(_run(HANG_EVENTS, outcome="stalled", alive=(1, 2, 3), spec=HANG_SPEC,
                                       stacks=HANG_STACKS)),
    "hang-deadline": lambda: judge(_run(BUSY[:3] + [(0.1, 2, "cook-1", "begin", {})], outcome="deadline",
                                        alive=(1, 2))),
}


@pytest.fixture(params=sorted(VERDICTS), scope="module")
def verdict(request) -> Verdict:
    return VERDICTS[request.param]()


def test_the_fixed_runs_meet_every_class_and_every_bad_input():
    statuses = {f.status for make in VERDICTS.values() for f in make().findings}
    assert statuses == set(Status) - {Status.PASS}
    assert len(VERDICTS["many"]().findings) >= 9


def test_every_finding_is_written_in_both_languages(verdict):
    for f in verdict.findings:
        word = f.status.value
        # a plain str: xdist sends it to the controller (user_properties), and execnet takes builtin types only
        assert type(f.headline) is str, type(f.headline)
        assert f.headline.startswith(f"{word}: ") and f.headline_zh.startswith(f"{word}："), f.headline
        assert CJK.search(f.headline_zh[len(word):]), f"no Chinese after the class word: {f.headline_zh}"
        for d in f.details:  # a code line reads the same in every language; every sentence is translated
            assert isinstance(d, Text) or re.fullmatch(r"    \d+ \| .*", d), d


def test_english_reports_have_no_chinese_and_chinese_reports_no_english_sentences(verdict):
    en = render(verdict, title="t", hints=[], next_step="", lang="en")
    zh = render(verdict, title="t", hints=[], next_step="", lang="zh")
    assert not CJK.search(en), en
    for f in verdict.findings:
        assert f.headline_zh in zh and f.headline not in zh
        for d in f.details:
            if isinstance(d, Text) and d != d.zh:  # line by line: the report indents every line
                assert all(line in zh for line in d.zh.splitlines()), d.zh
                assert not any(line in zh for line in d.splitlines() if line not in d.zh.splitlines()), d
    assert not HALF_WIDTH.search(zh), HALF_WIDTH.search(zh)
    assert not [line for line in zh.splitlines() if ENGLISH.search(re.sub(r"`[^`]*`", "", line))]  # `code` aside


def test_a_chinese_report_shows_only_the_chinese_hint(verdict):
    hints = [{"en": "Look at the counter.", "zh": "看看柜台。"}]
    assert "提示：看看柜台。" in render(verdict, title="t", hints=hints, next_step="", lang="zh")
    assert "Look at the counter." not in render(verdict, title="t", hints=hints, next_step="", lang="zh")
    assert "提示" not in render(verdict, title="t", hints=hints, next_step="", lang="en")
    both = render(verdict, title="t", hints=hints, next_step="")
    assert "Hint: Look at the counter.\n提示：看看柜台。" in both


def test_a_hang_names_each_process_in_each_language():
    hang = VERDICTS["hang-stalled"]().first
    assert hang.headline == ("HANG: cook-1 waits, as the test asks, for other cooks to finish first; "
                             "diner-1 is blocked in counter.get() (katas/kata.py:13); main is waiting for them at exit")
    assert hang.headline_zh == ("HANG：cook-1 按测试的安排，等其他厨师先做完；"
                                "diner-1 卡在 counter.get()（katas/kata.py:13）；main 在退出时等它们")


def test_the_learners_own_traceback_keeps_pythons_words():
    crash = next(f for f in VERDICTS["many"]().findings if f.headline.startswith("CRASH: main raised"))
    assert crash.headline_zh == "CRASH：main 在导入你的文件时抛出了 ZeroDivisionError"
    trace = crash.details[0]
    assert trace.zh.splitlines() == ["Traceback（只显示你的代码）：", "  （不是在你的代码里抛出的）",
                                     "ZeroDivisionError: division by zero"]


def test_a_text_is_its_english_everywhere_other_code_reads_it():
    t = Text("HANG: diner-1 is blocked in counter.get()", "HANG：diner-1 卡在 counter.get()")
    assert t == "HANG: diner-1 is blocked in counter.get()" and ".get(" in t
    assert json.loads(json.dumps({"headline": t})) == {"headline": str(t)}
    back = pickle.loads(pickle.dumps(t))
    assert back == t and back.zh == t.zh
    assert local(t, "zh") == t.zh and local(t, "en") == str(t) and local(t, None) == str(t)
    assert local("    3 | x = 1", "zh") == "    3 | x = 1"
    assert pick(None, "a", "b") == "a" and pick("zh", "a", "b") == "b"
    assert say(None, "a", "b") == "a\nb"


def _columns(line: str, char: str) -> int:
    """The terminal column of ``char`` in ``line``: a wide (CJK) character takes two."""
    before = line[: line.index(char)]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)


def test_the_chinese_picture_keeps_the_lanes_aligned():
    events = [Event(t, pid, role, ev, fields) for t, pid, role, ev, fields in [
        (0.0, 1, "main", "begin", {}), (0.1, 1, "main", "start-child", {"child": "cook-1"}),
        (0.2, 2, "cook-1", "begin", {}), (0.4, 2, "cook-1", "put", {"item": "'bun 1-0'"}),
        (0.5, 1, "main", "join-enter", {"child": "cook-1"}), (0.8, 2, "cook-1", "get-enter", {}),
    ]]
    run = Run(spec={}, result={"started": 0.0, "stopped": 4.0, "last_progress": 0.8, "outcome": "stalled"},
              events=events)
    v = Verdict([], [Proc("main", 1, alive=True), Proc("cook-1", 2, alive=True)], run)
    en, zh = picture(v, "en"), picture(v, "zh")
    assert en[1:3] == zh[1:3]  # the lanes themselves
    assert _columns(zh[0], "┆") == _columns(en[0], "┆")  # the axis's fold, over the lanes' fold
    assert _columns(zh[3], "^") == _columns(en[3], "^")
    assert "stopped at" in en[0] and "时停下" in zh[0]
