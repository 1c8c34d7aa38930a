"""Wrong: task_done() after eating, and once more in a `finally`, "to be safe".

Each bun is marked done twice. The count of unfinished buns cannot go below
zero: the extra call raises ValueError and the diner dies (CRASH).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        try:
            shop.eat(bun)
            counter.task_done()
        finally:
            counter.task_done()  # make sure the bun is always marked done
    counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(None)
    for a_diner in diners:
        a_diner.join()
