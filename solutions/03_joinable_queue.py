"""Kata 03 · Wait until every bun is eaten: reference solution.

A JoinableQueue counts the buns put on it and not yet marked done;
``join()`` returns when that count is zero. So a diner calls ``task_done()``
exactly once per ``get()``, and only after ``shop.eat(bun)`` has returned:
earlier, and a cook's ``join()`` could return while a bun is still being
eaten; twice, and the count goes below zero (``ValueError``); never, on any
path, and the count never reaches zero. The None gets its ``task_done()``
too, so the count ends at zero and a later ``join()`` would not hang.
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # returns once every bun put so far is eaten


def diner(counter, shop):
    while (bun := counter.get()) is not DONE:
        shop.eat(bun)
        counter.task_done()  # after eating, once per get()
    counter.task_done()  # the None was a get() too


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(DONE)
    for a_diner in diners:
        a_diner.join()
