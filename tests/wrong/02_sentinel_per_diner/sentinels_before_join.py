"""Wrong: main puts the None (one per diner) before the cooks are joined.

The None reach the counter ahead of the slow cooks' buns: the diners go home
and the buns that come after them are never eaten (LOST).
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
    for _ in diners:
        counter.put(None)  # too early: the cooks may still be cooking
    for a_cook in cooks:
        a_cook.join()
    for a_diner in diners:
        a_diner.join()
