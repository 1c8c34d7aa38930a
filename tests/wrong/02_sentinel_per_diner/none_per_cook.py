"""Wrong: each cook puts one None when it is done, instead of main putting one per diner.

With more cooks than diners, the first cooks to finish send every diner home
while a later cook is still cooking: its buns are never eaten (LOST).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(None)  # "I am done": but a None stops a diner, not a cook


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
    for a_diner in diners:
        a_diner.join()
