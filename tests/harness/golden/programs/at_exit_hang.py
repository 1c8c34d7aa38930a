"""Golden report: main finishes open_shop(), then waits at exit for diners blocked in get() (kata 04's stub)."""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()


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
    for a_cook in cooks:
        a_cook.join()
