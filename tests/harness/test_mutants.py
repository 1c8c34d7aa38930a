"""The mutation check (dojo/mutants.py): each operator, the ids, the table's justifications, and real runs.

Each operator is tried on a small program: it must make exactly the
expected mutants (compared as code, so layout does not matter), and nothing
on a program without its pattern, including near misses such as a put()
of a bun or a join(timeout).
"""
import ast
import dataclasses
import textwrap

import pytest

from dojo import mutants as M
from dojo import verify
from dojo.katas import BY_NUMBER, KATAS


def code(text: str) -> str:
    return ast.unparse(ast.parse(textwrap.dedent(text)))


def made(operator: str, source: str) -> dict[str, str]:
    """id -> code of every mutant that ``operator`` makes of ``source``."""
    return {m.id: code(m.source) for m in M.make_mutants(textwrap.dedent(source)) if m.operator == operator}


COOK = textwrap.dedent("""
    DONE = None

    def cook(counter, shop):
        for bun in shop.buns():
            counter.put(bun)
        counter.put(DONE)
""")

MAIN = textwrap.dedent("""
    import multiprocessing

    def open_shop(shop):
        counter = multiprocessing.Queue()
        cooks = [multiprocessing.Process(target=print) for _ in range(shop.cooks)]
        diners = [multiprocessing.Process(target=print) for _ in range(shop.diners)]
        for c in cooks:
            c.join()
        for _ in diners:
            counter.put(None)
        for d in diners:
            d.join()
""")

DINER = textwrap.dedent("""
    def diner(counter, shop):
        while True:
            bun = counter.get()
            shop.eat(bun)
            counter.task_done()
""")

WALRUS = textwrap.dedent("""
    DONE = None

    def diner(counter, shop):
        while (bun := counter.get()) is not DONE:
            shop.eat(bun)
""")

DAEMONS = textwrap.dedent("""
    import multiprocessing

    def open_shop(shop):
        a = multiprocessing.Process(target=print)
        b = multiprocessing.Process(target=print, daemon=True)
        c = multiprocessing.Process(target=print)
        c.daemon = True
""")

QUEUE_JOIN = textwrap.dedent("""
    def open_shop(counter):
        counter.put(1)
        counter.join()
""")


def main_with(old: str, new: str, imported: str = "") -> str:
    """MAIN with one change (and the module it now needs, imported after the others)."""
    assert old in MAIN
    text = MAIN.replace(old, new)
    return code(text.replace("import multiprocessing\n", f"import multiprocessing\nimport {imported}\n") if imported else text)


EATS = textwrap.dedent("""
    def diner(counter, errors, shop):
        while True:
            bun = counter.get()
            try:
                shop.eat(bun)
            except ValueError as error:
                errors.put(error)
            except Exception:
                pass
            finally:
                counter.task_done()
""")

TRY_FINALLY = textwrap.dedent("""
    def diner(counter, shop):
        try:
            shop.eat(counter.get())
        finally:
            counter.task_done()
""")

BOUNDED = textwrap.dedent("""
    import multiprocessing
    from multiprocessing import JoinableQueue

    def open_shop(shop):
        a = multiprocessing.Queue(maxsize=shop.counter_size)
        b = JoinableQueue(2)
""")

