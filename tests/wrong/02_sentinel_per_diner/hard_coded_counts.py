"""Wrong: main puts two None, the number of diners in the usual shop, not shop.diners.

It passes while the shop has two diners; with three, one diner is left
waiting in get() forever (HANG).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    counter.put(None)  # one for each of the two diners
    counter.put(None)
    for a_diner in diners:
        a_diner.join()
