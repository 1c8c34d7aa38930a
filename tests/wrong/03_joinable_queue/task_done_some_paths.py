"""Wrong: an empty bun ("") takes a short path that skips task_done().

The empty bun is eaten but never marked done, so the count of unfinished
buns never reaches zero and the cooks wait in join() forever (HANG).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        if bun == "":
            shop.eat(bun)  # an empty bun: one bite and on to the next
            continue
        shop.eat(bun)
        counter.task_done()
    counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(None)
    for a_diner in diners:
        a_diner.join()
