"""Each promise of dojo/promises.py: a small program that breaks it, and its golden report.

The programs are shops written the way a learner would, each with one
broken promise; the finding is checked word for word, in English and in
Chinese, against tests/harness/golden/promises/<promise>.txt.
Regenerate after an intended change: DOJO_UPDATE_GOLDEN=1 pytest --solutions tests/harness/test_promises.py
"""
import os

import pytest

from dojo import promises
from dojo.judge import Status, judge
from dojo.lang import local

GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "promises")
SHOP = {"open_shop": ["shop"], "cook": ["counter", "shop"], "diner": ["counter", "shop"]}

JOINABLE = """
import multiprocessing

def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()

def diner(counter, shop):
    while (bun := counter.get()) is not None:
        EAT_AND_MARK

def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for p in cooks + diners:
        p.start()
    for p in cooks:
        p.join()
    STOP_DINERS
"""
TELL = "for _ in diners:\n        counter.put(None)\n    for p in diners:\n        p.join()"

POOL = """
from concurrent.futures import ProcessPoolExecutor, as_completed

def diner(bun, shop):
    shop.eat(bun)
    return bun

def open_shop(shop):
    with ProcessPoolExecutor(max_workers=shop.diners) as pool:
        futures = [pool.submit(diner, bun, shop) for bun in shop.buns()]
        for future in futures:
            shop.served(future.result())
"""
POOL_CONTRACT = {"open_shop": ["shop"], "diner": ["bun", "shop"]}

CASES = {
    # task_done() before eating: the cook's join() returns while the held bite is still to come.
    "join_waits_for_the_eating": (
        JOINABLE.replace("EAT_AND_MARK", "counter.task_done()\n        shop.eat(bun)").replace("STOP_DINERS", TELL),
        # One cook and one diner: which cook's join() returns first, and which diner holds which bun, would be races.
        dict(cooks=1, diners=1, eat_pace={"*": 0.1})),
    # task_done() twice, the ValueError swallowed: nothing crashes, and the count is still wrong.
    "task_done_once_per_bun": (
        JOINABLE.replace("EAT_AND_MARK", "shop.eat(bun)\n        counter.task_done()\n        try:\n"
                         "            counter.task_done()\n        except ValueError:\n            pass")
        .replace("STOP_DINERS", TELL), dict(diners=1)),  # one diner: which one it is is not left to chance
    # The lesson's own fix: daemon diners, stopped when main ends, where the contract sends diners home.
    "diners_go_home": (
        JOINABLE.replace("EAT_AND_MARK", "shop.eat(bun)\n        counter.task_done()")
        .replace("args=(counter, shop)) for _ in range(shop.diners)", "args=(counter, shop), daemon=True) "
                 "for _ in range(shop.diners)").replace("STOP_DINERS", "pass"), {}),
    # The diners thrown out with terminate() once the buns are eaten.
    "nobody_is_killed": (
        JOINABLE.replace("EAT_AND_MARK", "shop.eat(bun)\n        counter.task_done()")
        .replace("STOP_DINERS", "for p in diners:\n        p.terminate()\n        p.join()"), {}),
    # A diner that catches a bad bun's error and drops it: main never hears of it (kata 07).
    "errors_carried_home": (
        JOINABLE.replace("EAT_AND_MARK", "try:\n            shop.eat(bun)\n        except Exception:\n            pass\n"
                         "        counter.task_done()").replace("STOP_DINERS", TELL),
        dict(cooks=1, diners=1, bad=["bun 1-1"])),
    # A diner that goes home after its first bad bun (the last one, so nothing is left uneaten) (kata 07).
    "choked_diners_eat_on": (
        JOINABLE.replace("EAT_AND_MARK", "try:\n            shop.eat(bun)\n        except Exception as error:\n"
                         "            shop.handle_error(error)\n            counter.task_done()\n            return\n"
                         "        counter.task_done()").replace("STOP_DINERS", TELL),
        dict(cooks=1, diners=1, bad=["bun 1-2"])),
    # Diners eat, where main must eat every bun itself (kata 08): one diner, so its name is not left to chance.
    "main_eats": (
        JOINABLE.replace("EAT_AND_MARK", "shop.eat(bun)\n        counter.task_done()").replace("STOP_DINERS", TELL),
        dict(cooks=1, diners=1)),
    # A counter with no maxsize, filled by the cook before any diner starts: it holds all three buns (kata 09).
    "counter_never_overfull": (
        JOINABLE.replace("EAT_AND_MARK", "shop.eat(bun)\n        counter.task_done()")
        .replace("    for p in cooks + diners:\n        p.start()\n    for p in cooks:\n        p.join()\n",
                 "    for p in cooks:\n        p.start()\n        p.join()\n    for p in diners:\n        p.start()\n")
        .replace("    counter.join()\n", "").replace("STOP_DINERS", TELL)
        # the None goes on before the diner starts: the most the counter holds is then the same on every run
        .replace("    for p in diners:\n        p.start()\n    for _ in diners:\n        counter.put(None)\n",
                 "    for _ in diners:\n        counter.put(None)\n    for p in diners:\n        p.start()\n"),
        dict(cooks=1, diners=1, counter_size=2)),
    # A pool whose results are served as they complete: the slow first bun is served last (kata 11).
    "served_in_order": (POOL.replace("for future in futures:", "for future in as_completed(futures):"),
                        dict(diners=2, buns_per_cook=3, slow_buns={"bun 1-0": 0.2}), POOL_CONTRACT),
    # main hands shop.handle_error() an error that no bad bun explains (kata 11).
    "only_bad_buns_fail": (POOL.replace("        for future in futures:",
                                        "        shop.handle_error(ValueError('the oven is cold'))\n"
                                        "        for future in futures:"),
                           dict(diners=1), POOL_CONTRACT),
    # A cook that leaves without waiting for its buns to be eaten.
    "cooks_wait_for_their_buns": (
        JOINABLE.replace("    counter.join()\n", "").replace("EAT_AND_MARK", "shop.eat(bun)\n        counter.task_done()")
        .replace("STOP_DINERS", TELL), {}),
}

