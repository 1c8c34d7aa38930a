"""Kata 06 · The daemon trap: reference solution.

Daemon diners are killed the moment main ends, whatever they are doing, so
main must not end before the work is done. A joined cook only tells main
that its buns are on the counter. The counter itself knows when they are
eaten: every put() counts one more unfinished bun, every task_done() (called
by a diner after eating) one less, and counter.join() returns when none is
left.

Both waits are needed, in this order: first every cook, so that every bun
has been put (counter.join() counts only the buns already put, and would
return early while a cook is still cooking); then counter.join(). After that
the diners are idle in counter.get(), and killing them loses nothing. A
sleep() instead would only be a guess at how long the eating takes.
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


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
        a_cook.join()  # every bun is on the counter
    counter.join()  # every bun is eaten: now the daemons may go
    print("Every bun is eaten. The shop is closed.")
