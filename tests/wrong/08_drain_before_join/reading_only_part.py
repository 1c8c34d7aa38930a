"""Wrong answer to kata 08: main reads until the first None, then joins the cooks.

The first None says only that one cook is done. A cook who is still cooking
then puts its buns on a counter nobody reads, and cannot exit (HANG).
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(DONE)  # this cook is done


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    for a_cook in cooks:
        a_cook.start()
    while (bun := counter.get()) is not DONE:  # read until the cooks are done
        shop.eat(bun)
    for a_cook in cooks:  # now every cook's queue is read: each can leave
        a_cook.join()
