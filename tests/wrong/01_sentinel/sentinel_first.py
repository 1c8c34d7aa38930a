"""Wrong answer to kata 01: the None goes on the counter before the buns.

The diner gets None first and goes home; every bun is left on the counter.
"""
import multiprocessing


def cook(counter, shop):
    counter.put(None)
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while True:
        bun = counter.get()
        if bun is None:
            break
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    the_cook = multiprocessing.Process(target=cook, args=(counter, shop))
    the_diner = multiprocessing.Process(target=diner, args=(counter, shop))
    the_cook.start()
    the_diner.start()
    the_cook.join()
    the_diner.join()
