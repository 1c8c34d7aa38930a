"""Wrong: the diner calls task_done() as soon as it gets a bun, before eating it.

The cooks' join() returns while the last buns are still being eaten: join()
promised that every bun was eaten, and it was not (WRONG).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        counter.task_done()  # "got it": but it is not eaten yet
        shop.eat(bun)
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