CASES = {
    "drop_put_none": [(COOK, {"drop_put_none@cook:1": COOK.replace("    counter.put(DONE)\n", "")})],
    "move_put_none": [
        (COOK, {"move_put_none@cook:1/up1": """
            DONE = None

            def cook(counter, shop):
                counter.put(DONE)
                for bun in shop.buns():
                    counter.put(bun)
         """, "move_put_none@cook:1/into-loop-above": """
            DONE = None

            def cook(counter, shop):
                for bun in shop.buns():
                    counter.put(bun)
                    counter.put(DONE)
         """}),
        # not above `diners = …`: that mutant could only raise NameError
        (MAIN, {"move_put_none@open_shop:1/up1": main_with(
                    "    for c in cooks:\n        c.join()\n    for _ in diners:\n        counter.put(None)\n",
                    "    for _ in diners:\n        counter.put(None)\n    for c in cooks:\n        c.join()\n"),
                "move_put_none@open_shop:1/down1": main_with(
                    "    for _ in diners:\n        counter.put(None)\n    for d in diners:\n        d.join()\n",
                    "    for d in diners:\n        d.join()\n    for _ in diners:\n        counter.put(None)\n"),
                "move_put_none@open_shop:1/into-loop-above": main_with(
                    "        c.join()\n    for _ in diners:\n        counter.put(None)\n",
                    "        c.join()\n        for _ in diners:\n            counter.put(None)\n")})],
    "drop_join": [(MAIN, {"drop_join@open_shop:1": main_with("    for c in cooks:\n        c.join()\n", ""),
                          "drop_join@open_shop:2": main_with("    for d in diners:\n        d.join()\n", "")})],
    "swap_joins": [(MAIN, {"swap_joins@open_shop:1+2": main_with(
        "    for c in cooks:\n        c.join()\n    for _ in diners:\n        counter.put(None)\n    for d in diners:\n        d.join()\n",
        "    for d in diners:\n        d.join()\n    for _ in diners:\n        counter.put(None)\n    for c in cooks:\n        c.join()\n")})],
    "join_to_sleep": [(MAIN, {
        "join_to_sleep@open_shop:1": main_with("    for c in cooks:\n        c.join()\n", "    time.sleep(0.1)\n", "time"),
        "join_to_sleep@open_shop:2": main_with("    for d in diners:\n        d.join()\n", "    time.sleep(0.1)\n", "time")})],
    "join_to_terminate": [
        (MAIN, {"join_to_terminate@open_shop:1": main_with("c.join()", "c.terminate()"),
                "join_to_terminate@open_shop:2": main_with("d.join()", "d.terminate()")}),
        (QUEUE_JOIN, {}),  # a queue has no terminate()
    ],
    "sentinel_to_terminate": [(MAIN, {"sentinel_to_terminate@open_shop:1": main_with(
        "    for _ in diners:\n        counter.put(None)\n", "    for _p in diners:\n        _p.terminate()\n")}),
        (COOK, {})],  # the cook's None is not one per process
    "sentinels_by_cooks": [(MAIN, {"sentinels_by_cooks@open_shop:1": main_with("for _ in diners:", "for _ in cooks:")}),
                           (MAIN.replace("for _ in diners:", "for _ in range(shop.diners):"),
                            {"sentinels_by_cooks@open_shop:1": main_with("for _ in diners:", "for _ in range(shop.cooks):")})],
    "hard_code_count": [(MAIN, {"hard_code_count@open_shop:1": main_with("for _ in diners:", "for _ in range(2):")})],
    "drop_task_done": [(DINER, {"drop_task_done@diner:1": DINER.replace("        counter.task_done()\n", "")})],
    "dup_task_done": [(DINER, {"dup_task_done@diner:1": DINER.replace(
        "        counter.task_done()\n", "        counter.task_done()\n        counter.task_done()\n")})],
    "move_task_done": [(DINER, {
        "move_task_done@diner:1/up1": DINER.replace("shop.eat(bun)\n        counter.task_done()", "counter.task_done()\n        shop.eat(bun)"),
        "move_task_done@diner:1/up2": DINER.replace("bun = counter.get()\n        shop.eat(bun)\n        counter.task_done()",
                                                    "counter.task_done()\n        bun = counter.get()\n        shop.eat(bun)"),
        "move_task_done@diner:1/out-of-loop": DINER.replace("        counter.task_done()\n", "    counter.task_done()\n")})],
    "get_timeout_break": [
        (DINER, {"get_timeout_break@diner:1": "import queue\n" + DINER.replace(
            "        bun = counter.get()\n",
            "        try:\n            bun = counter.get(timeout=0.1)\n        except queue.Empty:\n            break\n")}),
        (WALRUS, {"get_timeout_break@diner:1": """
            import queue
            DONE = None

            def diner(counter, shop):
                while True:
                    try:
                        _got = counter.get(timeout=0.1)
                    except queue.Empty:
                        break
                    if not (bun := _got) is not DONE:
                        break
                    shop.eat(bun)
         """}),
        ("def diner(counter, shop):\n    while True:\n        shop.eat(counter.get())\n",
         {"get_timeout_break@diner:1": "import queue\ndef diner(counter, shop):\n    while True:\n        try:\n"
                                       "            _got = counter.get(timeout=0.1)\n        except queue.Empty:\n"
                                       "            break\n        shop.eat(_got)\n"}),
        ("def diner(counter, shop):\n    shop.eat(counter.get())\n", {}),  # no loop to leave
    ],
    "poll_empty": [(DINER, {"poll_empty@diner:1": DINER.replace("while True:", "while not counter.empty():")}),
                   (WALRUS, {"poll_empty@diner:1": WALRUS.replace("while (", "while not counter.empty() and (")}),
                   (QUEUE_JOIN, {"poll_empty@open_shop:1": "import time\n" + QUEUE_JOIN.replace(
                       "    counter.join()\n", "    while not counter.empty():\n        time.sleep(0.1)\n")}),
                   (MAIN, {})],  # joins of processes are not polled: that would be a correct program
    "poll_qsize": [(DINER, {"poll_qsize@diner:1": DINER.replace("while True:", "while counter.qsize() > 0:")}),
                   (QUEUE_JOIN, {"poll_qsize@open_shop:1": "import time\n" + QUEUE_JOIN.replace(
                       "    counter.join()\n", "    while counter.qsize() > 0:\n        time.sleep(0.1)\n")})],
    "truthy_stop": [(WALRUS, {"truthy_stop@diner:1": WALRUS.replace(" is not DONE", "")}),
                    ("def diner(q):\n    while True:\n        bun = q.get()\n        if bun is None:\n            break\n",
                     {"truthy_stop@diner:1": "def diner(q):\n    while True:\n        bun = q.get()\n        if not bun:\n            break\n"})],
    "add_daemon": [(DAEMONS, {"add_daemon@open_shop:1": DAEMONS.replace("(target=print)\n    b", "(target=print, daemon=True)\n    b"),
                              "add_daemon@open_shop:3": DAEMONS.replace("(target=print)\n    c.", "(target=print, daemon=True)\n    c.")})],
    "let_error_through": [
        (EATS, {"let_error_through@diner:1/1": EATS.replace(
                    "        except ValueError as error:\n            errors.put(error)\n", ""),
                "let_error_through@diner:1/2": EATS.replace("        except Exception:\n            pass\n", "")}),
        # nothing left to catch or finish: the try goes, its body stays
        ("def f(q):\n    try:\n        q.get()\n    except Exception:\n        pass\n",
         {"let_error_through@f:1/1": "def f(q):\n    q.get()\n"})],
    "swallow_error": [(EATS, {"swallow_error@diner:1/1": EATS.replace("errors.put(error)", "pass")})],
    "finally_to_body": [
        (EATS, {"finally_to_body@diner:1": EATS.replace(
            "            shop.eat(bun)\n", "            shop.eat(bun)\n            counter.task_done()\n").replace(
            "        finally:\n            counter.task_done()\n", "")}),
        (TRY_FINALLY, {"finally_to_body@diner:1": "def diner(counter, shop):\n    shop.eat(counter.get())\n"
                                                  "    counter.task_done()\n"})],
    "cancel_join_thread": [
        (COOK, {"cancel_join_thread@cook:1": COOK.replace("    for bun", "    counter.cancel_join_thread()\n    for bun")}),
        (MAIN, {})],  # main's queue is its own, not one it was handed
    "join_before_reading": [
        ("def open_shop(q, cooks):\n    for c in cooks:\n        c.start()\n    while q.get() is not None:\n"
         "        pass\n    for c in cooks:\n        c.join()\n",
         {"join_before_reading@open_shop:1": "def open_shop(q, cooks):\n    for c in cooks:\n        c.start()\n"
                                             "    for c in cooks:\n        c.join()\n    while q.get() is not None:\n"
                                             "        pass\n"}),
        (MAIN, {})],  # main reads nothing before its joins
    "drop_maxsize": [(BOUNDED, {"drop_maxsize@open_shop:1": BOUNDED.replace("maxsize=shop.counter_size", ""),
                                "drop_maxsize@open_shop:2": BOUNDED.replace("JoinableQueue(2)", "JoinableQueue()")})],
    "drop_daemon": [(DAEMONS, {"drop_daemon@open_shop:1": DAEMONS.replace(", daemon=True", ""),
                               "drop_daemon@open_shop:2": DAEMONS.replace("    c.daemon = True\n", "")})],
}

