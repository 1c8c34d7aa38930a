"""Wrong answer to kata 09: the counter made unbounded, so that put() never waits.

The hang is gone, and so is the bound: the cooks pile every bun on a counter
that has room for shop.counter_size (WRONG).
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)  # waits while the counter is full


def diner(counter, shop):
    while (bun := counter.get()) is not DONE:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()  # no maxsize: never full, never a wait
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for a_cook in cooks:
        a_cook.start()
    for a_cook in cooks:
        a_cook.join()
    for a_diner in diners:
        a_diner.start()
    for _ in diners:
        counter.put(DONE)
    for a_diner in diners:
        a_diner.join()
