"""Golden report: a diner crashes on bun 0 (an int has no .title()); the buns after it are lost."""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(None)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        print("eating", bun.title())
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    the_cook = multiprocessing.Process(target=cook, args=(counter, shop))
    the_diner = multiprocessing.Process(target=diner, args=(counter, shop))
    the_cook.start()
    the_diner.start()
    the_cook.join()
    the_diner.join()