# Closing time (kata 10): a signal handler, a stop flag, the leftovers counted.
CLOSING = textwrap.dedent("""
    import signal

    def diner(counter, shop, closing):
        while not closing.is_set():
            shop.eat(counter.get())

    def open_shop(shop):
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        shop.leftover(1)
""")
CASES.update({
    "drop_signal_handler": [(CLOSING, {"drop_signal_handler@open_shop:1": CLOSING.replace(
        "    signal.signal(signal.SIGTERM, signal.default_int_handler)\n", "")})],
    "ignore_stop_flag": [(CLOSING, {"ignore_stop_flag@diner:1": CLOSING.replace("not closing.is_set()", "not False")})],
    "drop_count": [(CLOSING, {"drop_count@open_shop:1": CLOSING.replace("    shop.leftover(1)\n", "")})],
})

# Every start method (kata 15): a process's target, and the `__main__` guard.
SCRIPT = textwrap.dedent("""
    import multiprocessing

    def open_shop(shop):
        p = multiprocessing.Process(target=cook, args=(1, shop))
        q = multiprocessing.Process(target=cook)
        r = multiprocessing.Process(target=shop.cook)

    if __name__ == "__main__":
        open_shop(None)
""")
CASES.update({
    "lambda_target": [(SCRIPT, {
        "lambda_target@open_shop:1": SCRIPT.replace("target=cook, args=(1, shop))", "target=lambda: cook(1, shop))"),
        "lambda_target@open_shop:2": SCRIPT.replace("(target=cook)", "(target=lambda: cook())")})],
    "drop_main_guard": [(SCRIPT, {"drop_main_guard@<module>:1": SCRIPT.replace(
        'if __name__ == "__main__":\n    open_shop(None)', "open_shop(None)")}),
        ('def f():\n    if __name__ == "__main__":\n        pass\n', {})],  # only at the top level of the file
})