# Kata 10's promises, on its own wrong answers (tests/wrong/10_graceful_close/): (source, shop, contract).
CLOSING = {"open_shop": ["shop"], "cook": ["counter", "shop", "closing"], "diner": ["counter", "shop", "closing"]}
WRONG_10 = os.path.join(os.path.dirname(__file__), "..", "wrong", "10_graceful_close")


def _wrong_10(name: str) -> str:
    with open(os.path.join(WRONG_10, f"{name}.py"), encoding="utf-8") as f:
        return f.read()


CASES.update({
    # The buns left on the counter at closing time are never counted; one diner, one cook: no race in who eats what.
    "eaten_or_left_over": (_wrong_10("uncounted_leftovers"),
                           dict(cooks=1, diners=1, buns_per_cook=3, eat_pace={"*": 0.1},
                                close={"signal": "SIGTERM", "when": "eating", "nth": 1}), CLOSING),
    # Only SIGINT is handled: the test's SIGTERM kills main.
    "closes_on_signal": (_wrong_10("sigint_only"),
                         dict(cooks=1, diners=1, close={"signal": "SIGTERM", "when": "idle"}), CLOSING),
    # The handler itself sets the Event main waits on: main waits for itself, inside the handler.
    "handler_returns": (_wrong_10("set_in_handler"), dict(cooks=1, diners=1, close={"signal": "SIGTERM", "when": "idle"}),
                        CLOSING),
    # A cook that never looks at `closing`: it cooks its whole menu after the close.
    "cooks_stop_at_closing": (_wrong_10("uncounted_leftovers").replace(
        "        if closing.is_set():\n            break  # closing time: cook no more\n", ""),
        dict(cooks=1, diners=1, buns_per_cook=4, cook_pace={"*": 0.1},
             close={"signal": "SIGTERM", "when": "cooking", "nth": 2}), CLOSING),
})


# Kata 16's promise, on its own wrong answer: the diners are told before the steamers are done.
with open(os.path.join(os.path.dirname(__file__), "..", "wrong", "16_pipeline", "diners_told_early.py"),
          encoding="utf-8") as _f:
    CASES["through_every_stage"] = (_f.read(), dict(cooks=1, steamers=1, diners=1, buns_per_cook=2,
                                                    steam_pace={"*": 0.1}),
                                    {"open_shop": ["shop"], "cook": ["raw", "shop"],
                                     "steamer": ["raw", "steamed", "shop"], "diner": ["steamed", "shop"]})


def said(finding) -> str:
    return "\n".join(local(x, lang) for lang in ("en", "zh") for x in [finding.said] + finding.details) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_promise_names_what_was_broken(program, name):
    source, shop, *contract = CASES[name]  # a kata with a contract of its own gives it third
    run, _ = program(source, contract=(contract or [SHOP])[0], **{"cooks": 2, "diners": 2, **shop})
    # What this promise adds to the others every kata keeps: its own findings.
    others = tuple(n for n in promises.ALWAYS if n != name)
    base = {f.headline for f in judge(run, others).findings}
    mine = [f for f in judge(run, others + (name,)).findings if f.headline not in base]
    assert mine, f"the program that breaks {name} was not caught"
    text = said(mine[0]).replace(str(run.spec["kata_file"]), "program.py").replace(run.shown_path, "program.py")
    path = os.path.join(GOLDEN, f"{name}.txt")
    if os.environ.get("DOJO_UPDATE_GOLDEN"):
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(path, encoding="utf-8") as f:
        assert text == f.read(), f"the report differs from {path}; if intended, regenerate it (see this file's docstring)"


def test_every_promise_has_a_golden_report():
    # every_bun_eaten_once and task_done_after_eating have theirs in test_reports.py and tests/wrong/.
    assert sorted(CASES) == sorted(set(promises.PROMISES) - {"every_bun_eaten_once", "task_done_after_eating"})


# main_eats is the promise of a shop with no diners (kata 08), served_in_order of one with a pool (kata 11):
# their solutions' tests are their correct shops.
@pytest.mark.parametrize("name", sorted(set(CASES) - {"main_eats", "served_in_order"}))
def test_a_correct_shop_keeps_every_promise(program, name):
    source = JOINABLE.replace("EAT_AND_MARK", "shop.eat(bun)\n        counter.task_done()").replace("STOP_DINERS", TELL)
    run, _ = program(source, contract=SHOP, cooks=2, diners=2, eat_pace={"*": 0.1})
    verdict = judge(run, promises.ALWAYS + (name,))
    assert verdict.status is Status.PASS, verdict.findings
