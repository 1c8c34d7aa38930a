"""Held steps: the order a test asks for is the order that happens, on every run, at full speed.

A pace of the shop is a step held on the run's virtual clock (dojo/clock.py):
it goes on only once every other thread of the program is asleep with no
deadline, has ended, or is held with a later due time. These tests check the
orders that the kata tests build on, from the events of the run itself, and
that the learner's own timing is honoured: a bounded wait of theirs runs out
for real before a held step goes on, and a polling loop does not stop the
shop. None of them waits for a real second: a failure here is an order
broken, never a machine too slow.
"""
import pytest

from dojo.judge import Status

METHODS = ["fork", "spawn", "forkserver"]

SHOP = """
import multiprocessing

def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)

def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)

def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for p in cooks + diners:
        p.start()
    for p in cooks:
        p.join()
    for _ in diners:
        counter.put(None)
    for p in diners:
        p.join()
"""


def times(run, ev):
    """Each bun's time of ``ev`` (cooked, ate)."""
    return {e.item: e.t for e in run.events if e.ev == ev}


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_cook_is_slower_than_every_diner(program, method):
    # Each bun is eaten before the next is cooked: the diners are always waiting for the cook.
    run, verdict = program(SHOP, method=method, diners=2, buns_per_cook=4, cook_pace={"*": 0.05})
    assert verdict.status is Status.PASS, verdict.findings
    cooked, ate = times(run, "cooked"), times(run, "ate")
    buns = sorted(cooked, key=cooked.get)
    assert len(buns) == 4
    for bun, following in zip(buns, buns[1:]):
        assert ate[bun] < cooked[following], f"{following} was cooked before {bun} was eaten"


@pytest.mark.parametrize("method", METHODS)
def test_a_slow_diner_is_slower_than_every_cook(program, method):
    # Every bun is on the counter before the first bite is finished.
    run, verdict = program(SHOP, method=method, cooks=2, buns_per_cook=3, eat_pace={"*": 0.05})
    assert verdict.status is Status.PASS, verdict.findings
    assert max(times(run, "cooked").values()) < min(times(run, "ate").values())


def test_the_slower_of_two_paces_goes_last(program):
    # cook-1 takes 0.1 a bun, cook-2 0.03: on the virtual clock, cook-2's three buns come before cook-1's first.
    run, verdict = program(SHOP, method="fork", cooks=2, buns_per_cook=3, cook_pace={"cook-1": 0.1, "cook-2": 0.03})
    assert verdict.status is Status.PASS, verdict.findings
    order = [e.item for e in run.events if e.ev == "cooked"]
    assert order == ["'bun 2-0'", "'bun 2-1'", "'bun 2-2'", "'bun 1-0'", "'bun 1-1'", "'bun 1-2'"], order


@pytest.mark.parametrize("method", METHODS)
def test_main_leaves_while_a_slow_diner_still_eats(program, method):
    # Daemon diners and no wait for the eating: main ends before any held bite goes on, on every run.
    _, verdict = program(SHOP.replace("p.start()", "p.daemon = p in diners\n        p.start()")
                         .replace("    for p in diners:\n        p.join()\n", ""),
                         method=method, diners=2, buns_per_cook=3, eat_pace={"*": 0.01})
    assert verdict.status is Status.LOST, verdict.findings


def test_a_learners_sleep_runs_out_before_a_held_step(program):
    # main sleeps before it says the shop is open; the paced cook goes on only after main woke up.
    run, verdict = program(SHOP.replace("    for p in cooks:\n        p.join()",
                                        "    import time\n    time.sleep(0.2)\n    print('awake', flush=True)\n"
                                        "    for p in cooks:\n        p.join()"),
                           method="fork", cook_pace={"*": 0.01})
    assert verdict.status is Status.PASS, verdict.findings
    awake = next(e.t for e in run.events if e.ev == "awake")
    assert awake < min(times(run, "cooked").values())


