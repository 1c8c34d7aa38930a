"""Kata 08 · Read first, then join: reference solution.

A process that put items on a multiprocessing queue waits at exit until
its feeder thread has written them all into the queue's pipe; the pipe
holds only so much until someone reads it. So main reads everything first,
until every cook has said it is done (one None each), and only then joins
the cooks, who by then can leave at once. ``cancel_join_thread()`` would
let a cook leave without waiting, by throwing away what is not yet sent.
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(DONE)  # this cook is done


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    for a_cook in cooks:
        a_cook.start()
    for _ in cooks:  # read everything first: one DONE per cook
        while (bun := counter.get()) is not DONE:
            shop.eat(bun)
    for a_cook in cooks:  # now every cook's queue is read: each can leave
        a_cook.join()
