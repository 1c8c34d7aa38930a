"""Wrong answer to kata 01: the diner stops on any falsy bun (`if not bun`).

Bun 0 and bun "" are buns too: this diner leaves at the first of them.
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(None)


def diner(counter, shop):
    while True:
        bun = counter.get()
        if not bun:
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
