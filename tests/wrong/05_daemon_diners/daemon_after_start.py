"""Wrong: the diners are made daemons after they have been started.

A process's daemon flag is read by start(); changing it afterwards is an
error: `process.daemon = True` on a started process raises AssertionError
("process has already started") in main (CRASH).
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
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_diner in diners:
        a_diner.daemon = True  # too late: it is already running
    for a_cook in cooks:
        a_cook.join()
    print("Every bun is eaten. The shop is closed.")
