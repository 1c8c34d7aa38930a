"""Golden-file tests of the reports a learner reads.

Times and the lanes of the picture vary from run to run, so the golden
report masks them (numbers become #, lanes become <lane>, the caret's column goes, the
checkout's folder becomes <repo>); the picture itself is tested on a run made of fixed events.
Each report is kept as render() gives it with no language (name.txt, the report from before
--lang), in English (name.en.txt) and in Chinese (name.zh.txt). The programs behind the
reports are the wrong answers in tests/wrong/ and the small ones in golden/programs/.
Regenerate after an intended change: DOJO_UPDATE_GOLDEN=1 pytest --solutions tests/harness/test_reports.py
"""
import os
import re

from dojo.events import Event
from dojo.judge import Proc, Status, Verdict, judge
from dojo.katas import BY_NUMBER
from dojo.report import picture, render
from dojo.run import ROOT, Run, run_program
from dojo.shop import Shop

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
PROGRAMS = os.path.join("tests", "harness", "golden", "programs")


def masked(text: str) -> str:
    lines = []
    for line in text.replace(ROOT + os.sep, "<repo>/").splitlines():
        if re.match(r"^  [\w/-]+ +[ b·SGPcextK!─~┆]{20,}$", line):
            line = "  <lane>"
        elif line.strip().startswith("^ "):  # the last-progress caret: its column is a time too
            line = "  " + line.strip()
        elif line.strip() and not line.strip(" ^~"):  # Python marks the failing code so from 3.11 on only
            continue
        lines.append(re.sub(r"\d+\.\d+|\b\d{3,}\b", "#", line))
    return "\n".join(lines) + "\n"


def check_golden(name: str, text: str) -> None:
    path = os.path.join(GOLDEN, name)
    if os.environ.get("DOJO_UPDATE_GOLDEN"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(path, encoding="utf-8") as f:
        assert text == f.read(), f"the report differs from {path}; if intended, regenerate it (see this file's docstring)"


def verdict_of(variant: str, folder: str = os.path.join("tests", "wrong", "01_sentinel"), **shop) -> Verdict:
    run = run_program(target_dir=os.path.join(ROOT, folder), kata_file=f"{variant}.py", entry="open_shop",
                      contract=BY_NUMBER["01"].contract, start_method="fork", shop=Shop(**shop))
    return judge(run)


def report(verdict: Verdict, lang=None) -> str:
    return render(verdict, title="kata 01 · golden", hints=BY_NUMBER["01"].hints, next_step="Next: (golden)",
                  lang=lang)


def check_reports(name: str, verdict: Verdict, langs=("en", "zh")) -> None:
    """The report of one run, in each language: one run, so the languages tell the same story."""
    for lang in langs:
        check_golden(f"{name}.{lang}.txt" if lang else f"{name}.txt", masked(report(verdict, lang)))


def test_the_hang_report_of_a_missing_sentinel():
    check_reports("01_no_sentinel_hang", verdict_of("no_sentinel", buns_per_cook=2), langs=(None,))


def test_the_lost_report_of_a_falsy_stop():
    verdict = verdict_of("falsy_stop", menu={"cook-1": ["bun 1-0", 0, "x"]})
    assert verdict.status is Status.LOST
    check_reports("01_falsy_stop_lost", verdict, langs=(None, "en", "zh"))


def test_the_hang_report_of_main_waiting_at_exit():
    verdict = verdict_of("at_exit_hang", folder=PROGRAMS, cooks=1, diners=2, buns_per_cook=2)
    assert verdict.status is Status.HANG and "at exit" in verdict.first.headline
    check_reports("at_exit_hang", verdict)


def test_the_crash_report_of_a_diner_with_its_traceback():
    verdict = verdict_of("diner_crash", folder=PROGRAMS, menu={"cook-1": ["bun 1-0", 0, "bun 1-2"]})
    assert verdict.status is Status.CRASH and verdict.has(Status.LOST)
    check_reports("diner_crash", verdict)


def test_the_report_of_a_syntax_error():
    verdict = verdict_of("syntax_error", folder=PROGRAMS)
    assert verdict.status is Status.CRASH
    check_reports("syntax_error", verdict)


def _event(t, role, ev, pid, **fields):
    return Event(t, pid, role, ev, fields)


def test_the_picture_of_a_hang():
    events = [
        _event(0.0, "main", "begin", 1), _event(0.1, "main", "start-child", 1, child="cook-1"),
        _event(0.2, "main", "start-child", 1, child="diner-1"), _event(0.3, "main", "join-enter", 1, child="cook-1"),
        _event(0.2, "cook-1", "begin", 2), _event(0.4, "cook-1", "put", 2, item="'bun 1-0'"),
        _event(0.6, "cook-1", "end", 2, exitcode=0), _event(0.6, "main", "join-return", 1, child="cook-1"),
        _event(0.7, "main", "join-enter", 1, child="diner-1"),
        _event(0.3, "diner-1", "begin", 3), _event(0.5, "diner-1", "get", 3, item="'bun 1-0'"),
        _event(0.6, "diner-1", "ate", 3, item="'bun 1-0'"), _event(0.8, "diner-1", "get-enter", 3),
    ]
    events.sort(key=lambda e: e.t)
    run = Run(spec={}, result={"started": 0.0, "stopped": 4.0, "last_progress": 0.8, "outcome": "stalled"},
              events=events)
    procs = [Proc("main", 1, alive=True), Proc("cook-1", 2), Proc("diner-1", 3, alive=True)]
    assert picture(Verdict([], procs, run)) == [
        "         0 s                                          0.80 s ┆ stopped at 4.00 s",
        "main     b·····S·····S······───────────────────······────────┆───",
        "cook-1               b············P············x             ┆   ",
        "diner-1                     b···········G······e···········──┆───",
        "                                                           ^ last progress at 0.80 s",
        "         b begin  S start a process  c cooked  P put  G get  e ate  t task_done  x end",
        "         ! crash  K terminate()  ─ blocked  ~ busy (cooking, eating, sleep)  · running",
    ]


def test_long_output_is_cut_with_a_notice(program):
    _, verdict = program("""
        def open_shop(shop):
            for i in range(40):
                print("line", i)
        """)
    text = render(verdict, title="t", hints=[], next_step="")
    assert "[… 25 earlier lines not shown …]" in text
    assert "| line 39" in text and "| line 24" not in text
