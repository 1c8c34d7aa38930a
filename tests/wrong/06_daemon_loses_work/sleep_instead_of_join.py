"""Wrong: main sleeps a while instead of waiting for the work.

Half a second looked like plenty for a few buns. But a sleep is a guess, not
a wait: when the diners take longer, main ends first and the daemons are
killed with buns on the counter or half eaten (LOST). (And when they are
quicker, main sleeps for nothing.)
"""
import multiprocessing
import time


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop), daemon=True) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    time.sleep(0.5)  # "plenty of time to finish a few buns"
    print("Every bun is eaten. The shop is closed.")
