"""The lesson's fix: the same program, with daemon diners.

Main ends once the cooks are joined, and the daemon diners end with it. That
is safe because every cook waited in counter.join() until its buns were
eaten. It passes katas 05 and 06, whose contracts are exactly this; every
other kata asks its diners to stop at None and go home, and must say so.
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
    diners = [multiprocessing.Process(target=diner, args=(counter, shop), daemon=True)
              for _ in range(shop.diners)]
    for p in cooks + diners:
        p.start()
    for p in cooks:
        p.join()
    print("the shop is closed")
