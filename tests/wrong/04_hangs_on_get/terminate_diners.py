"""Wrong: once the cooks are done, main kills the diners with terminate().

The program ends, and here every bun happens to be eaten, but a diner never
gets to leave by itself: a terminated process may die in the middle of a bun
(WRONG: a diner was killed, not told to stop).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # until every bun on the counter has been eaten


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for a_diner in diners:
        a_diner.terminate()  # "they are stuck anyway": killed, not told
        a_diner.join()
    print("Every bun is eaten. The shop is closed.")