# Near misses: a put() of a bun, a join with a timeout, a str.join, a get(timeout) outside a loop, no sentinel loop.
NEAR_MISS = textwrap.dedent("""
    import multiprocessing

    def open_shop(shop):
        counter = multiprocessing.Queue()
        counter.put("bun")
        names = ", ".join(["a", "b"])
        for name in names:
            counter.put(name)
        worker = multiprocessing.Process(target=print, daemon=False)
        worker.join(5)
        print(counter.get(timeout=1))
""")
PLAIN = "def open_shop(shop):\n    print(shop)\n"


def test_the_cases_cover_every_operator():
    assert sorted(CASES) == sorted(op.name for op in M.OPERATORS)


@pytest.mark.parametrize("operator,source,expected",
                         [pytest.param(op, src, exp, id=f"{op}-{i}") for op, cases in CASES.items()
                          for i, (src, exp) in enumerate(cases)])
def test_an_operator_makes_exactly_the_expected_mutants(operator, source, expected):
    assert made(operator, source) == {k: code(v) for k, v in expected.items()}


@pytest.mark.parametrize("operator", [op.name for op in M.OPERATORS])
def test_an_operator_makes_nothing_without_its_pattern(operator):
    assert made(operator, PLAIN) == {}
    # daemon=False is taken away too, and Process(target=print) can be given a lambda: real places
    if operator not in ("drop_daemon", "lambda_target"):
        assert made(operator, NEAR_MISS) == {}


def test_no_mutant_is_the_original_or_a_copy_of_another():
    src = "def f(q):\n    q.put(None)\n    q.put(None)\n"
    ids = [m.id for m in M.make_mutants(src)]
    # dropping either None is the same program; swapping two equal statements is the original
    assert [i for i in ids if i.startswith(("drop_put_none", "move_put_none"))] == ["drop_put_none@f:1"]


def test_a_mutant_keeps_the_rest_of_the_file_as_it_was():
    with open(M.solution_path(BY_NUMBER["01"]), encoding="utf-8") as f:
        original = f.read()
    mutant = next(m for m in M.make_mutants(original) if m.id == "drop_put_none@cook:1")
    line = "    counter.put(DONE)  # after the last bun, never before it\n"
    assert mutant.source == original.replace(line, "")
    assert mutant.diff(original, "01_sentinel.py").count("\n-") == 1


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.name)
def test_every_mutant_of_a_solution_is_a_program_of_its_own(kata):
    mutants = M.mutants_of(kata)
    assert mutants, f"the catalogue makes no mutant of solutions/{kata.file}"
    assert len({m.id for m in mutants}) == len(mutants)
    assert len({code(m.source) for m in mutants}) == len(mutants)
    for m in mutants:
        compile(m.source, m.id, "exec")


