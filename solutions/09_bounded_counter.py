"""Kata 09 · A counter with little room: reference solution.

A queue made with ``maxsize`` makes a ``put()`` wait while it is full: the
cooks can run only as far ahead of the diners as the counter has room. So
whoever waits for the cooks must not be the one who lets the diners in:
main starts everyone first, and only then waits for the cooks. Taking the
``maxsize`` away would hide the hang and lose the bound.
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
    counter = multiprocessing.Queue(maxsize=shop.counter_size)
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in diners + cooks:  # the diners too, before anyone waits: they make the room
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(DONE)  # waits for room too: the diners are eating
    for a_diner in diners:
        a_diner.join()
