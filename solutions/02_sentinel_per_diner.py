"""Kata 02 · One None per diner: reference solution.

A None stops exactly one diner (the first who gets it), so main puts one
None per diner: shop.diners of them, never a number written in the code.
And it puts them only after joining every cook: by then every bun is on the
counter, ahead of every None, so no diner leaves while a bun is still coming.
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while (bun := counter.get()) is not DONE:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()  # every bun is on the counter now
    for _ in diners:
        counter.put(DONE)  # one per diner: each None stops one of them
    for a_diner in diners:
        a_diner.join()