def test_ids_do_not_move_with_lines_or_other_functions():
    with open(M.solution_path(BY_NUMBER["03"]), encoding="utf-8") as f:
        original = f.read()
    before = {m.id: m for m in M.make_mutants(original)}
    # comments and blank lines above, the functions in another order, one more function at the end
    head, _, rest = original.partition("def cook(")
    cook, _, rest = ("def cook(" + rest).partition("def diner(")
    edited = head + "# a note\n\n\n" + "def diner(" + rest.rstrip() + "\n\n\n" + cook + "\ndef helper():\n    return 1\n"
    after = {m.id: m for m in M.make_mutants(edited)}
    assert set(before) == set(after)
    moved = before["drop_put_none@open_shop:1"], after["drop_put_none@open_shop:1"]
    assert moved[0].line != moved[1].line  # the description says where it is now; the id does not change


def test_a_stale_justification_is_reported_with_a_fix():
    kata = dataclasses.replace(BY_NUMBER["01"], equivalent={
        "swap_joins@open_shop:1+2": "both processes are done by then",
        "drop_join@nowhere:9": "a function that is gone",
        "add_daemon@open_shop:1": "two\nlines"})
    problems = M.stale_equivalents(kata)
    assert len(problems) == 2, problems
    assert "'drop_join@nowhere:9'" in problems[0] and "python -m dojo.mutants --list --kata 01" in problems[0]
    assert "one line" in problems[1]
    assert problems[0] in verify.kata_problems(kata)  # so `pytest --verify-stubs` and CI catch it too


def test_the_list_command_shows_mutants_and_fails_on_a_stale_justification(monkeypatch, capsys):
    assert M.main(["--list", "--kata", "01"]) == 0
    out = capsys.readouterr().out
    assert "drop_put_none@cook:1" in out and "line 15: drop `counter.put(DONE)`" in out
    # a sample leaves most justified mutants out: they are checked against every mutant all the same
    assert M.main(["--list", "--kata", "01", "--sample", "1"]) == 0, capsys.readouterr().out
    assert "1 mutants (a sample of 1 of " in capsys.readouterr().out
    stale = dataclasses.replace(BY_NUMBER["01"], equivalent={"drop_join@nowhere:9": "gone"})
    monkeypatch.setattr(M, "find", lambda name: stale)
    assert M.main(["--list", "--kata", "01"]) == 1
    assert "STALE: kata 01" in capsys.readouterr().out


def test_a_sample_is_fixed_and_does_not_move_when_mutants_are_added():
    kata = BY_NUMBER["03"]
    mutants = M.mutants_of(kata)
    chosen = {m.id for m in M.sample(kata, mutants, 5)}
    assert len(chosen) == 5
    assert {m.id for m in M.sample(kata, list(reversed(mutants)), 5)} == chosen
    gone = next(m for m in mutants if m.id not in chosen)  # the catalogue no longer makes one that was not chosen
    assert {m.id for m in M.sample(kata, [m for m in mutants if m is not gone], 5)} == chosen


def _results(*tests):
    return {"tests": [dict(zip(("nodeid", "outcome", "status"), t)) for t in tests]}


@pytest.mark.parametrize("returncode,results,verdict,status", [
    (1, _results(("t1", "passed", "PASS"), ("t2", "failed", "HANG")), "killed", "HANG"),
    (1, _results(("t1", "failed", "CRASH")), "killed", "CRASH"),  # a file that cannot run at all
    (0, _results(("t1", "passed", "PASS"), ("t2", "passed", "PASS")), "survived", None),
    (1, _results(("t1", "failed", None)), "error", None),  # a broken test says nothing about the mutant
    (3, None, "error", None),  # pytest itself failed: no results
    (5, _results(), "error", None),  # no test ran
], ids=["killed", "crash", "survived", "test-broken", "pytest-broken", "no-tests"])
def test_what_a_run_says_about_a_mutant(returncode, results, verdict, status):
    outcome = M.classify(returncode, results, "some output")
    assert (outcome.verdict, outcome.status) == (verdict, status)


def test_real_runs_of_mutants_of_kata_01():
    kata = BY_NUMBER["01"]
    mutants = {m.id: m for m in M.mutants_of(kata)}
    dropped = M.run_mutant(kata, mutants["drop_put_none@cook:1"])
    assert (dropped.verdict, dropped.status) == ("killed", "HANG"), dropped
    assert "diner-1 is blocked in counter.get()" in dropped.headline
    polling = M.run_mutant(kata, mutants["poll_empty@diner:1"])
    assert (polling.verdict, polling.status) == ("killed", "LOST"), polling
    # An equivalent mutant passes: one test under one start method is enough to see a survivor as one.
    swapped = M.run_mutant(kata, mutants["swap_joins@open_shop:1+2"], ("-k", "every_bun and not spawn and not forkserver"))
    assert swapped.verdict == "survived", swapped
