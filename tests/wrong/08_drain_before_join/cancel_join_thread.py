"""Wrong answer to kata 08: the cook calls cancel_join_thread() so that it can leave at once.

Main still joins the cooks first, and now a cook does leave: without waiting
for its feeder thread to send its buns. What was not sent yet is thrown
away, None included, and main waits in counter.get() for ever (HANG).
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    counter.cancel_join_thread()  # "do not wait at exit": the cook leaves at once
    for bun in shop.buns():
        counter.put(bun)
    counter.put(DONE)  # this cook is done


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    for a_cook in cooks:
        a_cook.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in cooks:  # one DONE per cook
        while (bun := counter.get()) is not DONE:
            shop.eat(bun)
