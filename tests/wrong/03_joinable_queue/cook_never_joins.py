"""Wrong answer to kata 03: the cooks never wait in counter.join().

Every diner calls task_done() after each bun, but no cook waits for it: each
cook leaves as soon as its buns are on the counter, not once they are eaten.
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


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
