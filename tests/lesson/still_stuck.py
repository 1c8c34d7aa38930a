"""The lesson's first program, in the kata's contract: it never ends.

The cooks wait in counter.join() until their buns are eaten; the diners eat,
mark each bun done, and stop at None; main joins the cooks. But nobody ever
sends a None, so the diners wait in get() for ever, and main waits for them
at exit. Every kata must report it as a HANG.
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()


def diner(counter, shop):
    while True:
        bun = counter.get()
        if bun is None:
            break
        shop.eat(bun)
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for p in cooks + diners:
        p.start()
    for p in cooks:
        p.join()
    print("the shop is closed")
