"""Kata 04 · Why won't it exit?: reference solution.

When open_shop() returns, Python does not end at once: multiprocessing's exit
handler joins every child that is not a daemon. The diners loop on
counter.get(), so that join would wait forever, long after the last bun.

A cook's counter.join() returns only when every bun on the counter has been
eaten, so once main has joined every cook there is nothing left to eat. Only
then does main put one None per diner (each None stops exactly one diner; a
None put while a cook still cooks would send a diner home before that cook's
buns). Each diner returns when it gets its None, main joins them, and the
program ends by itself, with nobody killed in the middle of a bun.
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # until every bun on the counter has been eaten


def diner(counter, shop):
    while (bun := counter.get()) is not DONE:
        shop.eat(bun)
        counter.task_done()
    counter.task_done()  # the None came off the counter too


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()  # every cook's counter.join() returned: every bun is eaten
    for _ in diners:
        counter.put(DONE)  # one per diner, and only now
    for a_diner in diners:
        a_diner.join()
    print("Every bun is eaten. The shop is closed.")
