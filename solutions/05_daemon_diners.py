"""Kata 05 · Diners who leave with main: reference solution.

At exit, multiprocessing joins every child that is not a daemon, and
terminates every daemon. So the diners are daemons (set before start(): a
started process cannot change it), and they are stopped the moment main
ends, wherever they are.

That is safe only because of the order of the waits: a cook's counter.join()
returns once every bun on the counter is eaten (each diner calls
task_done() after eating), and main joins every cook before it ends. When
main leaves, the diners are idle in counter.get(), with nothing left to eat.
Remove either wait and the daemons are killed with buns on the counter, or
in their mouths (kata 06).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # until every bun on the counter has been eaten


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)
        counter.task_done()  # after eating: join() counts on it


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop), daemon=True) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()  # what makes the daemons safe: every bun is eaten
    print("Every bun is eaten. The shop is closed.")
