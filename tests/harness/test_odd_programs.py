"""Odd but possible learner programs: each is judged for what it did, never by a harness crash."""
import pytest

from dojo.judge import Status

SHOP = {"open_shop": ["shop"], "cook": ["counter", "shop"], "diner": ["counter", "shop"]}

CORRECT = """
import multiprocessing{imports}

def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun){cook_end}

def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)

def open_shop(shop):
    counter = multiprocessing.Queue()
    c = multiprocessing.Process(target={cook_target})
    d = multiprocessing.Process(target={diner_target})
    c.start(); d.start()
    c.join(); counter.put(None); d.join(){main_end}
"""


def shop_program(imports="", cook_end="", main_end="", cook_target="cook, args=(counter, shop)",
                 diner_target="diner, args=(counter, shop)"):
    return CORRECT.format(imports=imports, cook_end=cook_end, main_end=main_end,
                          cook_target=cook_target, diner_target=diner_target)


def test_the_correct_shape_passes(program):
    _, verdict = program(shop_program(), contract=SHOP)
    assert verdict.status is Status.PASS, verdict.findings


def test_main_that_exits_non_zero_is_a_crash(program):
    _, verdict = program(shop_program(imports="\nimport sys", main_end="\n    sys.exit('closed badly')"), contract=SHOP)
    assert verdict.status is Status.CRASH and verdict.first.headline == "CRASH: main exited with code 1"


def test_a_child_that_leaves_by_os_exit_with_a_code_is_a_crash(program):
    _, verdict = program(shop_program(imports="\nimport os", cook_end="\n    counter.close(); counter.join_thread(); os._exit(3)"),
                         contract=SHOP)
    assert verdict.first.headline == "CRASH: cook-1 exited with code 3"


def test_partial_targets_keep_their_roles(program):
    _, verdict = program(shop_program(imports="\nimport functools",
                                      cook_target="functools.partial(cook, counter, shop)",
                                      diner_target="functools.partial(diner, counter, shop)"),
                         contract=SHOP, menu={"cook-1": [0, "", "bun"]})
    assert verdict.status is Status.PASS, verdict.findings


def test_a_file_saved_with_a_byte_order_mark_runs(program, tmp_path):
    _, verdict = program("\ufeff" + shop_program(), contract=SHOP)
    assert verdict.status is Status.PASS, verdict.findings


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_leak_is_found_under_every_start_method(program, method):
    _, verdict = program("""
        import multiprocessing, os

        def linger():
            multiprocessing.Event().wait()

        def open_shop(shop):
            multiprocessing.Process(target=linger).start()
            os._exit(0)  # skips the exit handler that would join it
        """, method=method)
    assert verdict.status is Status.LEAK and "linger-1" in verdict.first.headline, verdict.findings


def test_a_thread_sleeping_beside_a_blocked_get_is_not_a_hang(program):
    _, verdict = program("""
        import multiprocessing, threading, time

        def open_shop(shop):
            q = multiprocessing.Queue()
            def later():
                time.sleep(1.5)  # longer than the stall window, but a bounded wait
                q.put("done")
            threading.Thread(target=later).start()
            assert q.get() == "done"
        """, cooks=0)
    assert verdict.status is Status.PASS, verdict.findings


@pytest.mark.parametrize("arg", ["'x'", "None", "10**400"])
def test_a_bad_sleep_is_the_learners_crash_not_ours(program, arg):
    _, verdict = program(f"""
        import time

        def open_shop(shop):
            time.sleep({arg})
        """, cooks=0)
    assert verdict.status is Status.CRASH and verdict.first.headline.startswith("CRASH: main raised")


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_a_daemon_stopped_at_exit_while_starting_is_not_a_crash(program, method):
    _, verdict = program("""
        import multiprocessing

        def idle():
            multiprocessing.Event().wait()

        def open_shop(shop):
            multiprocessing.Process(target=idle, daemon=True).start()  # main ends at once: it is stopped
        """, method=method, cooks=0)
    assert verdict.status is Status.PASS, verdict.findings


HELPER = """
import functools, multiprocessing

def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(None)

def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)

def go_to_work(work, counter, shop):
    work(counter, shop)

class Diner(multiprocessing.Process):
    def __init__(self, counter, shop):
        super().__init__()
        self.counter, self.shop = counter, shop

    def run(self):
        while (bun := self.counter.get()) is not None:
            self.shop.eat(bun)

def open_shop(shop):
    counter = multiprocessing.Queue()
    workers = [STARTS]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
"""
SHOP_CONTRACT = {"open_shop": ["shop"], "cook": ["counter", "shop"], "diner": ["counter", "shop"]}


@pytest.mark.parametrize("starts", [
    "multiprocessing.Process(target=go_to_work, args=(cook, counter, shop)), "
    "multiprocessing.Process(target=go_to_work, args=(diner, counter, shop))",
    "multiprocessing.Process(target=functools.partial(go_to_work, cook), args=(counter, shop)), Diner(counter, shop)",
], ids=["helper", "partial-and-subclass"])
def test_a_role_is_what_a_process_does_not_what_its_target_is_called(program, starts):
    # A correct shop that starts its cook and diner through a helper, a partial or a Process subclass.
    run, verdict = program(HELPER.replace("STARTS", starts), contract=SHOP_CONTRACT, eat_pace={"*": 0.01})
    assert verdict.status is Status.PASS, verdict.findings
    assert {e.role for e in run.events} >= {"main", "cook-1", "diner-1"}, {e.role for e in run.events}


def test_main_blocked_in_counter_join_with_no_process_to_wait_for_is_a_hang_report(program):
    # Diners that never call task_done(): main waits in counter.join(), on no process. The report names it.
    _, verdict = program('''
import multiprocessing

def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)

def diner(counter, shop):
    while True:
        shop.eat(counter.get())

def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    workers = [multiprocessing.Process(target=cook, args=(counter, shop)),
               multiprocessing.Process(target=diner, args=(counter, shop), daemon=True)]
    for p in workers:
        p.start()
    workers[0].join()
    counter.join()
''', contract=SHOP_CONTRACT)
    assert verdict.status is Status.HANG, verdict.findings
    assert "main is blocked in counter.join()" in verdict.first.headline, verdict.first.headline


def test_a_contained_memory_hog_is_a_crash_however_slowly_it_grows(program):
    """Under load each page costs more CPU; a hog that keeps growing still ends at its limit (CRASH), never as a
    loop that never waits (HANG). Here every 50 MB costs 0.075 CPU s on purpose: about 1.5 CPU s in all,
    half as much again as a loop with no progress may burn."""
    run, verdict = program("""
        import time

        def open_shop(shop):
            hoard = []
            while True:
                hoard.append(bytearray(50_000_000))
                spent = time.process_time()
                while time.process_time() - spent < 0.075:
                    pass
        """, contain=True)
    assert verdict.status is Status.CRASH, verdict.first.headline
    assert "MemoryError" in verdict.first.headline, verdict.first.headline