IMPATIENT = SHOP.replace("""def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)""", """def diner(counter, shop):
    import queue
    while True:
        try:
            bun = counter.get(timeout=0.05)
        except queue.Empty:
            return  # gives up: no bun for a while
        if bun is None:
            return
        shop.eat(bun)""")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_diner_who_gives_up_always_meets_a_slower_cook(program, method):
    # get(timeout=…) runs out for real before the cook's next bun: the impatient diner leaves buns behind.
    _, verdict = program(IMPATIENT, method=method, buns_per_cook=3, cook_pace={"*": 0.01})
    assert verdict.status is Status.LOST, verdict.findings


def test_a_polling_main_does_not_stop_the_shop(program):
    # A main that checks with a short sleep between real checks is correct: the held cook goes on after each nap.
    _, verdict = program(SHOP.replace("    for p in cooks:\n        p.join()",
                                      "    import time\n    while any(p.is_alive() for p in cooks):\n"
                                      "        time.sleep(0.005)"),
                         method="fork", buns_per_cook=4, cook_pace={"*": 0.05})
    assert verdict.status is Status.PASS, verdict.findings


def test_a_hang_in_waits_the_dojo_sees_is_found_at_once(program):
    # No None at all: the diner waits in get() for ever. Every wait is instrumented: no quiet spell is needed.
    run, verdict = program(SHOP.replace("        counter.put(None)", "        pass"), method="fork")
    assert verdict.status is Status.HANG and "counter.get()" in verdict.first.headline, verdict.findings
    assert run.result["stuck"], run.result


def test_a_hang_in_a_wait_the_dojo_cannot_see_is_still_found(program):
    # A pipe nobody writes to: not an instrumented call, so the hang is found after the quiet spell.
    run, verdict = program("""
        import multiprocessing

        def open_shop(shop):
            reader, writer = multiprocessing.Pipe(duplex=False)
            reader.recv()
        """, method="fork", cooks=0)
    assert verdict.status is Status.HANG and "reader.recv()" in verdict.first.headline, verdict.findings
    assert not run.result["stuck"], run.result


def test_a_cook_held_for_roles_that_never_end_is_shown_as_waiting_on_purpose(program):
    run, verdict = program(SHOP, method="fork", cooks=2, cook_after={"cook-2": ["cook-3"]})
    assert verdict.status is Status.HANG, verdict.findings
    assert "as the test asks" in str(next(p.state for p in verdict.procs if p.role == "cook-2"))


def test_a_busy_loop_is_counted_in_cpu_seconds(program):
    run, verdict = program("""
        def open_shop(shop):
            n = 0
            while True:
                n += 1
        """, method="fork", cooks=0)
    assert verdict.status is Status.HANG and run.result["outcome"] == "spinning", run.result
    assert "CPU time" in verdict.first.details[0]


@pytest.mark.parametrize("body", ["time.sleep(0.05)", "pass"], ids=["napping", "spinning"])
def test_a_process_left_behind_is_a_leak_at_once_whether_it_naps_or_spins(program, body):
    # Once main has ended, neither a bounded wait nor a busy loop of what is left makes the dojo wait for its deadline.
    run, verdict = program(f"""
        import os, time

        def open_shop(shop):
            if os.fork() == 0:
                os.setsid()
                while True:
                    {body}
        """, method="fork", cooks=0)
    assert verdict.status is Status.LEAK, verdict.findings
    assert run.result["outcome"] == "leaked", run.result


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_a_child_main_does_not_wait_for_never_begins_on_any_run(program, method):
    # main starts the diner and ends without joining it: at exit its queue is gone before the held start of
    # the diner goes on, so the diner dies while starting, on every run (it used to depend on the machine).
    _, verdict = program(SHOP.replace("    for p in diners:\n        p.join()\n", ""), method=method)
    assert verdict.status is Status.CRASH and "died while starting" in verdict.first.headline, verdict.findings
