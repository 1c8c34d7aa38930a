"""Wrong answer to kata 09: a counter with room for plenty, instead of shop.counter_size.

The cooks fill it before any diner comes in: it holds more buns than the
shop's counter has room for (WRONG).
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)  # waits while the counter is full


def diner(counter, shop):
    while (bun := counter.get()) is not DONE:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue(maxsize=100)  # room for plenty
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for a_cook in cooks:
        a_cook.start()
    for a_cook in cooks:
        a_cook.join()
    for a_diner in diners:
        a_diner.start()
    for _ in diners:
        counter.put(DONE)
    for a_diner in diners:
        a_diner.join()
