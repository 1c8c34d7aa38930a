"""Kata 01 · The last bun: reference solution.

The cook puts one None after its last bun: the end-of-work marker (a
"sentinel"). The diner stops when it gets exactly None; a falsy bun such as
0 or "" is still a bun, so the test is `is None`, never `not bun`.
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(DONE)  # after the last bun, never before it


def diner(counter, shop):
    while (bun := counter.get()) is not DONE:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    the_cook = multiprocessing.Process(target=cook, args=(counter, shop))
    the_diner = multiprocessing.Process(target=diner, args=(counter, shop))
    the_cook.start()
    the_diner.start()
    the_cook.join()
    the_diner.join()
